"""import_results on small files typed in the official layouts, and every kind of bad input."""

import pytest
from django.core.management import CommandError

from constituencies.models import BoundarySet, Candidacy, Constituency, Election, Result, SeatAssessment
from tests.builders import BATLEY_2021, GE2024_ARGS, SAMPLES, import_results

CONSTITUENCY_FILE = SAMPLES / "hoc-ge2024-constituency-sample.csv"
CANDIDATE_FILE = SAMPLES / "hoc-ge2024-candidate-sample.csv"
NOTIONAL_FILE = SAMPLES / "notional-2019-sample.csv"


def assessment(seat_name, election="ge2024"):
    return SeatAssessment.objects.select_related("winner", "runner_up", "best_placed").get(
        election__slug=election, constituency__name=seat_name
    )


def test_constituency_file_creates_election_seats_and_assessments(ge2024):
    assert ge2024.kind == Election.Kind.GENERAL
    assert ge2024.name == "2024 general election"
    assert ge2024.boundary_set.code == "2024"
    assert Result.objects.filter(election=ge2024).count() == 7
    for result in Result.objects.filter(election=ge2024).prefetch_related("candidacies"):
        assert sum(c.votes for c in result.candidacies.all()) == result.valid_votes

    aldershot = assessment("Aldershot")
    assert (aldershot.winner.code, aldershot.winner_name, aldershot.runner_up.code) == (
        "Lab",
        "Alex Baker",
        "Con",
    )
    assert aldershot.majority == 5683
    assert str(aldershot.majority_pct) == "11.71"
    assert aldershot.result.description == "Lab gain from Con"
    assert aldershot.result.electorate == 78553


def test_independent_and_speaker_winners_come_out_of_the_lumped_other_column(ge2024):
    corbyn = assessment("Islington North")
    assert (corbyn.winner.code, corbyn.winner_name, corbyn.winner_votes) == (
        "Ind",
        "Jeremy Corbyn",
        24120,
    )
    assert (corbyn.runner_up.code, corbyn.majority) == ("Lab", 7247)

    chorley = assessment("Chorley")
    assert (chorley.winner.code, chorley.winner_name, chorley.runner_up.code) == (
        "Spk",
        "Lindsay Hoyle",
        "Green",
    )
    assert not chorley.is_tragedy


def test_minor_party_runner_up_is_split_from_the_other_column(ge2024):
    hodge_hill = assessment("Birmingham Hodge Hill and Solihull North")
    assert (hodge_hill.runner_up.code, hodge_hill.runner_up_votes, hodge_hill.majority) == (
        "WPB",
        9089,
        1566,
    )
    # All 9,089 "other" votes were the Workers Party's, so nothing is left to combine.
    assert not Candidacy.objects.filter(result=hodge_hill.result, is_combined=True).exists()
    islington = assessment("Islington North")
    combined = Candidacy.objects.get(result=islington.result, is_combined=True)
    assert (combined.party.code, combined.votes) == ("Oth", 24152 - 24120)


def test_tragedy_and_best_placed_on_real_seats(ge2024):
    godalming = assessment("Godalming and Ash")
    assert godalming.winner.code == "Con"
    assert godalming.progressive_total == 22402 + 2748 + 1243
    assert godalming.is_tragedy
    assert (godalming.best_placed.code, godalming.gap_to_win) == ("LD", 891)

    clacton = assessment("Clacton")
    assert clacton.winner.code == "RUK"
    assert not clacton.is_tragedy


def test_candidate_file_adds_names_and_sitting_mps(default_parties):
    import_results(CONSTITUENCY_FILE, *GE2024_ARGS, "--candidates", CANDIDATE_FILE)
    assert Candidacy.objects.filter(result__election__slug="ge2024").count() == 48
    aldershot = assessment("Aldershot")
    docherty = Candidacy.objects.get(result=aldershot.result, candidate_name="Leo Docherty")
    assert docherty.is_sitting_mp is True
    assert aldershot.winner_name == "Alex Baker"
    corbyn = assessment("Islington North")
    assert (corbyn.winner.code, corbyn.winner_name) == ("Ind", "Jeremy Corbyn")
    assert Candidacy.objects.filter(result=corbyn.result, party__code="Ind").count() == 2


def test_candidate_file_alone_gives_the_same_winners(default_parties):
    import_results(CANDIDATE_FILE, *GE2024_ARGS)
    assert assessment("Chorley").winner_name == "Lindsay Hoyle"
    assert assessment("Islington North").winner_name == "Jeremy Corbyn"
    assert assessment("Aldershot").majority == 5683
    assert assessment("Birmingham Hodge Hill and Solihull North").runner_up.code == "WPB"


