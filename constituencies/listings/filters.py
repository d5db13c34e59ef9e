"""The one FilterSet behind the staff seat list, its CSV and JSON exports and the JSON API.

Query parameters (the same everywhere): election, tragedy, marginality, majority_pct_min,
majority_pct_max, winner, runner_up, advice, best_placed, changed, supporters, country, region, q,
sort.

A bad value never raises: it becomes a form error naming the parameter, and that filter is not
applied (the page shows the message beside an otherwise filtered list; the API answers 400).
An unknown election falls back to the default one, the most recent general election loaded.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property, partial

import django_filters
from django import forms
from django.db.models import Case, F, Q, Value, When
from django.template.defaultfilters import pluralize
from django.utils.text import slugify

from constituencies.listings.advice import ListedAdvice, listed_advice
from constituencies.listings.fields import (
    DEFAULT_SORT,
    SORT_CHOICES,
    AdviceFilter,
    ChangedFilter,
    ChoiceFilter,
    MarginalityFilter,
    PartyFilter,
    PercentFilter,
    SeatFilterForm,
    SupportersFilter,
    TragedyFilter,
    format_param,
)
from constituencies.listings.records import PartyIndex, seat_assessments
from constituencies.models import Constituency, Election, Party, SeatAssessment
from constituencies.rules.advice import ADVICE_LABELS
from constituencies.rules.names import compact_key
from constituencies.rules.ons import is_ons_code
from constituencies.seats.previous import previous_election, with_previous
from constituencies.seats.supporter_counts import supporter_counts

SEARCH_MAX_LENGTH = 100
PARTY_ERROR = (
    "“%(value)s” is not a party code we know. Use a short code such as Lab, Con, LD, Green, SNP, PC or RUK."
)


class SeatFilter(django_filters.FilterSet):
    """Filters the SeatAssessment rows of one election. Reads elections, parties and regions once each."""

    election = ChoiceFilter(
        label="Election",
        method="filter_nothing",  # always applied, in filter_queryset
        error_messages={"invalid_choice": "There is no election “%(value)s” loaded."},
    )
    tragedy = TragedyFilter(
        label="Progressive tragedy",
        method="filter_tragedy",
        choices=[("", "All seats"), ("true", "Progressive tragedies only"), ("false", "Not tragedies")],
        error_messages={"invalid_choice": "“%(value)s” is not a choice here: use true or false."},
    )
    marginality = MarginalityFilter(
        label="Marginality",
        choices=SeatAssessment.Marginality.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_marginality",
        error_messages={
            "invalid_choice": "“%(value)s” is not a marginality band: use very_marginal, marginal or safe."
        },
    )
    majority_pct_min = PercentFilter(
        label="Majority from (%)",
        field_name="majority_pct",
        lookup_expr="gte",
        error_messages={
            "invalid": "Enter the smallest majority as a number from 0 to 100, such as 5 or 7.5."
        },
    )
    majority_pct_max = PercentFilter(
        label="Majority up to (%)",
        field_name="majority_pct",
        lookup_expr="lte",
        error_messages={"invalid": "Enter the largest majority as a number from 0 to 100, such as 5 or 7.5."},
    )
    winner = PartyFilter(
        label="Winner", method="filter_party", error_messages={"invalid_choice": PARTY_ERROR}
    )
    runner_up = PartyFilter(
        label="Runner-up", method="filter_party", error_messages={"invalid_choice": PARTY_ERROR}
    )
    advice = AdviceFilter(label="Advice", method="filter_advice")  # choices and message set per election
    best_placed = PartyFilter(
        label="Best placed at the last result",
        method="filter_party",
        error_messages={"invalid_choice": PARTY_ERROR},
    )
    changed = ChangedFilter(
        label="Changed hands",
        method="filter_changed",
        choices=[("", "All seats"), ("true", "Changed hands"), ("false", "Held by the same party")],
        error_messages={"invalid_choice": "“%(value)s” is not a choice here: use true or false."},
    )
    supporters = SupportersFilter(label="At least this many supporters", method="filter_supporters")
    country = ChoiceFilter(
        label="Country",
        field_name="constituency__country",
        error_messages={"invalid_choice": "“%(value)s” is not a country with seats in this election."},
    )
    region = ChoiceFilter(
        label="Region",
        field_name="constituency__region",
        error_messages={"invalid_choice": "“%(value)s” is not a region with seats in this election."},
    )
    q = django_filters.CharFilter(
        label="Constituency name",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": f"Search for at most {SEARCH_MAX_LENGTH} characters."},
    )
    sort = ChoiceFilter(
        label="Sort by",
        method="filter_nothing",  # applied last, in filter_queryset
        choices=SORT_CHOICES,
        key=str.casefold,  # keep the "-" that means largest first
        error_messages={
            "invalid_choice": "“%(value)s” is not a way to sort: use name, majority, majority_pct or "
            "gap_to_win, with a leading - for largest first."
        },
    )

    class Meta:
        model = SeatAssessment
        fields: list[str] = []
        form = SeatFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        self.elections = list(Election.objects.with_seat_counts())
        self.default_election = default_election(self.elections)
        data = data.copy() if data is not None else {}
        self.election = self._resolve_election(data.get("election", ""))
        self.previous_election = previous_election(self.election, self.elections) if self.election else None
        if self.election and not (data.get("election") or "").strip():
            data["election"] = self.election.slug  # so the form shows, and links carry, the election used
        self.parties = PartyIndex(Party.objects.all())
        places = (
            Constituency.objects.filter(boundary_set_id=self.election.boundary_set_id)
            .values_list("country", "region")
            .distinct()
            .order_by("country", "region")
            if self.election
            else []
        )
        places = list(places)
        super().__init__(data, queryset if queryset is not None else seat_assessments(), **kwargs)

        self.filters["election"].extra["choices"] = [
            (e.slug, f"{e.name} ({e.seat_count} seat{pluralize(e.seat_count)})")
            for e in self.elections
            if e.seat_count
        ] or [(e.slug, e.name) for e in self.elections]
        for position, name in enumerate(("winner", "runner_up", "best_placed")):
            self.filters[name].extra["parties"] = self.parties
            self.filters[name].extra["choices"] = partial(self._party_choices, name, position)
        if self.election and not self.previous_election:
            self.filters["changed"].extra["no_previous"] = (
                f"The {self.election.name} has no earlier result on the same boundaries to compare with, "
                "so no seat can be said to have changed hands."
            )
        self._set_advice_choices()
        counts = supporter_counts()
        self.filters["supporters"].extra.update(
            shown_from=counts.shown_from,
            error_messages={
                "invalid": f"Enter the least number of confirmed supporters as a whole number, such as "
                f"{counts.shown_from} or 10.",
                "min_value": f"Seats with {counts.fewer} supporters are never told apart, so the list cannot be "
                f"filtered by them: use {counts.shown_from} or more.",
            },
        )
        self.filters["country"].extra["choices"] = [("", "Any country")] + [
            (c, c) for c in sorted({country for country, _ in places if country})
        ]
        self.filters["region"].extra["choices"] = [("", "Any region")] + [
            (r, r) for r in sorted({region for _, region in places if region})
        ]

    def _party_choices(self, name: str, position: int) -> list[tuple[str, str]]:
        """The parties that won, came second or are best placed somewhere in this election (and the one chosen)."""
        if not hasattr(self, "_placed_party_ids"):
            self._placed_party_ids = list(
                SeatAssessment.objects.filter(election=self.election)
                .values_list("winner_id", "runner_up_id", "best_placed_id")
                .distinct()
                if self.election
                else []
            )
        ids = {row[position] for row in self._placed_party_ids}
        chosen = self.parties.by_code(self.form.data.get(name, "")) if self.is_bound else None
        if chosen:
            ids.add(chosen.pk)
        return [("", "Any party")] + [(p.code, f"{p.name} ({p.code})") for p in self.parties.sorted(ids)]

    def _set_advice_choices(self):
        progressive = [p for p in self.parties.sorted() if p.bloc == Party.Bloc.PROGRESSIVE]
        codes = ", ".join(p.code for p in progressive)
        self.filters["advice"].extra.update(
            choices=[("", "Any advice")]
            + [(p.code, p.name) for p in progressive]
            + list(ADVICE_LABELS.items()),
            unavailable=self._advice_unavailable,
            error_messages={
                "invalid_choice": f"“%(value)s” is not advice we give: use a progressive party's code ({codes}), "
                "none_needed, too_close or not_applicable."
            },
        )

    @cached_property
    def listed_advice(self) -> ListedAdvice:
        """The advice for the seats of the election listed (none when it cannot be advised on)."""
        return listed_advice(self.election) if self.election else ListedAdvice()

    def _advice_unavailable(self) -> str:
        why = self.listed_advice.unavailable
        if not why or self.election is None:
            return ""
        return f"There is no advice for the {self.election.name}, so the list cannot be filtered by it. {why}"

    # The election: always one, never "all" -------------------------------------------------------------

    def _resolve_election(self, raw: str) -> Election | None:
        key = compact_key(raw or "")
        for election in self.elections:
            if key and compact_key(election.slug) == key:
                return election
        return self.default_election

    def filter_queryset(self, queryset):
        if self.election is None:
            return queryset.none()
        queryset = with_previous(queryset.filter(election_id=self.election.pk), self.previous_election)
        self._show_values_used()
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*sort_order(self.sort_in_force))

    def _show_values_used(self):
        """Make the form show what the list is filtered by: "london" as London, a bad election as the one used."""
        data = self.form.data
        if "election" in self.form.errors:
            data["election"] = self.election.slug
        for name, value in self.form.cleaned_data.items():
            if isinstance(value, list):
                if hasattr(data, "setlist") and value:
                    data.setlist(name, value)
            elif isinstance(value, str | Decimal) and value != "" and data.get(name) != format_param(value):
                data[name] = format_param(value)

    @property
    def sort_in_force(self) -> str:
        """The sort in force: the one asked for if it is valid, else by name."""
        self.errors  # noqa: B018 (runs validation; a bad sort is simply not applied)
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT

    # Filter methods ----------------------------------------------------------------------------------------

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_tragedy(self, queryset, name, value):
        if value == "true":
            return queryset.filter(is_tragedy=True)
        if value == "false":
            return queryset.filter(is_tragedy=False)
        return queryset

    def filter_changed(self, queryset, name, value):
        """true: the seats that changed hands since the previous contest; false: those the same party held.
        Seats where it cannot be said (seats.previous.with_previous) are in neither."""
        if value in ("true", "false"):
            return queryset.filter(changed_hands=value == "true")
        return queryset

    def filter_marginality(self, queryset, name, value):
        return queryset.filter(marginality__in=value) if value else queryset

    def filter_party(self, queryset, name, value):
        party = self.parties.by_code(value)
        if not party:
            return queryset
        if name == "best_placed":  # the recommendation shown, override included (with_recommendation)
            return queryset.filter(recommended_party_id=party.pk)
        return queryset.filter(**{f"{name}_id": party.pk})

    def filter_advice(self, queryset, name, value):
        return queryset.filter(constituency_id__in=self.listed_advice.seat_ids(value)) if value else queryset

    def filter_supporters(self, queryset, name, value):
        return queryset.filter(constituency_id__in=supporter_counts().seat_ids_from(value))

    def filter_search(self, queryset, name, value):
        return queryset.filter(name_search(value)) if value.strip() else queryset

    # For the page and the exports ----------------------------------------------------------------------------

    def error_messages(self) -> list[str]:
        """Every problem with the query, each naming the parameter it is about."""
        messages = []
        for field, errors in self.errors.items():
            label = "" if field == "__all__" else f"{field}: "
            messages.extend(f"{label}{error}" for error in errors)
        return messages

    def applied_filters(self) -> dict[str, str]:
        """The filters in force, by parameter name (several values joined with commas)."""
        applied: dict[str, str] = {}
        for name, value in self.query_params():
            applied[name] = f"{applied[name]},{value}" if name in applied else value
        return applied

    def query_params(self, **overrides) -> list[tuple[str, str]]:
        """The valid filters as canonical query parameters, for shareable links and the exports."""
        self.errors  # noqa: B018 (runs validation)
        params: list[tuple[str, str]] = []
        cleaned = getattr(self.form, "cleaned_data", {})
        if self.election:
            params.append(("election", self.election.slug))
        for name in self.filters:
            if name == "election" or name not in cleaned or name in overrides:
                continue
            value = cleaned[name]
            if value in (None, "", []):
                continue
            if name == "sort" and value == DEFAULT_SORT:
                continue
            for item in value if isinstance(value, list) else [value]:
                params.append((name, format_param(item)))
        for name, value in overrides.items():
            if value not in (None, "") and not (name == "sort" and value == DEFAULT_SORT):
                params.append((name, str(value)))
        return params


def default_election(elections: list[Election]) -> Election | None:
    """The most recent general election with results loaded; failing that the most recent election with any.

    Unlike current.current_boundary_set, which takes the newest general election whether or not its results are
    in, this skips empty elections: a seat list needs seats. It picks from the list already read, with no query.
    """
    loaded = [e for e in elections if getattr(e, "seat_count", 1)]
    general = [e for e in loaded if e.kind == Election.Kind.GENERAL]
    for candidates in (general, loaded):
        if candidates:
            return max(candidates, key=lambda e: (e.date, e.slug))
    return None


def sort_order(sort: str) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    direction = "-" if descending else ""
    name = f"{direction}constituency__name"
    if key == "name":
        return [name, "pk"]
    if key == "gap_to_win":
        # The gap the list shows (annotated by seats.recommendations.with_recommendation). Either way round,
        # the seats to win come first; then those the best-placed party already holds (gap 0), so they do not
        # crowd out the targets; then those showing none (no progressive stood, or the editors recommend a party
        # other than the best placed).
        gap = F("shown_gap_to_win")
        still_to_win = Case(
            When(shown_gap_to_win__isnull=True, then=Value(2)),
            When(shown_gap_to_win=0, then=Value(1)),
            default=Value(0),
        )
        return [still_to_win, gap.desc() if descending else gap.asc(), "constituency__name", "pk"]
    return [f"{direction}{key}", "constituency__name", "pk"]


def name_search(text: str) -> Q:
    """Every word must appear in the name, ignoring case, accents and punctuation; or an exact ONS code.

    "ynys mon" finds Ynys Môn and "batley & spen" Batley and Spen, by matching words against the ASCII slug.
    """
    text = text.strip()
    if is_ons_code(text, any_case=True):
        return Q(constituency__ons_id__iexact=text)
    words = [word for word in slugify(text).split("-") if word]
    if not words:
        return Q(constituency__name__icontains=text)
    condition = Q()
    for word in words:
        condition &= Q(constituency__slug__contains=word)
    return condition
