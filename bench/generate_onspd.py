"""Write a synthetic ONS Postcode Directory file for the import benchmark.

    .venv/bin/python bench/generate_onspd.py [--rows 2700000] [--output bench/data/onspd-synthetic.csv]

The file has the 53 columns of the August 2024 ONSPD, quoted as the ONS quotes them, sorted by postcode,
with real-format postcodes (every one passes constituencies.rules.postcodes.normalise_postcode), about a third
of them terminated, a few with no grid reference (lat 99.999999), a few in the Channel Islands and the
Isle of Man (pcon L99999999 / M99999999) and a few with no constituency, as in the real file. The
constituency codes are drawn from the constituencies loaded on the chosen boundary set, so the database
must hold them (`manage.py import_results` of the 2024 file). The numbers are made up; only the layout
and the shape are real. Rows are about 500 bytes, as in the real file: 2.7 million rows make ~1.4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,"
    "oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,npark,lsoa01,"
    "msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,buasd11,ru11ind,oac11,lat,long,lep1,"
    "lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21"
)
# Real postcode areas (Great Britain); the Channel Islands and the Isle of Man are added separately.
AREAS = [
    "AB",
    "AL",
    "B",
    "BA",
    "BB",
    "BD",
    "BH",
    "BL",
    "BN",
    "BR",
    "BS",
    "CA",
    "CB",
    "CF",
    "CH",
    "CM",
    "CO",
    "CR",
    "CT",
    "CV",
    "CW",
    "DA",
    "DD",
    "DE",
    "DG",
    "DH",
    "DL",
    "DN",
    "DT",
    "DY",
    "E",
    "EC",
    "EH",
    "EN",
    "EX",
    "FK",
    "FY",
    "G",
    "GL",
    "GU",
    "HA",
    "HD",
    "HG",
    "HP",
    "HR",
    "HS",
    "HU",
    "HX",
    "IG",
    "IP",
    "IV",
    "KA",
    "KT",
    "KW",
    "KY",
    "L",
    "LA",
    "LD",
    "LE",
    "LL",
    "LN",
    "LS",
    "LU",
    "M",
    "ME",
    "MK",
    "ML",
    "N",
    "NE",
    "NG",
    "NN",
    "NP",
    "NR",
    "NW",
    "OL",
    "OX",
    "PA",
    "PE",
    "PH",
    "PL",
    "PO",
    "PR",
    "RG",
    "RH",
    "RM",
    "S",
    "SA",
    "SE",
    "SG",
    "SK",
    "SL",
    "SM",
    "SN",
    "SO",
    "SP",
    "SR",
    "SS",
    "ST",
    "SW",
    "SY",
    "TA",
    "TD",
    "TF",
    "TN",
    "TQ",
    "TR",
    "TS",
    "TW",
    "UB",
    "W",
    "WA",
    "WC",
    "WD",
    "WF",
    "WN",
    "WR",
    "WS",
    "WV",
    "YO",
    "ZE",
]
OFFSHORE = {"GY": "L99999999", "JE": "L99999999", "IM": "M99999999"}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UNITS = [a + b for a in INWARD_LETTERS for b in INWARD_LETTERS]  # 400 two-letter units


def constituency_codes(boundaries: str) -> list[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.site_settings")
    import django

    django.setup()
    from constituencies.models import Constituency

    codes = sorted(
        Constituency.objects.filter(boundary_set__code=boundaries).values_list("ons_id", flat=True)
    )
    if not codes:
        raise SystemExit(
            f"No constituencies on the {boundaries} boundaries: import the 2024 results first, e.g.\n"
            "  .venv/bin/python manage.py import_results ../shared/data/hoc-ge2024-results-by-constituency.csv "
            "--election ge2024 --date 2024-07-04 --boundaries 2024"
        )
    return codes


def outward_codes(rng: random.Random) -> list[tuple[str, str]]:
    """(area, outward code) in postcode order, e.g. ("AB", "AB10"), ("SW", "SW1A")."""
    outwards = []
    for area in sorted(AREAS + list(OFFSHORE)):
        districts = list(range(1, rng.randint(8, 40)))
        for district in districts:
            outwards.append((area, f"{area}{district}"))
            if area in {"EC", "WC", "SW", "W", "E", "N", "NW", "SE"} and district == 1:
                outwards += [(area, f"{area}1{letter}") for letter in "ABPW"]
    return sorted(outwards, key=lambda item: item[1])


def middle_columns(rng: random.Random, country: str) -> tuple[str, str]:
    """The columns between doterm and pcon, and between pcon and lat: codes in the ONS formats."""

    def code(prefix: str) -> str:
        return f'"{country}{prefix}{rng.randint(0, 999999):06d}"'

    before = ",".join(
        [
            f'"{country}99999999"',
            f'"{country}99999999"',
            code("06"),
            code("05"),
            f'"{country}99999999"',
            '"0"',
            f'"{rng.randint(100000, 650000)}"',
            f'"{rng.randint(10000, 1200000):07d}"',
            '"1"',
            code("08"),
            code("40"),
            f'"{country}92000001"',
            code("12"),
            '"0"',
        ]
    )
    after = ",".join(
        [
            code("15"),
            code("09"),
            code("30"),
            code("03"),
            code("20"),
            '"99ZZ00"',
            code("00"),
            '"01C30"',
            f'"{country}99999999"',
            code("01"),
            code("02"),
            '"6"',
            '"3C2"',
            code("00"),
            code("01"),
            code("02"),
            code("33"),
            code("38"),
            '""',
            f'"{country}99999999"',
            '"3"',
            '"1C3"',
        ]
    )
    return before, after


def tail_columns(rng: random.Random, country: str) -> str:
    return (
        f'"{country}37000001","","{country}23000001",{rng.randint(1, 32000)},"{country}99999999",'
        f'"{country}54000001","{country}00{rng.randint(0, 999999):06d}","",""'
    )


def generate(output: Path, rows: int, codes: list[str], seed: int = 2024) -> dict:
    rng = random.Random(seed)
    outwards = outward_codes(rng)
    capacity = len(outwards) * 10 * len(UNITS)
    if rows > capacity:
        raise SystemExit(f"at most {capacity:,} distinct postcodes with this seed")
    weights = [rng.uniform(0.8, 1.2) for _ in outwards]
    scale = rows / sum(weights)
    targets = [int(w * scale) for w in weights]
    for i in range(rows - sum(targets)):  # what rounding down left over, one each
        targets[i % len(targets)] += 1
    counts = {"rows": 0, "terminated": 0, "no_grid_reference": 0, "offshore": 0, "blank_pcon": 0}
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with output.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        for (area, outward), target in zip(outwards, targets, strict=True):
            if target <= 0:
                continue
            country = (
                "S" if area in {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY"} else "E"
            )
            offshore = OFFSHORE.get(area)
            district_constituency = rng.choice(codes)
            district_lat = rng.uniform(50.0, 58.6)
            district_long = rng.uniform(-5.5, 1.7)
            before, after = middle_columns(rng, country)
            tail = tail_columns(rng, country)
            per_sector = -(-target // 10)
            written = 0
            for sector in range(10):
                take = min(per_sector, target - written)
                if take <= 0:
                    break
                units = sorted(rng.sample(UNITS, take))
                sector_constituency = district_constituency if rng.random() < 0.8 else rng.choice(codes)
                for unit in units:
                    inward = f"{sector}{unit}"
                    pcds = f"{outward} {inward}"
                    pcd = f"{outward:<4}{inward}"  # 7 characters: "M1  1AD", "AB1 0AA", "AB100AA"
                    pcd2 = f"{outward:<4} {inward}"
                    dointr = f"{rng.randint(1980, 2023)}{rng.randint(1, 12):02d}"
                    doterm = ""
                    if rng.random() < 0.33:
                        doterm = f"{rng.randint(int(dointr[:4]), 2024)}{rng.randint(1, 12):02d}"
                        counts["terminated"] += 1
                    pcon = offshore or sector_constituency
                    if offshore:
                        counts["offshore"] += 1
                    elif rng.random() < 0.0005:
                        pcon = ""
                        counts["blank_pcon"] += 1
                    if offshore or rng.random() < 0.003:
                        lat, lng = "99.999999", "0.000000"
                        counts["no_grid_reference"] += 1
                    else:
                        lat = f"{district_lat + rng.uniform(-0.05, 0.05):.6f}"
                        lng = f"{district_long + rng.uniform(-0.05, 0.05):.6f}"
                    f.write(
                        f'"{pcd}","{pcd2}","{pcds}","{dointr}","{doterm}",{before},"{pcon}",'
                        f"{after},{lat},{lng},{tail}\n"
                    )
                    written += 1
            counts["rows"] += written
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["bytes"] = output.stat().st_size
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "data" / "onspd-synthetic.csv")
    parser.add_argument("--boundaries", default="2024")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    counts = generate(args.output, args.rows, constituency_codes(args.boundaries), args.seed)
    # What the file holds, beside it: the benchmarks reuse the file while this still matches it.
    args.output.with_suffix(".json").write_text(json.dumps(counts))
    print(
        f"Wrote {counts['rows']:,} rows ({counts['bytes'] / 1e6:,.0f} MB) to {args.output} in "
        f"{counts['seconds']} s: {counts['terminated']:,} terminated, {counts['offshore']:,} Channel Islands "
        f"or Isle of Man, {counts['blank_pcon']:,} with no constituency, "
        f"{counts['no_grid_reference']:,} with no grid reference"
    )


if __name__ == "__main__":
    main()
