import json

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from constituencies.admin.views import IMPORT_PERMISSION, BlocsAdminMixin, ResultsImportAdminMixin
from constituencies.models import (
    AuditEvent,
    BoundarySet,
    Candidacy,
    Constituency,
    Election,
    Party,
    RecommendationOverride,
    Result,
    ResultsImport,
    SeatAssessment,
)
from constituencies.seats.assessments import lock_assessment_writers
from constituencies.seats.audit import record_event
from constituencies.seats.blocs import change_blocs
from constituencies.seats.elections import delete_election
from constituencies.seats.recommendations import attach_recommendations, effective_recommendation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written by the application and only ever looked at."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Party)
class PartyAdmin(BlocsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "colour", "bloc"]
    list_filter = ["bloc"]
    search_fields = ["name", "code"]
    change_list_template = "admin/constituencies/party/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_edit_blocs": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        """A bloc change goes through change_blocs: every assessment recomputed, and an audit event."""
        if "bloc" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        # Before this party's row is written: change_blocs below waits for the same lock, and another
        # bloc change holding it would wait for this row (a deadlock).
        lock_assessment_writers()
        new_bloc = obj.bloc
        obj.bloc = form.initial.get("bloc", "") if change else ""
        super().save_model(request, obj, form, change)
        result = change_blocs({obj.code: new_bloc}, user=request.user)
        obj.bloc = new_bloc
        if result is not None:
            self.message_user(request, f"Party blocs changed. {result}", messages.INFO)


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_id", "boundary_set", "region", "country"]
    list_filter = ["boundary_set", "country", "region"]
    search_fields = ["name", "ons_id", "slug"]
    prepopulated_fields = {"slug": ["name"]}


def _has_results(election) -> bool:
    # Asked several times per change page; once per instance is enough.
    if not hasattr(election, "_has_results"):
        election._has_results = election.results.exists()
    return election._has_results


