"""The foundation's checks: a bloc change recomputes the assessments, and the home page lists the elections."""

from django.urls import reverse

from constituencies.models import Party, SeatAssessment
from constituencies.seats.assessments import recompute_all_assessments
from tests.builders import BATLEY_2021, import_results


def test_changing_the_blocs_recomputes_tragedies(ge2024):
    godalming = SeatAssessment.objects.get(constituency__name="Godalming and Ash")
    assert godalming.is_tragedy
    Party.objects.filter(code="LD").update(bloc="")
    recompute_all_assessments()
    godalming = SeatAssessment.objects.get(constituency__name="Godalming and Ash")
    assert not godalming.is_tragedy
    assert godalming.best_placed.code == "Lab"


def test_admin_bloc_edit_recomputes(ge2024, admin_client):
    ld = Party.objects.get(code="LD")
    response = admin_client.post(
        reverse("admin:constituencies_party_change", args=[ld.pk]),
        {"code": "LD", "name": ld.name, "colour": ld.colour, "bloc": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "seat assessments recomputed" in response.content.decode()
    assert not SeatAssessment.objects.get(constituency__name="Godalming and Ash").is_tragedy


def test_home_lists_elections_with_seat_and_tragedy_counts(ge2024, client):
    response = client.get(reverse("constituencies:home"))
    html = response.content.decode()
    assert "2024 general election" in html
    election = response.context["elections"][0]
    assert (election.seat_count, election.tragedy_count) == (7, 1)  # Godalming and Ash


def test_home_lists_the_newest_election_first(ge2024, ge2019, client):
    import_results(
        BATLEY_2021, "--election", "by-batley-and-spen-2021", "--date", "2021-07-01", "--boundaries", "2010"
    )
    elections = client.get(reverse("constituencies:home")).context["elections"]
    assert [e.slug for e in elections] == ["ge2024", "by-batley-and-spen-2021", "ge2019"]


def test_home_without_data_explains_how_to_load_it(client, db):
    html = client.get(reverse("constituencies:home")).content.decode()
    assert "No results are loaded yet" in html
    assert "load_demo" in html
