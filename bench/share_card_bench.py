"""Benchmark: the seat page's share card (/seats/<slug>/card.png) beside the trivial Django view.

    .venv/bin/python bench/share_card_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N]

First, in this process, how long drawing one card takes (reading the seat page and drawing the PNG), the work
done at most once per seat data version in each server process. Then, served by gunicorn on 127.0.0.1
(bench/harness.py), requests per second, p50/p95 latency and CPU per request of the trivial view, the card as
the seat page links it (?v=<version>: every request after a worker's first is served from what it kept, with no
drawing), 50 different seats' cards in turn, and the seat page itself, as ratios to the trivial view. Uses the
real 2024 results (imported from SEATFINDER_DATA_DIR if need be), else the demo's latest general election.
Prints a table and writes bench/results/share-card-<time>.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    TRIVIAL_PATH,
    Gunicorn,
    Target,
    check,
    describe_load,
    http_settings,
    print_table,
    ratio_rows,
    run_rounds,
)

DRAWINGS = 20  # timed in this process, each of a different seat


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    args = parser.parse_args(argv)
    harness.django_setup()
    import datasets

    from constituencies.models import SeatAssessment
    from constituencies.seats.data_version import seat_data_version
    from constituencies.web.seat_page import build_seat_page
    from constituencies.web.share_cards import render_png, seat_card

    election, dataset = datasets.ensure_ge2024()
    slugs = list(
        SeatAssessment.objects.filter(election=election)
        .order_by("constituency__name")
        .values_list("constituency__slug", flat=True)[:50]
    )
    version = seat_data_version()

    drawn = []
    for slug in slugs[:DRAWINGS]:
        started = time.perf_counter()
        png = render_png(seat_card(build_seat_page(slug)))
        drawn.append((time.perf_counter() - started, len(png)))
    draw_ms = sorted(1000 * seconds for seconds, _ in drawn)
    sizes = [size for _, size in drawn]
    print(
        f"Dataset: {dataset}. Drawing one card (seat page read + PNG), {DRAWINGS} seats: median "
        f"{draw_ms[len(draw_ms) // 2]:.1f} ms, slowest {draw_ms[-1]:.1f} ms; PNG {min(sizes) // 1024}-"
        f"{max(sizes) // 1024} kB.",
        flush=True,
    )

    one = f"/seats/{slugs[0]}/card.png?v={version}"
    targets = [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
        Target("share card, one seat, as linked (?v=version)", [one]),
        Target(f"share cards, {len(slugs)} seats in turn", [f"/seats/{s}/card.png?v={version}" for s in slugs]),
        Target("seat page (for scale)", [f"/seats/{slugs[0]}/"]),
    ]  # fmt: skip
    with Gunicorn(args.workers, name="share-card") as server:
        for target in targets:
            check(server.port, target.paths[0])
        print(describe_load(server, args), flush=True)
        results = run_rounds(server, targets, args)
        settings = http_settings(args, server)
    rows = ratio_rows(results)
    print_table(rows)
    harness.print_load_average()
    harness.write_results(
        "share-card",
        {
            "dataset": dataset,
            "election": election.slug,
            "drawing_ms": {"median": draw_ms[len(draw_ms) // 2], "max": draw_ms[-1], "seats": DRAWINGS},
            "png_bytes": {"min": min(sizes), "max": max(sizes)},
            "baseline": TRIVIAL_PATH,
            "settings": settings,
            "results": rows,
        },
    )


if __name__ == "__main__":
    main()
