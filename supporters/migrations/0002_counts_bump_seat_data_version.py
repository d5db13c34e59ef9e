"""A change to the confirmed supporters gives the seat data version a new number (constituencies' migration
0005), so the seat list, map, downloads and API, cached on that version, show the new counts at once. Only a
change that can move a count bumps it: a confirmation, a confirmed supporter deleted or moved seat; a pending
signup does not, so joining leaves the listings' caches alone."""

from django.db import migrations

TABLE = "supporters_supporter"
COUNTED = "'confirmed'"
FORWARD = [
    f"""
    CREATE CONSTRAINT TRIGGER seat_data_version_insert AFTER INSERT ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = {COUNTED})
    EXECUTE FUNCTION constituencies_bump_seat_data_version()
    """,
    f"""
    CREATE CONSTRAINT TRIGGER seat_data_version_update AFTER UPDATE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN ((OLD.status = {COUNTED} OR NEW.status = {COUNTED})
          AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.constituency_id IS DISTINCT FROM NEW.constituency_id))
    EXECUTE FUNCTION constituencies_bump_seat_data_version()
    """,
    f"""
    CREATE CONSTRAINT TRIGGER seat_data_version_delete AFTER DELETE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status = {COUNTED})
    EXECUTE FUNCTION constituencies_bump_seat_data_version()
    """,
    f"""
    CREATE TRIGGER seat_data_version_truncate AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION constituencies_bump_seat_data_version()
    """,
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS seat_data_version_{event} ON {TABLE}"
    for event in ("insert", "update", "delete", "truncate")
]


class Migration(migrations.Migration):
    dependencies = [("supporters", "0001_initial"), ("constituencies", "0005_seat_data_version")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
