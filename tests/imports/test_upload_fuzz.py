"""Arbitrary uploads: the importer either reads them or says what is wrong, and a preview never crashes."""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from constituencies.imports.service import ResultsUpload, preview_import
from constituencies.models import Election
from constituencies.rules.files import ImportFileError

SEATS = [("E14000548", "Batley and Spen"), ("E14001009", "Wakefield")]
junk = st.text(max_size=20)
plain = st.text(st.characters(blacklist_characters=',\r\n"', blacklist_categories=["Cs"]), max_size=12)
# Mostly well-formed rows, so many files get through to a preview; some junk, so many do not.
seat = st.one_of(
    st.sampled_from(SEATS), st.sampled_from(SEATS), st.tuples(st.sampled_from(["E14001063", "X1", ""]), junk)
)
party = st.one_of(
    st.sampled_from(["Labour", "Conservative", "Liberal Democrats", "Green Party", "Reform UK"]), plain
)
votes = st.one_of(
    st.integers(min_value=0, max_value=60000).map(str),
    st.integers(0, 9999).map(str),
    st.sampled_from(["-1", "1,234", "", "x"]),
)
row = st.builds(
    lambda s, p, v, c: ",".join([s[0], s[1], p, v, c]), seat, party, votes, st.one_of(plain, junk)
)
csv_text = st.lists(row, max_size=8).map(
    lambda rows: "\n".join(["ons_id,constituency,party,votes,candidate", *rows])
)


@given(data=st.binary(max_size=400))
@settings(max_examples=150, deadline=None)
def test_any_bytes_are_read_or_refused_with_problems(data):
    try:
        ResultsUpload("fuzz.csv", data).parse(Election(date="2021-07-01"))
    except ImportFileError as exc:
        assert exc.problems and all(p.file == "fuzz.csv" and p.message for p in exc.problems)


@given(text=csv_text)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_csv_previews_or_is_refused_and_writes_nothing(ge2019, snapshot, text):
    before = snapshot()
    try:
        outcome = preview_import(ResultsUpload("fuzz.csv", text.encode()), ge2019)
    except ImportFileError as exc:
        assert exc.problems
    else:
        assert outcome.summary.dry_run
        event("previewed")
    assert snapshot() == before
