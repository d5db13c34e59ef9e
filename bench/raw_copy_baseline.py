"""The floor for the postcode import benchmark: the same file COPY'd, unread, into a bare table.

    .venv/bin/python bench/raw_copy_baseline.py FILE [--unlogged]

Creates a table with one text column per header column (no keys, no indexes; `--unlogged` for an
UNLOGGED one, which writes no WAL), streams the file into it with psycopg's `cursor.copy()`
(`COPY ... FROM STDIN (FORMAT csv, HEADER true)`, 1 MB at a time), commits, and drops the table. Nothing
is checked or converted: it is how fast PostgreSQL alone takes the bytes in, which no import can beat.
bench/postcode_import_bench.py runs it beside `import_postcodes`; it is not used by the site.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seatfinder.settings")

TABLE = "bench_raw_copy"
CHUNK_BYTES = 1 << 20


def load(path: Path, unlogged: bool) -> dict:
    import django

    django.setup()
    from django.db import connection, transaction

    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    columns = ", ".join(f'"c{i}" text' for i in range(len(header)))
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        with transaction.atomic():
            cursor.execute(f"CREATE {'UNLOGGED ' if unlogged else ''}TABLE {TABLE} ({columns})")
            with (
                path.open("rb") as f,
                cursor.copy(f"COPY {TABLE} FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := f.read(CHUNK_BYTES):
                    copy.write(chunk)
            rows = cursor.rowcount
        copied = time.monotonic() - started
        cursor.execute(f"DROP TABLE {TABLE}")
    return {"rows": rows, "columns": len(header), "copy_seconds": round(copied, 1)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--unlogged", action="store_true", help="COPY into an UNLOGGED table (no WAL)")
    args = parser.parse_args()
    result = load(args.file, args.unlogged)
    kind = "unlogged" if args.unlogged else "plain"
    print(
        f"raw COPY ({kind} table): {result['rows']:,} rows of {result['columns']} text columns "
        f"in {result['copy_seconds']} s"
    )
