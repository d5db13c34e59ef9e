"""The query behind /pr/ and /api/pr/: which election, method, allocation and threshold, checked, and the
comparison it asks for (rules/pr_comparison.py over seats/pr_votes.py).

    query = pr_query(request.GET)   # PrQuery: the bound form, the election, the comparison or the problems

Every parameter has a default (the latest general election, D'Hondt, nationally, no threshold), so a bare
/pr/ shows something. A bad value is a message on its field, never an exception: an unknown election or
method, an unknown allocation, a threshold that is not a number from 0 to MAX_THRESHOLD, an unknown threshold
scope, a by-election (one seat: nothing to allocate nationally), or an election with no results loaded. A fixed number of queries: the elections
(one), then the votes (seats/pr_votes.py: two, none while the seat data version is unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms

from constituencies.models import Election
from constituencies.rules import pr
from constituencies.rules.pr_comparison import Comparison, compare
from constituencies.seats.pr_votes import election_votes

DEFAULTS = {
    "method": pr.DHONDT,
    "by": pr.NATIONAL,
    "threshold": "",
    "threshold_scope": pr.THRESHOLD_NATIONAL,
}
THRESHOLD_ERROR = "The threshold must be a number from 0 to {max}, a percentage of the vote, not “{value}”."


def _shown(value: str) -> str:
    return "".join(ch for ch in str(value)[:40] if ch.isprintable())


def _choice_error(what: str, choices: dict[str, str]) -> str:
    listed = " or ".join(f"{code} ({label})" for code, label in choices.items())
    return f"There is no {what} “%(value)s”: use {listed}."


class ElectionField(forms.ChoiceField):
    """A select of the comparable elections whose value clean_election checks, with its own messages."""

    def validate(self, value):
        forms.Field.validate(self, value)


class PrForm(forms.Form):
    """The page's plain GET form, and the API's parameters: the same names and the same checks."""

    election = ElectionField(label="Election")
    method = forms.ChoiceField(
        label="Method",
        choices=list(pr.METHODS.items()),
        error_messages={"invalid_choice": _choice_error("method", pr.METHODS)},
    )
    by = forms.ChoiceField(
        label="Seats allocated",
        choices=list(pr.ALLOCATED_BY.items()),
        error_messages={"invalid_choice": _choice_error("allocation", pr.ALLOCATED_BY)},
    )
    threshold = forms.CharField(
        label="Threshold (% of the vote)",
        required=False,
        max_length=100,
        help_text=f"Blank or 0 for none; at most {pr.MAX_THRESHOLD}.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )
    threshold_scope = forms.ChoiceField(
        label="Threshold measured",
        choices=[(pr.THRESHOLD_NATIONAL, "Across the UK"), (pr.THRESHOLD_REGIONAL, "In each region")],
        error_messages={
            "invalid_choice": _choice_error(
                "threshold scope",
                {pr.THRESHOLD_NATIONAL: "across the UK", pr.THRESHOLD_REGIONAL: "in each region"},
            )
        },
    )

    def __init__(self, data, elections: list[Election]):
        self.elections = {e.slug: e for e in elections}
        comparable = [e for e in elections if e.kind != Election.Kind.BY_ELECTION]
        filled = {name: (data.get(name) or "").strip() or default for name, default in DEFAULTS.items()}
        filled["election"] = (data.get("election") or "").strip() or (
            comparable[0].slug if comparable else ""
        )
        super().__init__(filled)
        self.fields["election"].choices = [(e.slug, e.name) for e in comparable]

    def clean_election(self):
        slug = self.cleaned_data["election"]
        election = self.elections.get(slug)
        if election is None:
            raise forms.ValidationError(
                f"There is no election “{_shown(slug)}”; choose one of the general elections loaded."
            )
        if election.kind == Election.Kind.BY_ELECTION:
            raise forms.ValidationError(
                f"The {election.name} filled one seat, so there is no national allocation to compare: "
                "choose a general election."
            )
        return slug

    def clean_threshold(self):
        raw = self.cleaned_data["threshold"].strip().removesuffix("%").strip()
        if raw == "":
            return Decimal(0)
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= pr.MAX_THRESHOLD:
            raise forms.ValidationError(
                THRESHOLD_ERROR.format(max=pr.MAX_THRESHOLD, value=_shown(self.data["threshold"]))
            )
        return value

    @property
    def chosen_election(self) -> Election | None:
        return self.elections.get(self.data.get("election", ""))


@dataclass
class PrQuery:
    form: PrForm
    election: Election | None = None
    comparison: Comparison | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)  # by parameter
    nothing_loaded: bool = False

    @property
    def params(self) -> list[tuple[str, str]]:
        """This view's query, defaults left out (for links)."""
        if self.comparison is None:
            return []
        data = self.form.cleaned_data
        params = [("election", self.election.slug)]
        for name in ("method", "by"):
            if data[name] != DEFAULTS[name]:
                params.append((name, data[name]))
        if self.comparison.threshold.applies:
            params += [("threshold", f"{data['threshold']:f}"), ("threshold_scope", data["threshold_scope"])]
        return params


def pr_query(query) -> PrQuery:
    elections = list(Election.objects.order_by("-date", "slug"))
    form = PrForm(query, elections)
    result = PrQuery(form)
    if not form.fields["election"].choices:
        result.nothing_loaded = True
        return result
    if not form.is_valid():
        result.problems = {name: list(errors) for name, errors in form.errors.items()}
        return result
    data = form.cleaned_data
    election = form.chosen_election
    votes = election_votes(election)
    if not votes.nation.seats:
        form.add_error(
            "election", f"No results of the {election.name} are loaded yet: choose another election."
        )
        result.problems = {"election": list(form.errors["election"])}
        return result
    result.election = election
    threshold = pr.Threshold(float(data["threshold"]), data["threshold_scope"])
    result.comparison = compare(votes, data["method"], data["by"], threshold)
    return result
