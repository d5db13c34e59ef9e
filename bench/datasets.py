"""The data the benchmarks run on, loaded into the configured database when it is missing.

- `ensure_ge2024()`: the real 2024 general election (HoC Library files in SEATFINDER_DATA_DIR), imported
  with `import_results ... --election ge2024 --date 2024-07-04 --boundaries 2024` unless 650 seats are loaded;
  without the data folder, the latest general election loaded (the demo's, loaded if need be), and says so.
- `ensure_advice_evidence()`: the 2024 election with what its advice is reasoned from: the notional 2019 results
  on the 2024 boundaries and the June 2024 MRPs (import_results / import_projections), loaded if missing;
  without the data folder, the demo's latest general election (2024, from fixtures/, without that evidence).
- `ensure_synthetic_onspd(rows)`: the synthetic ONSPD-layout file (bench/generate_onspd.py), kept in
  bench/data/ and reused while its row count matches.
- `ensure_postcode_directory(quick)`: a postcode directory on the current boundary set: the 2.7-million-row
  synthetic one (imported here if the directory is smaller), or with --quick at least the real ONSPD
  sample of 8,048 postcodes. Returns how many rows the directory holds.

Django must be set up (bench/harness.py django_setup) before calling these.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from harness import BENCH_DIR

CONSTITUENCY_FILE = "hoc-ge2024-results-by-constituency.csv"
CANDIDATE_FILE = "hoc-ge2024-results-by-candidate.csv"
ONSPD_SAMPLE = "onspd-aug2024-sample.csv"
ONSPD_SAMPLE_POSTCODES = 8_046  # its rows with a constituency
FULL_ROWS = 2_700_000
FULL_ENOUGH = 2_000_000  # a directory this big counts as the national-size one


def data_dir() -> Path:
    from django.conf import settings

    return Path(settings.SEATFINDER_DATA_DIR)


def ensure_ge2024(reimport: bool = False):
    """(election, where it came from) for a full general election, importing the 2024 one if needed."""
    from django.core.management import call_command

    from constituencies.imports.demo import ensure_default_parties
    from constituencies.models import Election, SeatAssessment

    call_command("migrate", verbosity=0)
    ensure_default_parties()
    source = data_dir()
    if (source / CONSTITUENCY_FILE).is_file():
        loaded = SeatAssessment.objects.filter(election__slug="ge2024").count()
        if reimport or loaded != 650:
            print(f"Importing the 2024 results from {source} ...", flush=True)
            call_command(
                "import_results", str(source / CONSTITUENCY_FILE),
                "--candidates", str(source / CANDIDATE_FILE),
                "--election", "ge2024", "--date", "2024-07-04", "--boundaries", "2024",
                stdout=StringIO(),
            )  # fmt: skip
        return Election.objects.get(slug="ge2024"), f"real 2024 results from {source}"
    print(f"No data folder at {source}: using the latest general election loaded instead.", flush=True)
    if not Election.objects.filter(kind=Election.Kind.GENERAL).exists():
        call_command("load_demo", stdout=StringIO())
    election = Election.objects.filter(kind=Election.Kind.GENERAL).order_by("-date").first()
    return election, f"{election.name} (demo data; {source} not found)"


NOTIONAL_FILE = "notional-2019-on-2024-boundaries.csv"
MRP_FILE = "mrp-averages-2024-06.csv"
MRP_AVERAGE = "MRP average of YouGov, Ipsos, Survation and Focaldata (June 2024)"


def ensure_advice_evidence():
    """(election, where its evidence came from) for the advice benchmark."""
    from django.core.management import call_command

    from constituencies.models import PollProjection, SeatAssessment

    election, dataset = ensure_ge2024()
    source = data_dir()
    if election.slug != "ge2024":
        return election, f"{dataset}, advised from the general election before it"
    if not (source / NOTIONAL_FILE).is_file():  # the demo's 2024 results, from fixtures/
        return election, f"{dataset}, without the notional 2019 results and the MRPs ({source} not found)"
    if SeatAssessment.objects.filter(election__slug="notional-ge2019-2024").count() != 650:
        print(f"Importing the notional 2019 results from {source} ...", flush=True)
        call_command(
            "import_results", str(source / NOTIONAL_FILE),
            "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024",
            "--name", "2019 notional result on 2024 boundaries", stdout=StringIO(),
        )  # fmt: skip
    if not PollProjection.objects.filter(name=MRP_AVERAGE).exists():
        print(f"Importing the June 2024 MRPs from {source} ...", flush=True)
        call_command(
            "import_projections", str(source / MRP_FILE), "--name", MRP_AVERAGE,
            "--publisher", "Movement Forward", "--date", "2024-06-26", stdout=StringIO(),
        )  # fmt: skip
    return election, f"{dataset}, the notional 2019 results and the June 2024 MRPs"


def synthetic_onspd_path(rows: int) -> Path:
    name = "onspd-synthetic.csv" if rows == FULL_ROWS else f"onspd-synthetic-{rows}.csv"
    return BENCH_DIR / "data" / name


def ensure_synthetic_onspd(rows: int, path: Path | None = None) -> tuple[Path, dict]:
    """The synthetic ONSPD file of `rows` rows, generated unless a matching one is already there."""
    path = path or synthetic_onspd_path(rows)
    sidecar = path.with_suffix(".json")
    if path.is_file() and sidecar.is_file():
        info = json.loads(sidecar.read_text())
        if info.get("rows") == rows and info.get("bytes") == path.stat().st_size:
            return path, info
    from bench.generate_onspd import constituency_codes, generate

    print(f"Generating {rows:,} synthetic ONSPD rows in {path} ...", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = generate(path, rows, constituency_codes("2024"))
    sidecar.write_text(json.dumps(info))
    return path, info


def current_directory_size() -> tuple[str, int]:
    """(boundary set code, postcode rows) of the current boundaries' directory."""
    from constituencies.models import Postcode
    from constituencies.seats.current import current_boundary_set

    boundary_set = current_boundary_set()
    if boundary_set is None:
        return "", 0
    return boundary_set.code, Postcode.objects.filter(boundary_set=boundary_set).count()


