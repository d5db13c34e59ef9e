"""The parties a results file names: matched to known ones by official and short names, named where the file
names them, and listed in the preview."""

from constituencies.models import Candidacy, Party
from tests.builders import import_results

BY_ELECTION = ["--election", "by-aldershot-2025", "--date", "2025-05-01", "--boundaries", "2024"]
HOC_CANDIDATE_HEADER = (
    "ONS ID,ONS region ID,Constituency name,County name,Region name,Country name,Constituency type,Party name,"
    "Party abbreviation,Electoral Commission party ID,MNIS party ID,Electoral Commission adjunct party ID,"
    "Candidate first name,Candidate surname,Candidate gender,Sitting MP,Former MP,Member MNIS ID,Votes,Share,"
    "Change,DC Person ID"
)


def long_file(tmp_path, *parties, name="aldershot.csv"):
    """Aldershot, one candidate per party label, 1,000 votes down from 20,000."""
    lines = ["ons_id,constituency,party,votes,candidate"] + [
        f"E14001063,Aldershot,{party},{20000 - 1000 * i},Candidate {i}" for i, party in enumerate(parties)
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def hoc_candidate_file(tmp_path, *parties):
    """The same in the House of Commons Library candidate layout: (party name, abbreviation) pairs."""
    rows = [
        f"E14001063,E12000008,Aldershot,,South East,England,Borough,{name},{code},,,,Candidate,{i},,No,No,,"
        f"{20000 - 1000 * i},,,"
        for i, (name, code) in enumerate(parties)
    ]
    path = tmp_path / "aldershot-candidates.csv"
    path.write_text("\n".join([HOC_CANDIDATE_HEADER, *rows]) + "\n")
    return path


def test_a_party_under_a_longer_name_is_the_party_already_known(ge2024, tmp_path):
    Party.objects.create(code="NHA", name="National Health Action")
    out = import_results(long_file(tmp_path, "Labour", "National Health Action Party"), *BY_ELECTION)
    assert (
        'taken to be parties already known: "National Health Action Party" as NHA (National Health Action)'
        in out
    )
    assert "new parties" not in out
    assert not Party.objects.filter(name="National Health Action Party").exists()
    assert Candidacy.objects.get(result__election__slug="by-aldershot-2025", votes=19000).party.code == "NHA"


def test_a_code_alone_is_matched_by_its_initials(ge2024, tmp_path):
    Party.objects.create(code="PBP", name="People Before Profit")
    out = import_results(long_file(tmp_path, "Labour", "PBPA"), *BY_ELECTION)
    assert '"PBPA" as PBP (People Before Profit)' in out
    assert not Party.objects.filter(code="PBPA").exists()


def test_a_party_known_by_its_code_alone_takes_its_name_from_the_candidate_file(ge2024, tmp_path):
    out = import_results(long_file(tmp_path, "Labour", "INet"), *BY_ELECTION)
    assert "new parties: INet (INet)" in out  # all the file says
    out = import_results(
        hoc_candidate_file(tmp_path, ("Labour", "Lab"), ("Independent Network", "INet")), *BY_ELECTION[:2]
    )
    assert "parties named: INet is Independent Network" in out
    assert Party.objects.get(code="INet").name == "Independent Network"


def test_a_new_party_from_the_candidate_file_gets_its_real_name(ge2024, tmp_path):
    out = import_results(
        hoc_candidate_file(tmp_path, ("Labour", "Lab"), ("Independent Network", "INet")), *BY_ELECTION
    )
    assert "new parties: INet (Independent Network)" in out
    assert Party.objects.get(code="INet").name == "Independent Network"


def test_unlike_parties_stay_apart(ge2024, tmp_path):
    out = import_results(
        long_file(tmp_path, "Labour", "Independent Alliance", "Independent Network"), *BY_ELECTION
    )
    assert "taken to be parties already known" not in out
    assert set(Party.objects.filter(name__startswith="Independent ").values_list("name", flat=True)) == {
        "Independent Alliance",
        "Independent Network",
    }
