"""Overriding a seat's recommendation: the service, the admin, the audit trail and the notice partial."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from constituencies.models import (
    AuditEvent,
    Constituency,
    Party,
    RecommendationOverride,
    SeatAssessment,
)
from constituencies.seats.recommendations import (
    attach_recommendations,
    effective_recommendation,
    effective_recommendations,
    recommendation_for,
    with_recommendation,
)
from tests.builders import SAMPLES, import_results, staff_user

REASON = "Recent by-election: the Lib Dems won the council seats"
NOTICE = "constituencies/includes/_override_notice.html"


def assessment(name):
    return SeatAssessment.objects.select_related("best_placed").get(constituency__name=name)


def override(election, name, party_code, reason=REASON):
    return RecommendationOverride.objects.create(
        election=election,
        constituency=Constituency.objects.get(name=name, boundary_set=election.boundary_set),
        recommended_party=Party.objects.get(code=party_code),
        reason=reason,
    )


# --- the service ----------------------------------------------------------------------------


def test_without_an_override_the_computed_party_is_recommended(ge2024, django_assert_num_queries):
    seat = assessment("Godalming and Ash")
    with django_assert_num_queries(0):
        rec = recommendation_for(seat)
    assert rec.party.code == rec.computed_party.code == "LD"
    assert not rec.is_overridden and rec.reason == "" and not rec.differs_from_computed
    assert rec.as_dict() == {
        "party": "LD",
        "party_name": "Liberal Democrats",
        "overridden": False,
        "reason": None,
        "overridden_at": None,
        "computed_party": "LD",
        "lead_is_clear": True,
    }


def test_an_override_replaces_the_party_and_carries_its_reason(ge2024, django_assert_num_queries):
    made = override(ge2024, "Godalming and Ash", "Green")
    seat = assessment("Godalming and Ash")
    with django_assert_num_queries(1):
        rec = effective_recommendation(seat)
    assert rec.party.code == "Green" and rec.computed_party.code == "LD"
    assert rec.is_overridden and rec.differs_from_computed
    assert rec.reason == REASON and rec.override == made
    data = rec.as_dict()
    assert (data["party"], data["overridden"], data["reason"], data["computed_party"]) == (
        "Green",
        True,
        REASON,
        "LD",
    )
    assert data["overridden_at"] == made.updated_at.isoformat()


def test_an_override_agreeing_with_the_numbers_is_still_marked(ge2024):
    override(ge2024, "Godalming and Ash", "LD", reason="Confirmed by local polling in June")
    rec = effective_recommendation(assessment("Godalming and Ash"))
    assert rec.is_overridden and not rec.differs_from_computed
    assert rec.reason == "Confirmed by local polling in June"


def test_a_seat_where_no_progressive_stood_can_be_given_a_recommendation(ge2024):
    seat = assessment("Chorley")
    seat.best_placed = None  # as in a seat no progressive party contested
    assert recommendation_for(seat).party is None
    made = override(ge2024, "Chorley", "Green", reason="Only the Green stood against the Speaker")
    made.election_id, made.constituency_id = seat.election_id, seat.constituency_id
    rec = recommendation_for(seat, made)
    assert rec.party.code == "Green" and rec.computed_party is None and rec.differs_from_computed


def test_an_override_for_another_seat_is_refused(ge2024):
    made = override(ge2024, "Aldershot", "LD")
    with pytest.raises(ValueError, match="is not an override of"):
        recommendation_for(assessment("Clacton"), made)


def test_overrides_for_a_list_in_constant_queries(ge2024, django_assert_max_num_queries):
    override(ge2024, "Godalming and Ash", "Green")
    override(ge2024, "Clacton", "Lab", reason="Labour came second here in the county elections")
    seats = list(SeatAssessment.objects.filter(election=ge2024).select_related("best_placed", "constituency"))
    assert len(seats) == 7
    with django_assert_max_num_queries(1):
        recs = effective_recommendations(seats)
    by_name = {seat.constituency.name: recs[seat.pk] for seat in seats}
    assert {name for name, rec in by_name.items() if rec.is_overridden} == {"Godalming and Ash", "Clacton"}
    assert by_name["Clacton"].party.code == "Lab"
    assert by_name["Aldershot"].party.code == by_name["Aldershot"].computed_party.code


def test_without_select_related_the_list_still_takes_two_queries(ge2024, django_assert_max_num_queries):
    override(ge2024, "Godalming and Ash", "Green")
    seats = list(SeatAssessment.objects.filter(election=ge2024))
    with django_assert_max_num_queries(2):
        listed = attach_recommendations(seats)
        parties = [seat.recommendation.party.code if seat.recommendation.party else None for seat in listed]
        computed = [seat.recommendation.computed_party for seat in listed]
    assert "Green" in parties and len(computed) == 7


def test_overrides_are_matched_by_election_and_seat(ge2024, tmp_path, django_assert_max_num_queries):
    # The same seats in a second election on the same boundaries: an override in one is not in the other.
    import_results(
        SAMPLES / "notional-2019-sample.csv", "--election", "notional-ge2019-2024",
        "--date", "2019-12-12", "--boundaries", "2024",
    )  # fmt: skip
    override(ge2024, "Godalming and Ash", "Green")
    seats = list(
        SeatAssessment.objects.filter(constituency__name="Godalming and Ash").select_related(
            "election", "best_placed"
        )
    )
    assert len(seats) == 2
    with django_assert_max_num_queries(1):
        recs = effective_recommendations(seats)
    assert {seat.election.slug: recs[seat.pk].is_overridden for seat in seats} == {
        "ge2024": True,
        "notional-ge2019-2024": False,
    }


def test_an_empty_list_needs_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert effective_recommendations([]) == {}


def test_the_rule_in_sql_agrees_with_the_rule_in_python(ge2024):
    override(ge2024, "Godalming and Ash", "Green")
    override(
        ge2024, "Aldershot", assessment("Aldershot").best_placed.code, reason="Confirmed by local polling"
    )
    seats = list(
        with_recommendation(SeatAssessment.objects.filter(election=ge2024)).select_related("best_placed")
    )
    recs = effective_recommendations(seats)
    assert [(s.recommended_party_id, s.shown_gap_to_win) for s in seats] == [
        (recs[s.pk].party.pk if recs[s.pk].party else None, recs[s.pk].gap_to_win) for s in seats
    ]
    assert {s.constituency.name for s in seats if s.shown_gap_to_win is None} == {"Godalming and Ash"}


def test_overrides_survive_reimporting_the_results(ge2024):
    override(ge2024, "Godalming and Ash", "Green")
    import_results(SAMPLES / "hoc-ge2024-constituency-sample.csv", "--election", "ge2024")
    assert effective_recommendation(assessment("Godalming and Ash")).party.code == "Green"


# --- the notice partial ---------------------------------------------------------------------


def test_the_notice_shows_the_override_marked_as_such_with_its_reason(ge2024):
    made = override(
        ge2024, "Godalming and Ash", "Green", reason="Greens <b>won</b> the council\nand the mayoralty"
    )
    made = RecommendationOverride.objects.select_related("recommended_party").get(pk=made.pk)
    html = render_to_string(NOTICE, {"override": made, "computed_party": Party.objects.get(code="LD")})
    assert "Editors&rsquo; recommendation" in html
    assert "not calculated from the result" in html
    assert "We recommend <strong>" in html and "Green Party</strong> here." in html
    assert (
        "Greens &lt;b&gt;won&lt;/b&gt; the council<br>and the mayoralty" in html
    )  # escaped, line breaks kept
    assert "On the numbers alone, Liberal Democrats would be best placed." in html
    assert (
        '<svg class="party-swatch" viewBox="0 0 1 1" aria-hidden="true" focusable="false"><rect width="1" height="1" fill="#02A95B"/></svg>'
        in html
    )
    assert f'datetime="{made.updated_at.isoformat()}"'[:30] in html


def test_the_notice_is_silent_without_an_override_and_when_it_agrees(ge2024):
    assert render_to_string(NOTICE, {"override": None}).strip() == ""
    made = override(ge2024, "Godalming and Ash", "LD", reason="Confirmed by local polling in June")
    html = render_to_string(NOTICE, {"override": made, "computed_party": Party.objects.get(code="LD")})
    assert "Editors&rsquo; recommendation" in html and "On the numbers alone" not in html


# --- the admin --------------------------------------------------------------------------------


def add_url():
    return reverse("admin:constituencies_recommendationoverride_add")


def form_data(ge2024, name="Godalming and Ash", party="Green", reason=REASON):
    return {
        "election": ge2024.pk,
        "constituency": Constituency.objects.get(name=name).pk,
        "recommended_party": Party.objects.get(code=party).pk,
        "reason": reason,
    }


def override_events(action=None):
    events = AuditEvent.objects.filter(action__startswith="override")
    return events.filter(action=action) if action else events


def test_admin_adds_an_override_and_the_audit_trail_records_it(ge2024, admin_client, admin_user):
    response = admin_client.post(add_url(), form_data(ge2024))
    assert response.status_code == 302
    made = RecommendationOverride.objects.get()
    assert (made.recommended_party.code, made.reason) == ("Green", REASON)
    assert made.created_by == made.updated_by == admin_user
    event = override_events(AuditEvent.Action.OVERRIDE_ADDED).get()
    assert event.constituency.name == "Godalming and Ash" and event.election == ge2024
    assert event.details["recommended_party"] == "Green" and event.details["reason"] == REASON
    assert (
        f"Godalming and Ash, 2024 general election: recommend Green Party. Reason: {REASON}" == event.summary
    )


def test_admin_change_and_delete_are_recorded(ge2024, admin_client):
    admin_client.post(add_url(), form_data(ge2024))
    made = RecommendationOverride.objects.get()
    change_url = reverse("admin:constituencies_recommendationoverride_change", args=[made.pk])
    admin_client.post(change_url, form_data(ge2024, party="Lab", reason="Labour now second in the polls"))
    changed = override_events(AuditEvent.Action.OVERRIDE_CHANGED).get()
    assert changed.details["changed"]["recommended_party"] == {"was": "Green", "now": "Lab"}
    assert changed.details["changed"]["reason"]["was"] == REASON

    admin_client.post(
        reverse("admin:constituencies_recommendationoverride_delete", args=[made.pk]), {"post": "yes"}
    )
    assert not RecommendationOverride.objects.exists()
    removed = override_events(AuditEvent.Action.OVERRIDE_REMOVED).get()
    assert removed.details["recommended_party"] == "Lab"
    assert override_events().count() == 3


def test_bulk_delete_from_the_list_is_recorded(ge2024, admin_client):
    first = override(ge2024, "Godalming and Ash", "Green")
    second = override(ge2024, "Clacton", "Lab", reason="Labour came second in the county elections")
    admin_client.post(
        reverse("admin:constituencies_recommendationoverride_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert not RecommendationOverride.objects.exists()
    assert sorted(
        override_events(AuditEvent.Action.OVERRIDE_REMOVED).values_list("constituency__name", flat=True)
    ) == [
        "Clacton",
        "Godalming and Ash",
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": ""}, "reason", "This field is required."),
        (
            {"reason": "   short "},
            "reason",
            "Give the public reason for the override (at least 10 characters).",
        ),
    ],
)
def test_a_public_reason_is_required(ge2024, admin_client, data, field, message):
    response = admin_client.post(add_url(), {**form_data(ge2024), **data})
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert not RecommendationOverride.objects.exists() and not override_events().exists()


def test_an_override_must_be_for_a_seat_with_a_result_in_that_election(ge2024, admin_client, tmp_path):
    from constituencies.models import BoundarySet

    old = BoundarySet.objects.create(code="2010", name="2010 constituency boundaries")
    batley = Constituency.objects.create(
        boundary_set=old, ons_id="E14000548", name="Batley and Spen", slug="batley-and-spen"
    )
    response = admin_client.post(add_url(), {**form_data(ge2024), "constituency": batley.pk})
    assert (
        "Batley and Spen is on the 2010 constituency boundaries, but 2024 general election was fought on the 2024 constituency boundaries."
        in response.context["adminform"].form.errors["constituency"]
    )
    unused = Constituency.objects.create(
        boundary_set=ge2024.boundary_set, ons_id="E14001999", name="Nowhere", slug="nowhere"
    )
    response = admin_client.post(add_url(), {**form_data(ge2024), "constituency": unused.pk})
    assert (
        "2024 general election has no result for Nowhere."
        in response.context["adminform"].form.errors["constituency"]
    )
    assert not RecommendationOverride.objects.exists()


def test_one_override_per_seat_and_election(ge2024, admin_client):
    override(ge2024, "Godalming and Ash", "Green")
    response = admin_client.post(add_url(), form_data(ge2024, party="Lab"))
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert RecommendationOverride.objects.get().recommended_party.code == "Green"


def test_the_database_refuses_an_empty_reason(ge2024):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        override(ge2024, "Godalming and Ash", "Green", reason="")


def test_assessment_list_shows_overrides_in_constant_queries(
    ge2024, admin_client, django_assert_max_num_queries
):
    url = reverse("admin:constituencies_seatassessment_changelist")
    admin_client.get(url)  # warm caches (content types, session)
    with django_assert_max_num_queries(30) as few:  # the admin's own queries (filters, counts, session)
        admin_client.get(url)
    override(ge2024, "Godalming and Ash", "Green")
    override(ge2024, "Clacton", "Lab", reason="Labour came second in the county elections")
    with django_assert_max_num_queries(len(few.captured_queries)):  # overrides add no query per row
        html = admin_client.get(url).content.decode()
    assert html.count("overridden</a>:") == 2
    assert REASON in html
    # Seats without an override link to a pre-filled form for one.
    godalming = SeatAssessment.objects.get(constituency__name="Aldershot")
    assert f"{add_url()}?election={ge2024.pk}&amp;constituency={godalming.constituency_id}" in html


def test_overrides_need_their_permissions(ge2024, client):
    staff_user("viewer", "view_recommendationoverride")
    client.login(username="viewer", password="correct horse battery")
    assert client.get(reverse("admin:constituencies_recommendationoverride_changelist")).status_code == 200
    assert client.post(add_url(), form_data(ge2024)).status_code == 403
    assert not RecommendationOverride.objects.exists()
