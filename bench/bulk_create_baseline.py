"""The baseline for the postcode import benchmark: the same file loaded the plain Django way.

    .venv/bin/python bench/bulk_create_baseline.py FILE [--boundaries 2024]

Reads the CSV with the csv module, checks each row with the same normaliser, drops rows whose
constituency is not on the boundary set, and replaces the directory in one transaction: a delete,
then Postcode.objects.bulk_create() in batches of 5,000. This is what import_postcodes is measured
against (bench/postcode_import_bench.py runs both in one go); it is not used by the site.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.site_settings")

BATCH_SIZE = 5_000


def load(path: Path, boundaries: str) -> dict:
    import django

    django.setup()
    from datetime import date

    from django.db import transaction

    from constituencies.models import BoundarySet, Constituency, Postcode
    from constituencies.rules.postcodes import normalise_postcode

    boundary_set = BoundarySet.objects.get(code=boundaries)
    ids = dict(Constituency.objects.filter(boundary_set=boundary_set).values_list("ons_id", "id"))
    stored = skipped = 0
    with transaction.atomic(), path.open(encoding="utf-8-sig", newline="") as f:
        Postcode.objects.filter(boundary_set=boundary_set).delete()
        reader = csv.DictReader(f)
        code_column = "pcon" if "pcon" in reader.fieldnames else "pcon24cd"
        batch = []
        for row in reader:
            constituency_id = ids.get(row[code_column])
            postcode = normalise_postcode(row["pcds"], uk_pattern_only=True)
            if constituency_id is None or postcode is None:
                skipped += 1
                continue
            doterm = row["doterm"]
            no_grid = row["lat"] in ("", "99.999999")
            batch.append(
                Postcode(
                    boundary_set=boundary_set,
                    postcode=postcode,
                    constituency_id=constituency_id,
                    terminated_on=date(int(doterm[:4]), int(doterm[4:]), 1) if doterm else None,
                    latitude=None if no_grid else float(row["lat"]),
                    longitude=None if no_grid else float(row["long"]),
                )
            )
            if len(batch) == BATCH_SIZE:
                Postcode.objects.bulk_create(batch)
                stored += len(batch)
                batch = []
                if stored % 250_000 == 0:
                    print(f"  {stored:,} rows stored", flush=True)
        Postcode.objects.bulk_create(batch)
        stored += len(batch)
    return {"stored": stored, "skipped": skipped}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--boundaries", default="2024")
    args = parser.parse_args()
    started = time.monotonic()
    result = load(args.file, args.boundaries)
    print(
        f"bulk_create: stored {result['stored']:,}, skipped {result['skipped']:,} in {time.monotonic() - started:.1f} s"
    )
