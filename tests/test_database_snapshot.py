"""The "nothing was written" helper itself: a write to any Seat Finder table must show in its snapshot."""

from django.utils import timezone

from constituencies.models import (
    AuditEvent,
    Constituency,
    Party,
    Postcode,
    PostcodeDirectory,
    RecommendationOverride,
    ResultsImport,
)
from tests.builders import add_postcode


def changed_tables(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_imports_audit_events_overrides_and_postcodes_are_in_the_snapshot(ge2024, snapshot):
    seat = Constituency.objects.get(name="Aldershot")
    before = snapshot()
    ResultsImport.objects.create(
        username="someone",
        source=ResultsImport.Source.COMMAND,
        election_slug="ge2024",
        file_name="x.csv",
        file_size=1,
        checksum="0" * 64,
        layout="long",
        rows_read=1,
        seats_in_file=1,
        seats_changed=0,
        results_replaced=0,
        constituencies_created=0,
        candidacies=1,
        winner_changes=0,
    )
    AuditEvent.objects.create(username="someone", action=AuditEvent.Action.BLOCS_CHANGED, summary="test")
    RecommendationOverride.objects.create(
        election=ge2024,
        constituency=seat,
        recommended_party=Party.objects.get(code="LD"),
        reason="Local reasons",
    )
    add_postcode("GU11 1AA", seat.ons_id)
    PostcodeDirectory.objects.create(
        boundary_set=seat.boundary_set,
        generation="test",
        source_file="x.csv",
        postcodes=1,
        imported_at=timezone.now(),
    )
    assert changed_tables(before, snapshot()) == {
        "ResultsImport",
        "AuditEvent",
        "RecommendationOverride",
        "Postcode",
        "PostcodeDirectory",
    }


def test_a_changed_postcode_row_shows_too(ge2024, snapshot):
    add_postcode("GU11 1AA", "E14001063")
    before = snapshot()
    Postcode.objects.update(terminated_on=timezone.now().date())
    assert changed_tables(before, snapshot()) == {"Postcode"}