def test_reimporting_replaces_results(ge2024):
    before = sorted(SeatAssessment.objects.values_list("constituency_id", "winner_id", "majority"))
    out = import_results(CONSTITUENCY_FILE, "--election", "ge2024")
    assert "7 earlier results replaced" in out
    assert Result.objects.filter(election=ge2024).count() == 7
    assert sorted(SeatAssessment.objects.values_list("constituency_id", "winner_id", "majority")) == before


def test_notional_results_load_as_a_notional_election_on_the_same_boundaries(ge2024):
    import_results(
        NOTIONAL_FILE, "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024",
        "--name", "2019 notional result on 2024 boundaries",
    )  # fmt: skip
    notional = Election.objects.get(slug="notional-ge2019-2024")
    assert notional.kind == Election.Kind.NOTIONAL
    assert notional.results.count() == 7
    aldershot = assessment("Aldershot", notional.slug)
    assert (aldershot.winner.code, aldershot.winner_votes, aldershot.majority) == (
        "Con",
        29000,
        29000 - 11500,
    )
    assert aldershot.constituency_id == assessment("Aldershot").constituency_id  # same seat, two elections
    aberdeen = assessment("Aberdeen North", notional.slug)
    assert aberdeen.result.candidacies.get(party__code="Brexit").votes == 800  # reform_or_brexit in 2019
    # The notional file folds the Speaker into "other", a combined figure that never ranks: no winner is claimed.
    chorley = Result.objects.get(election=notional, constituency__name="Chorley")
    assert not SeatAssessment.objects.filter(result=chorley).exists()
    assert chorley.candidacies.get(party__code="Oth").is_combined


def test_long_format_by_election(ge2019):
    path = BATLEY_2021
    import_results(
        path,
        "--election",
        "by-batley-and-spen-2021",
        "--date",
        "2021-07-01",
        "--boundaries",
        "2010",
    )
    seat = assessment("Batley and Spen", "by-batley-and-spen-2021")
    assert seat.election.kind == Election.Kind.BY_ELECTION
    assert (seat.winner.code, seat.runner_up.code, seat.majority) == ("Lab", "Con", 323)
    assert seat.result.valid_votes == 37695
    assert seat.result.electorate == 79373
    assert Candidacy.objects.get(result=seat.result, candidate_name="George Galloway").party.code == "WPB"


# --- bad input: a clear message naming file, row and column, and nothing written ------------


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def sample_lines():
    return CONSTITUENCY_FILE.read_text().splitlines()


def assert_rejected(snapshot, args, *expected):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_results(*args)
    message = str(error.value)
    assert message.startswith("Nothing was imported.")
    for text in expected:
        assert text in message
    assert snapshot() == before
    return message


# A whole file that is not a results file: (file name, its text, its encoding, what the message says).
NOT_RESULTS_FILES = [
    pytest.param(
        "mystery.csv", "seat,who,how many\nAldershot,Lab,1\n", "utf-8",
        ["mystery.csv, row 1", "unknown column layout", "seat, who, how many"],
        id="unknown_column_layout",
    ),
    pytest.param(
        "latin1.csv",
        "ons_id,constituency,party,votes\nW07000081,Aberafan Maesteg,Plaid Cymru,4719\nW07000081,Aberafan Maesteg,Llafur Cymru ô,17838\n",
        "latin-1",
        ["latin1.csv, row 3: is not UTF-8 text"],
        id="wrong_encoding",
    ),
    pytest.param("empty.csv", "\n\n", "utf-8", ["empty.csv: the file is empty"], id="empty_file"),
    pytest.param(
        "header.csv", sample_lines()[0] + "\n", "utf-8", ["header.csv: has a header but no results rows"],
        id="header_only",
    ),
    pytest.param(
        "titled.csv", "\n".join(["General election 2024 results,,", ",,", *sample_lines()]), "utf-8",
        ["the column headings are on row 3, not row 1"],
        id="spreadsheet_title_rows_above_the_header",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "encoding", "expected"), NOT_RESULTS_FILES)
def test_a_file_that_is_not_a_results_file(ge2024, snapshot, tmp_path, name, text, encoding, expected):
    path = write(tmp_path, name, text, encoding=encoding)
    assert_rejected(snapshot, [path, "--election", "ge2024"], *expected)


def test_duplicate_constituency(ge2024, snapshot, tmp_path):
    lines = sample_lines()
    path = write(tmp_path, "dupe.csv", "\n".join([*lines, lines[2]]))
    assert_rejected(
        snapshot,
        [path, "--election", "ge2024"],
        'dupe.csv, row 9, column "ONS ID": E14001063 (Aldershot) appears twice; it is already on row 3',
    )


