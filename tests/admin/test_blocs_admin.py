"""Editing the blocs: every assessment recomputed, and the change recorded in the audit trail."""

import pytest
from django.urls import reverse

from constituencies.models import AuditEvent, Party, SeatAssessment
from constituencies.seats.blocs import change_blocs
from tests.builders import staff_user

BLOCS_URL = "admin:constituencies_party_blocs"


def godalming():
    return SeatAssessment.objects.select_related("best_placed").get(constituency__name="Godalming and Ash")


def bloc_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.BLOCS_CHANGED)


def codes(bloc):
    return sorted(Party.objects.filter(bloc=bloc).values_list("code", flat=True))


def test_change_blocs_recomputes_and_records(ge2024, admin_user):
    assert godalming().is_tragedy  # Con 27,839 beaten by Lab + LD + Green
    change = change_blocs({"LD": ""}, user=admin_user, note="Testing a Lab-only bloc")
    assert not godalming().is_tragedy
    assert godalming().best_placed.code == "Lab"
    assert (change.tragedies_before, change.tragedies_after, change.tragedy_changes) == (1, 0, 1)
    assert change.assessments == 7
    assert change.best_placed_changes >= 1
    event = bloc_events().get()
    assert event.user == admin_user and event.username == "admin"
    assert event.details["moves"] == [
        {"code": "LD", "name": "Liberal Democrats", "was": "progressive", "now": ""}
    ]
    assert event.details["note"] == "Testing a Lab-only bloc"
    assert "LD" not in event.details["progressive"] and "Lab" in event.details["progressive"]
    assert "LD: progressive \u2192 no bloc" in event.summary


def test_no_move_writes_nothing(ge2024):
    assert change_blocs({"LD": "progressive", "Con": "target"}) is None
    assert not bloc_events().exists()


def test_unknown_party_or_bloc_is_refused(ge2024, snapshot):
    before = snapshot()
    with pytest.raises(ValueError, match="unknown party codes: Nope"):
        change_blocs({"Nope": "progressive", "LD": ""})
    with pytest.raises(ValueError, match="not a bloc"):
        change_blocs({"LD": "centrist"})
    assert snapshot() == before
    assert not bloc_events().exists()


def test_a_failed_recompute_leaves_the_blocs_as_they_were(ge2024, snapshot, monkeypatch):
    from constituencies.seats import blocs

    def explode():
        raise RuntimeError("database went away")

    before = snapshot()
    monkeypatch.setattr(blocs, "recompute_all_assessments", explode)
    with pytest.raises(RuntimeError):
        change_blocs({"LD": ""})
    assert snapshot() == before
    assert not bloc_events().exists()


def test_bloc_editor_shows_the_current_blocs(ge2024, admin_client):
    response = admin_client.get(reverse(BLOCS_URL))
    form = response.context["form"]
    assert sorted(p.code for p in form.initial["progressive"]) == codes("progressive")
    assert sorted(p.code for p in form.initial["target"]) == codes("target")
    changelist = admin_client.get(reverse("admin:constituencies_party_changelist")).content.decode()
    assert reverse(BLOCS_URL) in changelist


def test_bloc_editor_saves_recomputes_and_records(ge2024, admin_client):
    parties = {p.code: p.pk for p in Party.objects.all()}
    progressive = [parties[c] for c in codes("progressive") if c != "LD"]
    target = [parties[c] for c in codes("target")]
    response = admin_client.post(
        reverse(BLOCS_URL), {"progressive": progressive, "target": target, "note": "what if"}, follow=True
    )
    html = response.content.decode()
    assert "Party blocs saved." in html and "7 seat assessments recomputed" in html
    assert Party.objects.get(code="LD").bloc == ""
    assert not godalming().is_tragedy
    event = bloc_events().get()
    assert event.details["note"] == "what if" and event.username == "admin"
    # The audit trail shows it, read-only.
    audit = admin_client.get(reverse("admin:constituencies_auditevent_changelist")).content.decode()
    assert "Party blocs changed" in audit


def test_a_party_in_both_blocs_is_refused(ge2024, admin_client, snapshot):
    before = snapshot()
    ld = Party.objects.get(code="LD").pk
    target = list(Party.objects.filter(bloc="target").values_list("pk", flat=True))
    response = admin_client.post(reverse(BLOCS_URL), {"progressive": [ld], "target": [*target, ld]})
    assert response.status_code == 200
    assert "A party cannot be in both blocs: Liberal Democrats." in response.content.decode()
    assert snapshot() == before


def test_bloc_editor_needs_permission_to_change_parties(ge2024, client, snapshot):
    staff_user("viewer", "view_party")
    client.login(username="viewer", password="correct horse battery")
    before = snapshot()
    assert client.get(reverse(BLOCS_URL)).status_code == 403
    assert client.post(reverse(BLOCS_URL), {"progressive": [], "target": []}).status_code == 403
    assert snapshot() == before
    anonymous = client.__class__()
    response = anonymous.get(reverse(BLOCS_URL))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_bloc_editor_checks_csrf(ge2024, admin_user, snapshot):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    before = snapshot()
    assert client.post(reverse(BLOCS_URL), {"progressive": [], "target": []}).status_code == 403
    assert snapshot() == before


def test_bloc_change_on_the_party_page_is_recorded_too(ge2024, admin_client):
    green = Party.objects.get(code="Green")
    response = admin_client.post(
        reverse("admin:constituencies_party_change", args=[green.pk]),
        {"code": "Green", "name": green.name, "colour": green.colour, "bloc": ""},
        follow=True,
    )
    assert "seat assessments recomputed" in response.content.decode()
    assert Party.objects.get(code="Green").bloc == ""
    event = bloc_events().get()
    assert event.details["moves"][0]["code"] == "Green" and event.username == "admin"
    # Editing something else on the party page records nothing.
    admin_client.post(
        reverse("admin:constituencies_party_change", args=[green.pk]),
        {"code": "Green", "name": "Green Party of England and Wales", "colour": green.colour, "bloc": ""},
    )
    assert bloc_events().count() == 1
