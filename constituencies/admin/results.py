"""Results and their assessments: read-only, since they change only through an import."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from constituencies.admin.permissions import ImportPermissionMixin, ReadOnlyMixin
from constituencies.models import Candidacy, Result, SeatAssessment
from constituencies.seats.recommendations import attach_recommendations, effective_recommendation


class CandidacyInline(ReadOnlyMixin, admin.TabularInline):
    model = Candidacy
    extra = 0
    fields = ["party", "candidate_name", "votes", "is_sitting_mp", "is_combined"]


@admin.register(Result)
class ResultAdmin(ImportPermissionMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Results change only through an import, which recomputes the assessments and records it in the audit trail."""

    list_display = ["constituency", "election", "valid_votes", "description"]
    list_filter = ["election"]
    search_fields = ["constituency__name", "constituency__ons_id"]
    list_select_related = ["constituency", "election"]
    inlines = [CandidacyInline]
    change_list_template = "admin/constituencies/result/change_list.html"
    change_form_template = "admin/constituencies/result/change_form.html"


class AssessmentChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # One query for the page's overrides, however many rows.
        self.result_list = attach_recommendations(self.result_list)


@admin.register(SeatAssessment)
class SeatAssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "constituency",
        "election",
        "winner",
        "runner_up",
        "majority",
        "majority_pct",
        "marginality",
        "is_tragedy",
        "best_placed",
        "recommendation",
    ]
    list_filter = ["election", "is_tragedy", "marginality", "winner", "best_placed"]
    search_fields = ["constituency__name", "constituency__ons_id"]
    list_select_related = ["constituency", "election", "winner", "runner_up", "best_placed"]

    def get_changelist(self, request, **kwargs):
        return AssessmentChangeList

    @admin.display(description="Recommendation")
    def recommendation(self, obj):
        rec = getattr(obj, "recommendation", None)
        if rec is None:  # the detail page
            rec = effective_recommendation(obj)
        party = rec.party.name if rec.party else "\u2014"
        if rec.is_overridden:
            url = reverse("admin:constituencies_recommendationoverride_change", args=[rec.override.pk])
            return format_html(
                '<strong>{}</strong> (<a href="{}">overridden</a>: {})', party, url, rec.reason
            )
        url = (
            reverse("admin:constituencies_recommendationoverride_add")
            + "?"
            + urlencode({"election": obj.election_id, "constituency": obj.constituency_id})
        )
        unclear = "" if rec.lead_is_clear or rec.party is None else " (lead unclear)"
        return format_html('{}{} \u00b7 <a href="{}">override</a>', party, unclear, url)