# One cell of the sample file changed: (file name, line of the file, the text replaced, its replacement,
# what the message says).
BAD_CELLS = [
    pytest.param(
        "typo.csv", 2, ",19764,", ",19764a,",  # Aldershot's Labour vote
        'typo.csv, row 3, column "Lab": "19764a" is not a whole number',
        id="non_numeric_votes",
    ),
    pytest.param(
        "code.csv", 2, "E14001063", "X1400106",
        'code.csv, row 3, column "ONS ID": "X1400106" is not a Westminster constituency ONS code',
        id="unknown_ons_code_format",
    ),
    pytest.param(
        "old.csv", 2, "E14001063", "E14000530",  # a 2010-boundaries code
        "old.csv, row 3: E14000530 (Aldershot) is not a constituency on the 2024 constituency boundaries",
        id="well_formed_code_unknown_on_these_boundaries",
    ),
    pytest.param(
        "sum.csv", 2, ",48544,", ",48545,",
        'row 3, column "Valid votes": the party columns add up to 48,544 but Valid votes is 48,545',
        id="votes_that_do_not_add_up",
    ),
    # Hodge Hill's runner-up (WPB) is in "All other candidates": its votes are Lab's 10,655 minus the
    # majority, which must not go below nothing. The file still adds up (the "other" lump grows to match).
    pytest.param(
        "majority.csv", 3, ",1566,", ",12000,",
        'majority.csv, row 4, column "Majority": is 12,000, more than the 10,655 votes of the winner (Lab), '
        "so WPB's votes cannot be worked out",
        id="a_majority_larger_than_the_winners_vote_when_the_runner_up_is_a_minor_party",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "line", "old", "new", "expected"), BAD_CELLS)
def test_a_bad_cell_is_named_by_file_row_and_column(
    ge2024, snapshot, tmp_path, name, line, old, new, expected
):
    lines = sample_lines()
    lines[line] = lines[line].replace(old, new)
    path = write(tmp_path, name, "\n".join(lines))
    assert_rejected(snapshot, [path, "--election", "ge2024"], expected)


def test_long_format_problems_are_all_reported(ge2024, snapshot, tmp_path):
    text = (
        "ons_id,constituency,party,votes\n"
        "E14001063,Aldershot,Labour,-5\n"
        "E14001063,Aldershot,,100\n"
        "E14001063,Aldershot,Conservative,100\n"
        "E14001063,Aldershot,Conservative,100\n"
    )
    path = write(tmp_path, "long.csv", text)
    message = assert_rejected(snapshot, [path, "--election", "ge2024"])
    assert 'long.csv, row 2, column "votes": "-5" is not a whole number of votes' in message
    assert 'long.csv, row 3, column "party": the party is missing' in message
    assert 'long.csv, row 5, column "party": Conservative in E14001063 is already on row 4' in message


def test_wrong_name_for_a_code_is_caught(ge2024, snapshot, tmp_path):
    path = write(tmp_path, "name.csv", "ons_id,constituency,party,votes\nE14001063,Clacton,Labour,100\n")
    assert_rejected(
        snapshot,
        [path, "--election", "ge2024"],
        'E14001063 is Aldershot on the 2024 constituency boundaries, but the file calls it "Clacton"',
    )


def test_failure_midway_through_writing_rolls_everything_back(ge2024, snapshot, monkeypatch):
    from constituencies.imports import results

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    before = snapshot()
    monkeypatch.setattr(results, "assess_results", explode)
    with pytest.raises(RuntimeError):
        import_results(CONSTITUENCY_FILE, "--election", "ge2024")
    assert snapshot() == before


def test_new_election_needs_a_date_and_boundaries(default_parties, snapshot):
    before = snapshot()
    with pytest.raises(
        CommandError,
        match="ge2029 does not exist yet; to create it, also give --date, --boundaries",
    ):
        import_results(CONSTITUENCY_FILE, "--election", "ge2029")
    assert snapshot() == before


def test_failed_import_of_a_new_election_does_not_create_it(default_parties, snapshot, tmp_path):
    path = write(tmp_path, "bad.csv", "ons_id,constituency,party,votes\nE14001063,Aldershot,Labour,lots\n")
    assert_rejected(snapshot, [path, *GE2024_ARGS], "is not a whole number")
    assert not Election.objects.filter(slug="ge2024").exists()


def test_missing_file(default_parties, snapshot):
    assert_rejected(snapshot, ["/nonexistent/results.csv", *GE2024_ARGS], "results.csv: cannot be read")


# --- boundary sets and elections that exist already ----------------------------------------


def test_a_mistyped_boundary_set_is_refused_not_created(default_parties, snapshot):
    before = snapshot()
    with pytest.raises(
        CommandError,
        match=r'There is no "2042" boundary set: Seat Finder knows 2010, 2024\. Nothing was imported',
    ):
        import_results(
            CONSTITUENCY_FILE, "--election", "ge2024", "--date", "2024-07-04", "--boundaries", "2042"
        )
    assert snapshot() == before


