from django import forms
from django.core.exceptions import ValidationError

from constituencies.postcodes.lookup import not_a_postcode
from constituencies.postcodes.messages import EXAMPLE, message_for
from constituencies.rules.postcodes import MAX_TYPED, normalise_postcode


class PostcodeField(forms.CharField):
    """The one postcode field: accepts any reasonable typing and cleans to the official form ("SW1A 0AA")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TYPED)
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter your postcode, for example {EXAMPLE}.",
                "max_length": f"That is too long to be a postcode. A postcode looks like {EXAMPLE}.",
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "postal-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "postcode-input",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        postcode = normalise_postcode(value)
        if postcode is None:
            raise ValidationError(message_for(not_a_postcode(value)), code="invalid")
        return postcode


class PostcodeForm(forms.Form):
    postcode = PostcodeField(label="Your postcode", help_text=f"For example, {EXAMPLE}")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Constituency or place name",
        max_length=MAX_TYPED,
        required=False,
        help_text="For example, Batley or Ynys Môn",
        error_messages={"max_length": f"Please use {MAX_TYPED} characters or fewer."},
    )
