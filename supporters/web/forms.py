"""The join form: postcode (the home page's look-up, split postcodes included), email, first name, activities,
two consents, a honeypot."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from constituencies.postcodes.lookup import lookup_postcode, not_a_postcode
from constituencies.postcodes.messages import EXAMPLE, message_for
from constituencies.rules.postcodes import MAX_TYPED, normalise_postcode
from supporters.models import LocalGroup
from supporters.rules import consent
from supporters.rules.emails import normalise_email

HONEYPOT = "website"


class JoinForm(forms.Form):
    postcode = forms.CharField(
        label="Your postcode",
        max_length=MAX_TYPED,
        help_text=f"For example, {EXAMPLE}. It tells us your constituency; we do not keep it.",
        error_messages={
            "required": f"Enter your postcode, for example {EXAMPLE}.",
            "max_length": f"That is too long to be a postcode. A postcode looks like {EXAMPLE}.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters"}),
    )
    constituency = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # the choice for a split postcode
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address, for example name@example.org.",
            "invalid": "That is not an email address: it should look like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label="First name (optional)",
        max_length=60,
        required=False,
        error_messages={"max_length": "Please use 60 characters or fewer."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    activities = forms.MultipleChoiceField(
        label="What would you do?",
        choices=consent.ACTIVITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consents_to_email = forms.BooleanField(
        label=consent.CURRENT.email, error_messages={"required": consent.EMAIL_CONSENT_REQUIRED}
    )
    consents_to_contact = forms.BooleanField(label=consent.CURRENT.contact, required=False)
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=consent.CURRENT.version)
    page = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    website = forms.CharField(  # the honeypot: hidden from people, filled in by bots
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "join_%s")  # unlike any other form's ids on the seat page
        super().__init__(*args, **kwargs)
        self.split_choices = []  # the constituencies of a split postcode, to choose from

    @property
    def caught_by_honeypot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def clean_postcode(self):
        text = self.cleaned_data["postcode"]
        if normalise_postcode(text) is None:
            raise ValidationError(message_for(not_a_postcode(text)))
        result = lookup_postcode(text)
        if not result.found:
            raise ValidationError(result.message)
        self.lookup = result
        return result.postcode

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_consent_version(self):
        version = self.cleaned_data["consent_version"]
        if version != consent.CURRENT.version:
            raise ValidationError(
                "The wording of the consents has changed since this page was loaded: please read it again and tick the boxes you agree to."
            )
        return version

    def clean_page(self):
        page = self.cleaned_data.get("page") or ""
        return page if page.startswith("/") and not page.startswith("//") else "/join/"

    def clean(self):
        data = super().clean()
        lookup = getattr(self, "lookup", None)
        if lookup is None:
            return data
        seats = lookup.constituencies
        if len(seats) == 1:
            data["seat"] = seats[0]
            return data
        chosen = next((c for c in seats if c.ons_id == data.get("constituency")), None)
        if chosen is None:
            self.split_choices = list(seats)
            names = " and ".join(c.name for c in seats)
            self.add_error(
                "constituency", f"{lookup.postcode} is split between {names}: choose the one you live in."
            )
        data["seat"] = chosen
        return data


def links_assume_https(field, **kwargs):
    """A link typed without a scheme is taken as https:// (Django 6's default, said now)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class LocalGroupForm(forms.ModelForm):
    """An organiser's seat's public local group details; the model holds the rules (an https link, an email)."""

    class Meta:
        model = LocalGroup
        formfield_callback = links_assume_https
        fields = ["name", "meeting_link", "email", "next_meeting"]
        labels = {"name": "Group name", "meeting_link": "Meeting link", "email": "Group email address"}
        help_texts = {"meeting_link": "A link that starts with https://, e.g. to an online meeting"}
        error_messages = {
            "meeting_link": {"invalid": "That is not a link: it should look like https://example.org/meet."},
            "email": {"invalid": "That is not an email address: it should look like group@example.org."},
        }
        widgets = {"meeting_link": forms.URLInput(), "email": forms.EmailInput()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "group_%s")
        super().__init__(*args, **kwargs)
