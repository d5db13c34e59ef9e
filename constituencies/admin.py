from django.contrib import admin, messages
from django.db import transaction

from constituencies.assessments import recompute_all_assessments
from constituencies.models import (
    BoundarySet,
    Candidacy,
    Constituency,
    Election,
    Party,
    Result,
    SeatAssessment,
)


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "colour", "bloc"]
    list_editable = ["bloc"]
    list_filter = ["bloc"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "bloc" in form.changed_data:
            request._blocs_changed = True

    def changelist_view(self, request, extra_context=None):
        with transaction.atomic():
            response = super().changelist_view(request, extra_context)
            self._recompute_if_blocs_changed(request)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            self._recompute_if_blocs_changed(request)
        return response

    def _recompute_if_blocs_changed(self, request):
        if getattr(request, "_blocs_changed", False):
            count = recompute_all_assessments()
            self.message_user(
                request, f"Party blocs changed: {count} seat assessments recomputed.", messages.INFO
            )


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_id", "boundary_set", "region", "country"]
    list_filter = ["boundary_set", "country", "region"]
    search_fields = ["name", "ons_id", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "date", "kind", "boundary_set"]
    list_filter = ["kind", "boundary_set"]
    search_fields = ["name", "slug"]


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    extra = 0
    autocomplete_fields = ["party"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["constituency", "election", "valid_votes", "description"]
    list_filter = ["election"]
    search_fields = ["constituency__name", "constituency__ons_id"]
    list_select_related = ["constituency", "election"]
    inlines = [CandidacyInline]
    raw_id_fields = ["constituency"]


@admin.register(SeatAssessment)
class SeatAssessmentAdmin(admin.ModelAdmin):
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
    ]
    list_filter = ["election", "is_tragedy", "marginality", "winner", "best_placed"]
    search_fields = ["constituency__name", "constituency__ons_id"]
    list_select_related = ["constituency", "election", "winner", "runner_up", "best_placed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
