"""A version number for the data the seat listings show, kept by the database itself.

Any committed change to parties, boundary sets, constituencies, elections, results, candidacies, assessments
or recommendation overrides (by the ORM, bulk writes, raw SQL or TRUNCATE, whatever the code path) sets
constituencies_seat_data_version.version to a new number from a sequence, once per transaction, at commit
(a deferred trigger, so it takes its row lock last and cannot deadlock with the writer's other locks). A
sequence never hands a number out twice, even to a transaction that rolls back, so a version number always
means one state of the data. constituencies/data_version.py reads it to key cached responses.
"""

from django.db import migrations

TABLES = [
    "constituencies_party",
    "constituencies_boundaryset",
    "constituencies_constituency",
    "constituencies_election",
    "constituencies_result",
    "constituencies_candidacy",
    "constituencies_seatassessment",
    "constituencies_recommendationoverride",
]

FORWARD = [
    "CREATE SEQUENCE constituencies_seat_data_version_seq",
    """
    CREATE TABLE constituencies_seat_data_version (
        id smallint PRIMARY KEY CHECK (id = 1),
        version bigint NOT NULL
    )
    """,
    "INSERT INTO constituencies_seat_data_version VALUES (1, nextval('constituencies_seat_data_version_seq'))",
    """
    CREATE FUNCTION constituencies_bump_seat_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Once per transaction: the first change it commits marks it (the flag ends with the transaction).
        IF current_setting('seatfinder.seat_data_bumped', true) IS DISTINCT FROM txid_current()::text THEN
            UPDATE constituencies_seat_data_version
            SET version = nextval('constituencies_seat_data_version_seq') WHERE id = 1;
            PERFORM set_config('seatfinder.seat_data_bumped', txid_current()::text, true);
        END IF;
        RETURN NULL;
    END
    $$
    """,
]
for table in TABLES:
    FORWARD += [
        f"""
        CREATE CONSTRAINT TRIGGER seat_data_version AFTER INSERT OR UPDATE OR DELETE ON {table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION constituencies_bump_seat_data_version()
        """,
        f"""
        CREATE TRIGGER seat_data_version_truncate AFTER TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION constituencies_bump_seat_data_version()
        """,
    ]

BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS seat_data_version ON {table}" for table in TABLES),
    *(f"DROP TRIGGER IF EXISTS seat_data_version_truncate ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS constituencies_bump_seat_data_version()",
    "DROP TABLE IF EXISTS constituencies_seat_data_version",
    "DROP SEQUENCE IF EXISTS constituencies_seat_data_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("constituencies", "0004_postcode_directory_partitions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
