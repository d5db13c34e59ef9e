"""How much the admin's preview-then-apply costs, on the real 650-seat 2024 file.

Runs in a throwaway test database (created and dropped here). For each scenario it times, best of N:
- baseline: the import as the foundation did it (ResultsImporter.run() with the before/after seat
  state reading switched off);
- tracked: ResultsImporter.run() as it is now, working out what changed (what the command does);
- preview: the admin's dry run (the same import, the diff, then a rollback);
- apply: the admin's confirm (the import, the diff, the ResultsImport and AuditEvent records);
interleaved, and prints each as a ratio to the baseline measured in the same run. Writes
bench/results/admin-import-<time>.json.

    .venv/bin/python bench/admin_import_bench.py [--quick] [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

harness.django_setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from constituencies.imports import results as results_module  # noqa: E402
from constituencies.imports.demo import ensure_default_parties  # noqa: E402
from constituencies.imports.layouts import load_results  # noqa: E402
from constituencies.imports.results import ResultsImporter  # noqa: E402
from constituencies.imports.service import ResultsUpload, apply_import, preview_import  # noqa: E402
from constituencies.imports.uploads import pack, unpack  # noqa: E402
from constituencies.models import BoundarySet, Election  # noqa: E402


def best(times):
    return min(times)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--repeat", type=int, help="timed runs of each scenario (default 5; 2 with --quick)")
    args = parser.parse_args()
    args.repeat = args.repeat or (2 if args.quick else 5)
    path = Path(settings.SEATFINDER_DATA_DIR) / "hoc-ge2024-results-by-constituency.csv"
    if not path.is_file():
        sys.exit(f"needs the real 2024 file at {path} (set SEATFINDER_DATA_DIR)")
    data = path.read_bytes()

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        ensure_default_parties()
        boundaries = BoundarySet.objects.create(code="2024", name="2024 constituency boundaries")
        election = Election.objects.create(
            slug="ge2024",
            name="2024 general election",
            date="2024-07-04",
            kind="general",
            boundary_set=boundaries,
        )
        upload = ResultsUpload(path.name, data)
        # The first import creates the 650 constituencies; every timed run below re-imports 650 seats.
        apply_import(upload, election, source="command", username="bench")

        def baseline():
            # The import as the foundation did it: no reading of the seats' state, no diff.
            original = results_module.seat_states, results_module.previous_seat_states
            results_module.seat_states = results_module.previous_seat_states = lambda *a: {}
            try:
                parsed = load_results(path.name, data)
                ResultsImporter(election, parsed.contests, path.name).run()
            finally:
                results_module.seat_states, results_module.previous_seat_states = original

        def tracked():
            parsed = load_results(path.name, data)
            ResultsImporter(election, parsed.contests, path.name).run()

        def preview():
            preview_import(upload, election)

        def apply():
            apply_import(upload, election, source="admin", username="bench")

        scenarios = [("baseline", baseline), ("tracked", tracked), ("preview", preview), ("apply", apply)]
        results = {name: [] for name, _ in scenarios}
        for _, fn in scenarios:
            fn()  # warm up
        for _ in range(args.repeat):  # interleaved, so the table's growth and vacuuming hit all three alike
            for name, fn in scenarios:
                results[name].extend(timed(fn, 1))
        stored_bytes = len(pack(data))
        pack_times = timed(lambda: unpack(pack(data)), args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    base = best(results["baseline"])
    report = {
        "file": path.name,
        "file_bytes": len(data),
        "seats": 650,
        "repeat": args.repeat,
        "seconds_best": {k: round(best(v), 4) for k, v in results.items()},
        "seconds_median": {k: round(statistics.median(v), 4) for k, v in results.items()},
        "ratio_to_baseline": {k: round(best(v) / base, 2) for k, v in results.items()},
        "pending_copy_bytes": stored_bytes,
        "pending_pack_unpack_seconds": round(best(pack_times), 4),
    }
    print(f"{path.name}: {len(data):,} bytes, 650 seats re-imported, best of {args.repeat}")
    for name in ("baseline", "tracked", "preview", "apply"):
        print(
            f"  {name:<9} {report['seconds_best'][name]:.3f} s (median {report['seconds_median'][name]:.3f} s)"
            f"  x{report['ratio_to_baseline'][name]:.2f} of baseline"
        )
    print(
        f"  copy waiting for confirmation: {stored_bytes:,} bytes compressed "
        f"({stored_bytes / len(data):.0%} of the file), pack+unpack {report['pending_pack_unpack_seconds'] * 1000:.1f} ms"
    )
    report["load_average_1min"] = round(os.getloadavg()[0], 2)
    harness.write_results("admin-import", report)


if __name__ == "__main__":
    main()