def import_postcodes(path: Path, boundaries: str = "2024") -> None:
    from django.core.management import call_command

    print(f"Importing the postcode directory from {path} ...", flush=True)
    call_command(
        "import_postcodes", str(path), "--boundaries", boundaries, "--allow-shrink", stdout=StringIO()
    )


def ensure_postcode_directory(quick: bool) -> tuple[int, str]:
    """Rows in the current boundaries' postcode directory after making sure there is one; and what it is."""
    code, rows = current_directory_size()
    if rows >= FULL_ENOUGH:
        return rows, f"{rows:,} postcodes (national-size directory)"
    if code != "2024":  # no 2024 results (no data folder): whatever the demo loaded, said plainly
        if rows:
            return rows, f"{rows:,} postcodes on the {code} boundaries (the 2024 results are not loaded)"
        raise SystemExit(f"No postcode directory on the current ({code or 'no'}) boundaries: load some first")
    if quick:
        # None, or only the demo's handful: the real sample, when the data folder has it.
        if rows < ONSPD_SAMPLE_POSTCODES and (data_dir() / ONSPD_SAMPLE).is_file():
            import_postcodes(data_dir() / ONSPD_SAMPLE)
            code, rows = current_directory_size()
        return rows, f"{rows:,} postcodes (--quick: the directory as loaded, at least the real ONSPD sample)"
    path, _ = ensure_synthetic_onspd(FULL_ROWS)
    import_postcodes(path)
    code, rows = current_directory_size()
    return rows, f"{rows:,} postcodes (the synthetic national-size directory)"


def sample_postcodes(count: int, *, live: bool = True) -> list[str]:
    """Postcodes picked at random from the current boundaries' directory (live ones, or retired ones)."""
    from django.db import connection

    from constituencies.seats.current import current_boundary_set

    boundary_set = current_boundary_set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT postcode FROM constituencies_postcode WHERE boundary_set_id = %s AND "
            f"terminated_on IS {'' if live else 'NOT '}NULL ORDER BY random() LIMIT %s",
            [boundary_set.pk, count],
        )
        return [row[0] for row in cursor.fetchall()]
