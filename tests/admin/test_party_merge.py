"""Merging two parties that are one (the admin action "Merge into another party…" and seats.party_merge):
everything that named the merged party moves to the kept one, nothing is lost, and it is audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from constituencies.models import (
    AuditEvent,
    Candidacy,
    Party,
    ProjectedShare,
    RecommendationOverride,
    Result,
    SeatAssessment,
)
from constituencies.seats.assessments import recompute_all_assessments
from constituencies.seats.party_merge import PartyMergeError, merge_parties
from tests.admin.test_admin_import import upload_and_preview
from tests.admin_helpers import upload
from tests.imports.test_import_parties import long_file
from tests.projection_builders import add_projection

ALDERSHOT, CLACTON = "E14001063", "E14001174"
CHANGELIST = reverse("admin:constituencies_party_changelist")


@pytest.fixture
def two_health_parties(ge2024):
    """NHA and NHAP, one party under two codes: NHAP has a candidacy (Aldershot's other candidates, made one
    candidate), a recommendation override and projected shares beside NHA's."""
    nha = Party.objects.create(code="NHA", name="National Health Action")
    nhap = Party.objects.create(code="NHAP", name="National Health Action Party")
    Candidacy.objects.filter(result__constituency__ons_id=ALDERSHOT, is_combined=True).update(
        party=nhap, is_combined=False, candidate_name="Dr Health"
    )
    recompute_all_assessments()
    aldershot = Result.objects.get(constituency__ons_id=ALDERSHOT)
    RecommendationOverride.objects.create(
        election=aldershot.election,
        constituency=aldershot.constituency,
        recommended_party=nhap,
        reason="Test",
    )
    add_projection(
        "MRP",
        date(2024, 6, 1),
        {
            ALDERSHOT: {"Lab": 50, "Con": 46.25, "NHA": 1.5, "NHAP": 2.25},
            CLACTON: {"RUK": 60, "Con": 37, "NHAP": 3},
        },
    )
    return nha, nhap


def party_totals():
    return (
        Candidacy.objects.count(),
        Candidacy.objects.aggregate(votes=Sum("votes"))["votes"],
        ProjectedShare.objects.aggregate(share=Sum("share"))["share"],
        SeatAssessment.objects.count(),
        RecommendationOverride.objects.count(),
    )


def test_merging_moves_everything_and_loses_nothing(two_health_parties):
    nha, nhap = two_health_parties
    candidacies, votes, shares, assessments, overrides = party_totals()
    summary = merge_parties(nha, [nhap], username="tester")

    assert party_totals() == (candidacies, votes, shares, assessments, overrides)
    assert not Party.objects.filter(code="NHAP").exists()
    assert Candidacy.objects.get(candidate_name="Dr Health").party == nha
    assert RecommendationOverride.objects.get().recommended_party == nha
    shares_now = dict(ProjectedShare.objects.filter(party=nha).values_list("constituency__ons_id", "share"))
    assert shares_now == {ALDERSHOT: Decimal("3.75"), CLACTON: Decimal("3.00")}  # 1.5 + 2.25 in one row
    assert summary.shares_added == 1 and summary.moved["candidacies (party)"] == 1
    event = AuditEvent.objects.get(action=AuditEvent.Action.PARTIES_MERGED)
    assert event.username == "tester"
    assert event.details["merged"] == [{"code": "NHAP", "name": "National Health Action Party", "bloc": ""}]
    assert event.summary.startswith("NHAP merged into NHA: moved 1 candidacies (party)")
    # The assessments are those a recompute gives now.
    stored = sorted(
        SeatAssessment.objects.values_list("constituency_id", "winner_id", "runner_up_id", "majority")
    )
    recompute_all_assessments()
    assert (
        sorted(SeatAssessment.objects.values_list("constituency_id", "winner_id", "runner_up_id", "majority"))
        == stored
    )


def test_merging_a_party_into_itself_is_refused_and_changes_nothing(two_health_parties, snapshot):
    nha, _ = two_health_parties
    before = snapshot()
    with pytest.raises(PartyMergeError, match="choose at least one party other than the one kept"):
        merge_parties(nha, [nha])
    assert snapshot() == before


