"""A change to a seat's local group gives the seat data version a new number (constituencies' migration 0005),
as a confirmed supporter does (0002): the seat page shows the group's details, and is cached, with its ETag,
on that version (seatfinder/http_cache.py)."""

from django.db import migrations

TABLE = "supporters_localgroup"
FORWARD = [
    f"""
    CREATE CONSTRAINT TRIGGER seat_data_version AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION constituencies_bump_seat_data_version()
    """,
    f"""
    CREATE TRIGGER seat_data_version_truncate AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION constituencies_bump_seat_data_version()
    """,
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS seat_data_version ON {TABLE}",
    f"DROP TRIGGER IF EXISTS seat_data_version_truncate ON {TABLE}",
]


class Migration(migrations.Migration):
    dependencies = [("supporters", "0004_organisers_group"), ("constituencies", "0013_seat_data_changed_at")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
