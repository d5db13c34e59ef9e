"""The seat filters' form fields, widgets and filters: lenient about case and punctuation, strict about values.

A value they cannot read becomes a form error naming what was typed, never an exception.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from constituencies.listings.records import PartyIndex
from constituencies.rules.names import compact_key

TWO_PLACES = Decimal("0.01")

SORT_CHOICES = [
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("majority", "Majority (votes), smallest first"),
    ("-majority", "Majority (votes), largest first"),
    ("majority_pct", "Majority (%), smallest first"),
    ("-majority_pct", "Majority (%), largest first"),
    ("gap_to_win", "Gap to win, smallest first"),
    ("-gap_to_win", "Gap to win, largest first"),
]
DEFAULT_SORT = "name"
TRUE_WORDS = {"true", "yes", "1", "on", "y"}
FALSE_WORDS = {"false", "no", "0", "off", "n"}


# Form fields and widgets -------------------------------------------------------------------------------


class FastSelect(forms.Select):
    """A <select> built in Python rather than through a template for every option: the seat list's form has
    over a hundred options, and Django's per-option templates made it most of the page's rendering time."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class LenientChoiceField(forms.ChoiceField):
    """A choice matched without regard to case or punctuation, cleaned to its canonical value."""

    widget = FastSelect
    default_validators = [ProhibitNullCharactersValidator()]

    def __init__(self, *, key=compact_key, **kwargs):
        self.key = key
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        # Every form gets a copy of its fields; share the choices rather than deep-copying them (they may be a
        # look-up bound to the FilterSet, which a deep copy would duplicate whole).
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return ""
        key = self.key(value)
        for choice, _label in self.choices:
            if choice and self.key(choice) == key:
                return choice
        return value  # validate() then reports it as an invalid choice, naming it

    def validate(self, value):
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value[:60]}
            )


class PartyField(LenientChoiceField):
    """Any party we know, by short code in any case. The drop-down lists only the parties that matter in the
    election (a callable, so that look-up runs only when the form is shown, not for the API or exports)."""

    def __init__(self, *, parties: PartyIndex, **kwargs):
        self.parties = parties
        super().__init__(**kwargs)

    def to_python(self, value):
        value = "" if value in self.empty_values else str(value).strip()
        party = self.parties.by_code(value)
        return party.code if party else value

    def validate(self, value):
        if value and self.parties.by_code(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value[:60]}
            )


class TragedyField(LenientChoiceField):
    def to_python(self, value):
        value = (value or "").strip().casefold()
        if value in TRUE_WORDS:
            return "true"
        if value in FALSE_WORDS:
            return "false"
        return value


class ChangedField(TragedyField):
    """true or false, as for tragedies; refused, saying why, when the election has no previous contest."""

    def __init__(self, *, no_previous: str = "", **kwargs):
        self.no_previous = no_previous
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and self.no_previous:
            raise forms.ValidationError(self.no_previous, code="no_previous")


class MarginalityField(forms.MultipleChoiceField):
    """One or more bands, repeated (?marginality=a&marginality=b) or comma-separated."""

    def to_python(self, value):
        values = super().to_python(value)
        by_key = {compact_key(choice): choice for choice, _ in self.choices}
        cleaned = []
        for item in values:
            for part in item.split(","):
                if part.strip():
                    cleaned.append(by_key.get(compact_key(part), part.strip()[:60]))
        return list(dict.fromkeys(cleaned))


class AdviceField(LenientChoiceField):
    """A progressive party's code or a kind of advice; refused, saying why, when the election has no advice
    (`unavailable()` gives the reason, asked only when a value is given, since it means reasoning it out)."""

    def __init__(self, *, unavailable=lambda: "", **kwargs):
        self.unavailable = unavailable
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        why = self.unavailable() if value else ""
        if why:
            raise forms.ValidationError(why, code="unavailable")


class PercentField(forms.DecimalField):
    """A percentage from 0 to 100 (a trailing % is fine), rounded to the 2 places the assessments keep."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        super().__init__(**kwargs)
        self.widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            return value.quantize(TWO_PLACES)
        except InvalidOperation:  # cannot happen within 0..100, but never let it become a 500
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SupportersField(forms.IntegerField):
    """The least number of confirmed supporters: a whole number, never below the threshold of what may be shown
    (a filter from 1 would tell which seats have one to four)."""

    def __init__(self, *, shown_from: int = 5, **kwargs):
        super().__init__(min_value=shown_from, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})


class SeatFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("majority_pct_min"), cleaned.get("majority_pct_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(
                f"The smallest majority asked for ({format_param(low)}%) is larger than the largest "
                f"({format_param(high)}%), "
                "so no seat can match. Swap them round.",
                code="range",
            )
        return cleaned


# Filters --------------------------------------------------------------------------------------------------


class ChoiceFilter(django_filters.Filter):
    field_class = LenientChoiceField


class AdviceFilter(django_filters.Filter):
    field_class = AdviceField


class PercentFilter(django_filters.Filter):
    field_class = PercentField


class PartyFilter(django_filters.Filter):
    field_class = PartyField


class TragedyFilter(django_filters.Filter):
    field_class = TragedyField


class ChangedFilter(django_filters.Filter):
    field_class = ChangedField


class SupportersFilter(django_filters.Filter):
    field_class = SupportersField


class MarginalityFilter(django_filters.MultipleChoiceFilter):
    field_class = MarginalityField


def format_param(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