@admin.register(Election)
class ElectionAdmin(ResultsImportAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "date", "kind", "boundary_set", "seat_count"]
    list_filter = ["kind", "boundary_set"]
    search_fields = ["name", "slug"]
    change_list_template = "admin/constituencies/election/change_list.html"
    change_form_template = "admin/constituencies/election/change_form.html"
    delete_confirmation_template = "admin/constituencies/election/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/constituencies/election/delete_selected_confirmation.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("boundary_set").annotate(seats=Count("results"))

    @admin.display(description="Seats with results", ordering="seats")
    def seat_count(self, obj):
        return obj.seats

    def get_readonly_fields(self, request, obj=None):
        # Its results are on that boundary set's constituencies; moving the election would strand them.
        if obj is not None and _has_results(obj):
            return [*super().get_readonly_fields(request, obj), "boundary_set"]
        return super().get_readonly_fields(request, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    # Deleting an election takes its results, candidacies, assessments and overrides with it, and is
    # recorded in the audit trail (elections.delete_election).

    def get_deleted_objects(self, objs, request):
        """Results go with their election for anyone who may import results (their own pages are read-only)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        results_rows = {model._meta.verbose_name for model in (Result, Candidacy, SeatAssessment)}
        if results_rows & perms_needed:
            perms_needed -= results_rows
            if not self.has_import_permission(request):
                perms_needed.add("results (Can upload and apply results files)")
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        delete_election(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for election in queryset:
                delete_election(election, user=request.user)


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    extra = 0
    fields = ["party", "candidate_name", "votes", "is_sitting_mp", "is_combined"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    """Results change only through an import, which recomputes the assessments and records it in the audit trail."""

    list_display = ["constituency", "election", "valid_votes", "description"]
    list_filter = ["election"]
    search_fields = ["constituency__name", "constituency__ons_id"]
    list_select_related = ["constituency", "election"]
    inlines = [CandidacyInline]
    change_list_template = "admin/constituencies/result/change_list.html"
    change_form_template = "admin/constituencies/result/change_form.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": request.user.has_perm(IMPORT_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": request.user.has_perm(IMPORT_PERMISSION)}
        return super().changeform_view(request, object_id, form_url, extra_context)


class AssessmentChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # One query for the page's overrides, however many rows.
        self.result_list = attach_recommendations(self.result_list)


@admin.register(SeatAssessment)
class SeatAssessmentAdmin(ReadOnlyAdmin):
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


@admin.register(RecommendationOverride)
class RecommendationOverrideAdmin(admin.ModelAdmin):
    list_display = [
        "constituency",
        "election",
        "recommended_party",
        "computed",
        "reason",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["election", "recommended_party"]
    search_fields = ["constituency__name", "constituency__ons_id", "reason"]
    list_select_related = ["constituency", "election", "recommended_party", "updated_by"]
    autocomplete_fields = ["election", "constituency", "recommended_party"]
    fields = ["election", "constituency", "recommended_party", "reason", "computed", "created_by", "created_at", "updated_by", "updated_at"]  # fmt: skip
    readonly_fields = ["computed", "created_by", "created_at", "updated_by", "updated_at"]

    def get_queryset(self, request):
        best_placed = SeatAssessment.objects.filter(
            election_id=OuterRef("election_id"), constituency_id=OuterRef("constituency_id")
        ).values("best_placed__name")[:1]
        return super().get_queryset(request).annotate(computed_party=Subquery(best_placed))

    @admin.display(description="The numbers say")
    def computed(self, obj):
        if obj.pk is None:
            return "\u2014"
        return getattr(obj, "computed_party", None) or "no progressive party stood"

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        party = obj.recommended_party
        details = {"override_id": obj.pk, "recommended_party": party.code, "reason": obj.reason}
        if change:
            details["changed"] = self._changed_fields(form, obj)
        record_event(
            AuditEvent.Action.OVERRIDE_CHANGED if change else AuditEvent.Action.OVERRIDE_ADDED,
            f"{obj.constituency.name}, {obj.election.name}: recommend {party.name}. Reason: {obj.reason}",
            user=request.user,
            election=obj.election,
            constituency=obj.constituency,
            details=details,
        )

    def _changed_fields(self, form, obj) -> dict:
        """What the edit changed, for the audit trail: {field: {"was": ..., "now": ...}}."""
        changed = {
            name: {"was": str(form.initial.get(name)), "now": str(form.cleaned_data.get(name))}
            for name in form.changed_data
        }
        if "recommended_party" in changed:
            was = Party.objects.filter(pk=form.initial.get("recommended_party")).first()
            changed["recommended_party"] = {
                "was": was.code if was else None,
                "now": obj.recommended_party.code,
            }
        for name in ("election", "constituency"):
            if name in changed:
                changed[name]["now"] = str(getattr(obj, name))
        return changed

    def _record_removal(self, request, obj):
        record_event(
            AuditEvent.Action.OVERRIDE_REMOVED,
            f"{obj.constituency.name}, {obj.election.name}: override ({obj.recommended_party.name}) removed",
            user=request.user,
            election=obj.election,
            constituency=obj.constituency,
            details={
                "override_id": obj.pk,
                "recommended_party": obj.recommended_party.code,
                "reason": obj.reason,
            },
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_removal(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset.select_related("constituency", "election", "recommended_party"):
                self._record_removal(request, obj)
            super().delete_queryset(request, queryset)


@admin.register(ResultsImport)
class ResultsImportAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "election_slug",
        "username",
        "source",
        "file_name",
        "short_checksum",
        "rows_read",
        "seats_changed",
        "winner_changes",
    ]
    list_filter = ["source", "election_slug"]
    search_fields = ["file_name", "checksum", "username", "election_slug"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "created_at", "username", "user", "source", "election", "election_slug", "election_created",
        "file_name", "file_size", "checksum", "candidates_file_name", "candidates_checksum", "layout",
        "rows_read", "seats_in_file", "seats_changed", "results_replaced", "constituencies_created",
        "candidacies", "winner_changes", "archived_as", "changes_report",
    ]  # fmt: skip

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "constituencies.import_results"
        )

    @admin.display(description="SHA-256")
    def short_checksum(self, obj):
        return format_html('<code title="{}">{}\u2026</code>', obj.checksum, obj.checksum[:12])

    @admin.display(description="What changed")
    def changes_report(self, obj):
        return render_to_string(
            "admin/constituencies/includes/_import_changes.html", {"changes": obj.changes, "recorded": True}
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "username", "election", "summary"]
    list_filter = ["action", "election"]
    search_fields = ["summary", "username"]
    list_select_related = ["election"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "created_at", "action", "username", "user", "election", "constituency", "results_import", "summary",
        "details_json",
    ]  # fmt: skip

    @admin.display(description="Details")
    def details_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.details, indent=2, ensure_ascii=False))