def test_the_admin_action_confirms_then_merges(admin_client, two_health_parties, snapshot):
    nha, nhap = two_health_parties
    totals = party_totals()
    selected = {"action": "merge_into", "_selected_action": [nha.pk, nhap.pk]}
    before = snapshot()
    page = admin_client.post(CHANGELIST, selected)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Merge parties" in html and "National Health Action Party" in html
    assert snapshot() == before  # the confirmation page writes nothing

    response = admin_client.post(CHANGELIST, {**selected, "post": "yes", "kept": nha.pk}, follow=True)
    assert response.redirect_chain[-1][0].startswith(CHANGELIST)
    assert "Parties merged. NHAP merged into NHA" in response.content.decode()
    assert party_totals() == totals
    assert list(Party.objects.filter(code__startswith="NHA").values_list("code", flat=True)) == ["NHA"]


def test_the_admin_action_with_only_the_kept_party_says_so(admin_client, two_health_parties, snapshot):
    nha, _ = two_health_parties
    before = snapshot()
    response = admin_client.post(
        CHANGELIST, {"action": "merge_into", "_selected_action": [nha.pk], "post": "yes", "kept": nha.pk}
    )
    assert response.status_code == 200
    assert "choose at least one party other than the one kept" in response.content.decode()
    assert snapshot() == before


def test_the_import_preview_lists_new_and_matched_parties_with_a_way_to_merge(admin_client, ge2024, tmp_path):
    Party.objects.create(code="PBP", name="People Before Profit")
    path = long_file(tmp_path, "Labour", "People Before Profit Alliance", "Independent Network")
    preview = upload_and_preview(
        admin_client,
        {
            "election": "",
            "new_name": "2025 Aldershot by-election",
            "new_slug": "by-aldershot-2025",
            "new_date": "2025-05-01",
            "new_kind": "by",
            "new_boundary_set": ge2024.boundary_set.pk,
            "layout": "",
            "results_file": upload("aldershot.csv", path.read_bytes()),
        },
    )
    html = preview.content.decode()
    assert "<strong>IN</strong> (Independent Network)" in html
    assert f'<a href="{CHANGELIST}">merge it into that party</a>' in html
    assert (
        "&ldquo;People Before Profit Alliance&rdquo; as <strong>PBP</strong> (People Before Profit)" in html
    )


def preview_aldershot_by_election(admin_client, ge2024, path):
    return upload_and_preview(
        admin_client,
        {
            "election": "",
            "new_name": "2025 Aldershot by-election",
            "new_slug": "by-aldershot-2025",
            "new_date": "2025-05-01",
            "new_kind": "by",
            "new_boundary_set": ge2024.boundary_set.pk,
            "layout": "",
            "results_file": upload("aldershot.csv", path.read_bytes()),
        },
    )


def test_a_new_party_can_be_taken_as_a_known_one_on_the_preview(admin_client, ge2024, tmp_path):
    Party.objects.create(code="HI", name="Hampshire Independents")
    path = long_file(tmp_path, "Labour", "Independents for Hampshire")  # not matched by its name
    preview = preview_aldershot_by_election(admin_client, ge2024, path)
    html = preview.content.decode()
    assert '<select name="merge_party_IH">' in html
    assert '<option value="HI">the same as Hampshire Independents (HI)</option>' in html
    parties_before = Party.objects.count()

    response = admin_client.post(
        reverse("admin:constituencies_election_import_confirm", args=[preview.context["pending"].token]),
        {"state": preview.context["summary"].state_before, "merge_party_IH": "HI"},
    )
    assert response.status_code == 302
    assert Party.objects.count() == parties_before  # IH never created
    candidacy = Candidacy.objects.get(result__election__slug="by-aldershot-2025", votes=19000)
    assert candidacy.party.code == "HI"


def test_taking_a_new_party_as_one_that_does_not_exist_is_refused(admin_client, ge2024, tmp_path, snapshot):
    path = long_file(tmp_path, "Labour", "Independents for Hampshire")
    preview = preview_aldershot_by_election(admin_client, ge2024, path)
    before = snapshot()
    response = admin_client.post(
        reverse("admin:constituencies_election_import_confirm", args=[preview.context["pending"].token]),
        {"state": preview.context["summary"].state_before, "merge_party_IH": "NOPE"},
        follow=True,
    )
    assert (
        "Nothing was imported. aldershot.csv: no party NOPE to merge a new party into"
        in response.content.decode()
    )
    assert snapshot() == before