def test_a_boundary_set_added_in_the_admin_can_be_used(default_parties):
    BoundarySet.objects.create(code="2032", name="2032 constituency boundaries")
    import_results(CONSTITUENCY_FILE, "--election", "ge2032", "--date", "2032-05-06", "--boundaries", "2032")
    assert Constituency.objects.filter(boundary_set__code="2032").count() == 7


GE2017_CSV = """ons_id,constituency,party,votes
E14000548,Batley and Spen,Labour,29844
E14000548,Batley and Spen,Conservative,20883
E14001009,Wakefield,Labour,22987
E14001009,Wakefield,Conservative,20811
E14000666,Dewsbury,Labour,28814
E14000666,Dewsbury,Conservative,25493
"""


def test_a_general_election_adds_the_constituencies_its_boundary_set_lacks(ge2019, tmp_path):
    # The 2010 boundaries hold Batley and Spen and Wakefield; the 2017 file also has Dewsbury.
    path = write(tmp_path, "ge2017.csv", GE2017_CSV)
    import_results(path, "--election", "ge2017", "--date", "2017-06-08", "--boundaries", "2010")
    assert sorted(Constituency.objects.filter(boundary_set__code="2010").values_list("name", flat=True)) == [
        "Batley and Spen",
        "Dewsbury",
        "Wakefield",
    ]
    assert Result.objects.filter(election__slug="ge2017").count() == 3


def test_a_by_election_must_be_in_a_constituency_already_loaded(default_parties, snapshot):
    args = [
        BATLEY_2021,
        "--election",
        "by-batley-and-spen-2021",
        "--date",
        "2021-07-01",
        "--boundaries",
        "2010",
    ]
    assert_rejected(
        snapshot,
        args,
        "by-batley-and-spen-2021.csv, row 2: E14000548 (Batley and Spen) is not a constituency on the 2010 "
        "constituency boundaries, which By batley and spen 2021 was fought on; a by-election can only be in a "
        "constituency already loaded (import a general election or notional results on these boundaries first)",
    )
    assert not Election.objects.exists()


@pytest.mark.parametrize(
    ("option", "value", "shown"),
    [
        ("--date", "2024-07-05", "--date 2024-07-05 (it is 2024-07-04)"),
        ("--kind", "by", "--kind by (it is general)"),
        ("--name", "2024 snap election", "--name 2024 snap election (it is 2024 general election)"),
        ("--boundaries", "2010", "--boundaries 2010 (it is 2024)"),
    ],
)
def test_options_that_describe_an_existing_election_differently_are_refused(
    ge2024, snapshot, option, value, shown
):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_results(CONSTITUENCY_FILE, "--election", "ge2024", option, value)
    assert (
        f"ge2024 exists already and the options describe it differently: {shown}. Nothing was imported."
        in str(error.value)
    )
    assert snapshot() == before


def test_options_that_describe_an_existing_election_as_it_is_are_accepted(ge2024):
    import_results(CONSTITUENCY_FILE, *GE2024_ARGS, "--kind", "general", "--name", "2024 general election")
    assert Result.objects.filter(election=ge2024).count() == 7


def test_the_command_prints_each_line_once_and_a_dry_run_says_what_it_would_write(ge2019, tmp_path):
    by_election = tmp_path / "by.csv"
    by_election.write_text(
        "ons_id,constituency,party,votes,candidate\n"
        "E14000548,Batley and Spen,Labour,13296,Kim Leadbeater\n"
        "E14000548,Batley and Spen,Conservative,12973,Ryan Stephenson\n"
    )
    args = [
        by_election,
        "--election",
        "by-batley-and-spen-2021",
        "--date",
        "2021-07-01",
        "--boundaries",
        "2010",
        "--name",
        "2021 Batley and Spen by-election",
    ]
    dry = import_results(*args, "--dry-run").splitlines()
    assert dry[:4] == [
        "would create 0 constituencies",
        "would write 1 result",
        "would write 2 candidacies",
        "would assess 1 seat",
    ]
    assert not [line for line in dry[:-1] if "written" in line or "ready" in line]
    assert dry[-1].startswith(
        "Dry run, nothing written: would import 2021 Batley and Spen by-election: 1 seat,"
    )

    applied = import_results(*args).splitlines()
    assert applied[:4] == [
        "0 constituencies created",
        "1 result written",
        "2 candidacies written",
        "1 seat assessed",
    ]
    assert len(applied) == len(set(applied))  # no line twice
    assert applied[-1].startswith("Imported 2021 Batley and Spen by-election: 1 seat, 2 candidacies")
