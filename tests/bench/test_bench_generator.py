"""The benchmark's synthetic ONSPD file is in the real layout and imports cleanly."""

import csv

from bench.generate_onspd import HEADER, generate
from constituencies.models import BoundarySet, Constituency, Postcode
from constituencies.postcodes.importer import PostcodeImporter
from constituencies.rules.postcodes import normalise_postcode


def test_synthetic_onspd_file_imports_with_the_shape_it_claims(db, tmp_path):
    boundaries = BoundarySet.objects.create(code="2024", name="2024 constituency boundaries")
    codes = ["S14000060", "S14000061", "E14001085"]
    for code in codes:
        Constituency.objects.create(boundary_set=boundaries, ons_id=code, name=code, slug=code.lower())
    path = tmp_path / "onspd.csv"
    counts = generate(path, 3000, codes, seed=7)

    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER.split(",")
    assert len(rows) == 3001 and {len(r) for r in rows} == {53}
    postcodes = [r[2] for r in rows[1:]]
    assert len(set(postcodes)) == 3000
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])  # in pcd order, as the ONS sorts
    assert all(normalise_postcode(p) == p for p in postcodes)
    assert all(normalise_postcode(r[0]) == r[2] for r in rows[1:])  # pcd, the 7-character form

    summary = PostcodeImporter(path, boundaries).run()
    assert summary.rows_read == counts["rows"] == 3000
    assert summary.stored + summary.skipped == 3000
    assert summary.skipped == counts["offshore"] + counts["blank_pcon"]
    assert summary.terminated == Postcode.objects.filter(terminated_on__isnull=False).count()
    assert summary.constituencies_covered == 3
