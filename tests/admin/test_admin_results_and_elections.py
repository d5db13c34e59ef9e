"""Results are read-only in admin (they change only through the audited import), and deleting an election
is recorded in the audit trail."""

from django.test import Client
from django.urls import reverse

from constituencies.models import (
    AuditEvent,
    Candidacy,
    Election,
    Party,
    RecommendationOverride,
    Result,
    ResultsImport,
    SeatAssessment,
)
from constituencies.seats.elections import delete_election
from tests.admin_helpers import import_url
from tests.builders import staff_user

REASON = "Local knowledge: the Liberal Democrats hold every council seat"


def result_url(name, *args):
    return reverse(f"admin:constituencies_result_{name}", args=args)


def godalming(election):
    return Result.objects.get(election=election, constituency__name="Godalming and Ash")


def test_a_result_and_its_votes_cannot_be_edited_in_admin(admin_client, ge2024, snapshot):
    result = godalming(ge2024)
    candidacy = result.candidacies.order_by("-votes").first()
    before = snapshot()

    page = admin_client.get(result_url("change", result.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="valid_votes"' not in html and 'name="candidacies-0-votes"' not in html
    assert f"<p>{candidacy.votes}</p>" in html  # the votes are shown as text
    assert 'name="_save"' not in html
    assert "Results are read-only here" in html
    assert f'href="{import_url()}?election={ge2024.pk}"' in html  # "Import results" into this election

    # A forged form changes nothing.
    edited = {
        "election": ge2024.pk,
        "constituency": result.constituency_id,
        "valid_votes": 1,
        "candidacies-TOTAL_FORMS": 1,
        "candidacies-INITIAL_FORMS": 1,
        "candidacies-0-id": candidacy.pk,
        "candidacies-0-result": result.pk,
        "candidacies-0-party": candidacy.party_id,
        "candidacies-0-votes": 1,
    }
    assert admin_client.post(result_url("change", result.pk), edited).status_code == 403
    assert admin_client.get(result_url("add")).status_code == 403
    assert admin_client.post(result_url("delete", result.pk), {"post": "yes"}).status_code == 403
    assert snapshot() == before


def test_the_results_list_points_to_the_import(admin_client, ge2024):
    html = admin_client.get(result_url("changelist")).content.decode()
    assert "Godalming and Ash" in html
    assert "Results are read-only here" in html and f'href="{import_url()}"' in html
    assert result_url("add") not in html


def test_staff_who_cannot_import_are_told_who_can(client, ge2024):
    staff_user("viewer", "view_result", "view_candidacy")
    client.login(username="viewer", password="correct horse battery")
    html = client.get(result_url("change", godalming(ge2024).pk)).content.decode()
    assert "Can upload and apply results files" in html
    assert import_url() not in html
    assert "Jeremy Hunt" in html  # the candidacies are shown, read-only


def test_deleting_an_election_takes_its_results_and_is_recorded(admin_client, admin_user, ge2024):
    RecommendationOverride.objects.create(
        election=ge2024,
        constituency=godalming(ge2024).constituency,
        recommended_party=Party.objects.get(code="LD"),
        reason=REASON,
    )
    results, candidacies = ge2024.results.count(), Candidacy.objects.filter(result__election=ge2024).count()
    imports = list(ResultsImport.objects.filter(election=ge2024).values_list("pk", flat=True))
    assert results == 7 and imports

    url = reverse("admin:constituencies_election_delete", args=[ge2024.pk])
    confirmation = admin_client.get(url)
    assert confirmation.status_code == 200 and not confirmation.context["perms_lacking"]
    assert "recorded in the audit trail" in confirmation.content.decode()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302

    assert not Election.objects.filter(slug="ge2024").exists()
    assert not Result.objects.exists() and not SeatAssessment.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ELECTION_DELETED)
    assert event.user == admin_user and event.username == admin_user.username
    assert event.summary == (
        "2024 general election (ge2024) deleted with its 7 results and 1 recommendation overrides"
    )
    assert event.details["slug"] == "ge2024" and event.details["boundary_set"] == "2024"
    assert (event.details["results"], event.details["candidacies"], event.details["assessments"]) == (
        results,
        candidacies,
        results,
    )
    assert event.details["overrides"] == [
        {
            "constituency": "Godalming and Ash",
            "ons_id": "E14001249",
            "recommended_party": "LD",
            "reason": REASON,
        }
    ]
    assert event.details["imports"] == imports
    assert ResultsImport.objects.get(pk=imports[0]).election_slug == "ge2024"  # the import record stays


def test_deleting_elections_from_the_list_is_recorded_for_each(admin_client, ge2024, ge2019):
    response = admin_client.post(
        reverse("admin:constituencies_election_changelist"),
        {"action": "delete_selected", "_selected_action": [ge2024.pk, ge2019.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Election.objects.exists()
    deleted = AuditEvent.objects.filter(action=AuditEvent.Action.ELECTION_DELETED)
    assert sorted(e.details["slug"] for e in deleted) == ["ge2019", "ge2024"]


def test_deleting_an_election_with_results_needs_the_import_permission(ge2024):
    staff_user("clerk", "view_election", "delete_election")
    client = Client()
    client.login(username="clerk", password="correct horse battery")
    url = reverse("admin:constituencies_election_delete", args=[ge2024.pk])
    confirmation = client.get(url)
    assert confirmation.context["perms_lacking"] == {"results (Can upload and apply results files)"}
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Election.objects.filter(pk=ge2024.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ELECTION_DELETED).exists()


def test_an_election_with_results_cannot_move_to_other_boundaries(admin_client, ge2024, ge2019):
    url = reverse("admin:constituencies_election_change", args=[ge2024.pk])
    assert 'name="boundary_set"' not in admin_client.get(url).content.decode()
    form = {
        "name": ge2024.name,
        "slug": ge2024.slug,
        "date": ge2024.date.isoformat(),
        "kind": ge2024.kind,
        "boundary_set": ge2019.boundary_set_id,
    }
    assert admin_client.post(url, form).status_code == 302  # saved, but the boundaries are not a field
    ge2024.refresh_from_db()
    assert ge2024.boundary_set_id != ge2019.boundary_set_id

    empty = Election.objects.create(
        name="Empty", slug="ge2099", date="2099-05-01", kind="general", boundary_set=ge2019.boundary_set
    )
    page = admin_client.get(reverse("admin:constituencies_election_change", args=[empty.pk]))
    assert 'name="boundary_set"' in page.content.decode()  # nothing to strand yet


def test_deleting_an_election_someone_else_just_deleted_does_nothing(ge2024):
    stale = Election.objects.get(pk=ge2024.pk)  # a second admin's copy, loaded before the first deletion
    assert delete_election(ge2024, username="first") is not None
    assert delete_election(stale, username="second") is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ELECTION_DELETED).count() == 1
