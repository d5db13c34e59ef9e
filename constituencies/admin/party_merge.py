"""The parties' admin action "Merge into another party…": a confirmation page naming what moves, then
seats.party_merge in one transaction."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse

from constituencies.models import Party
from constituencies.seats.party_merge import PartyMergeError, merge_parties


class KeptPartyForm(forms.Form):
    kept = forms.ModelChoiceField(
        queryset=Party.objects.order_by("name"),
        label="Keep",
        help_text="The party the others become. It keeps its code, name, colour and bloc.",
    )


class PartyMergeAdminMixin:
    """Added to PartyAdmin."""

    actions = ["merge_into"]

    @admin.action(permissions=["change", "delete"], description="Merge into another party…")
    def merge_into(self, request, queryset):
        parties = list(queryset.annotate(candidacy_count=Count("candidacies")).order_by("name"))
        if request.POST.get("post") == "yes":
            form = KeptPartyForm(request.POST)
            if form.is_valid():
                kept = form.cleaned_data["kept"]
                try:
                    summary = merge_parties(kept, parties, user=request.user)
                except PartyMergeError as exc:
                    form.add_error("kept", str(exc))
                else:
                    self.message_user(request, f"Parties merged. {summary}", messages.SUCCESS)
                    return None  # back to the list
        else:
            form = KeptPartyForm(initial={"kept": max(parties, key=lambda p: p.candidacy_count).pk})
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge parties",
            "opts": self.model._meta,
            "parties": parties,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/constituencies/party/merge_confirmation.html", context)
