"""When the seat data version last changed (for Last-Modified), and the postcode directory in the version.

- constituencies_seat_data_version.changed_at: set by the same deferred trigger that gives the version a new
  number, to the time of the commit that changed the data (clock_timestamp(), not the transaction's start).
  seatfinder/http_cache.py sends it as Last-Modified.
- An import of the postcode directory (a new row or generation in constituencies_postcodedirectory) gives the
  version a new number too: the postcode API and the seat page's "your postcode is in this constituency" are
  answered from the directory, and their cached answers and ETags are keyed on the version.
"""

from django.db import migrations

TABLE = "constituencies_postcodedirectory"

FORWARD = [
    "ALTER TABLE constituencies_seat_data_version ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now()",
    """
    CREATE OR REPLACE FUNCTION constituencies_bump_seat_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Once per transaction: the first change it commits marks it (the flag ends with the transaction).
        IF current_setting('seatfinder.seat_data_bumped', true) IS DISTINCT FROM txid_current()::text THEN
            UPDATE constituencies_seat_data_version
            SET version = nextval('constituencies_seat_data_version_seq'), changed_at = clock_timestamp()
            WHERE id = 1;
            PERFORM set_config('seatfinder.seat_data_bumped', txid_current()::text, true);
        END IF;
        RETURN NULL;
    END
    $$
    """,
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
    """
    CREATE OR REPLACE FUNCTION constituencies_bump_seat_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('seatfinder.seat_data_bumped', true) IS DISTINCT FROM txid_current()::text THEN
            UPDATE constituencies_seat_data_version
            SET version = nextval('constituencies_seat_data_version_seq') WHERE id = 1;
            PERFORM set_config('seatfinder.seat_data_bumped', txid_current()::text, true);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "ALTER TABLE constituencies_seat_data_version DROP COLUMN changed_at",
]


class Migration(migrations.Migration):
    dependencies = [("constituencies", "0012_audit_parties_merged")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
