"""Parties (with their blocs), boundary sets, constituencies and elections (with the results upload)."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from constituencies.admin.party_merge import PartyMergeAdminMixin
from constituencies.admin.views import BlocsAdminMixin, ResultsImportAdminMixin
from constituencies.models import (
    BoundarySet,
    Candidacy,
    Constituency,
    Election,
    Party,
    Result,
    SeatAssessment,
)
from constituencies.seats.assessments import lock_assessment_writers
from constituencies.seats.blocs import BLOC_LABELS, change_blocs
from constituencies.seats.elections import delete_election

NO_BLOC = "none"  # the filter's value for a party in no bloc (stored as "")


class BlocFilter(admin.SimpleListFilter):
    title = "bloc"
    parameter_name = "bloc"

    def lookups(self, request, model_admin):
        return [(bloc or NO_BLOC, label.capitalize()) for bloc, label in BLOC_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(bloc="" if self.value() == NO_BLOC else self.value())


@admin.register(Party)
class PartyAdmin(PartyMergeAdminMixin, BlocsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "colour", "bloc_name"]
    list_filter = [BlocFilter]
    search_fields = ["name", "code"]
    change_list_template = "admin/constituencies/party/change_list.html"

    @admin.display(description="Bloc", ordering="bloc")
    def bloc_name(self, party):
        # The stored bloc as the audit trail names it, not the choice's label, which says who the target
        # bloc usually holds ("Conservative and Reform") whatever party is in it.
        return BLOC_LABELS.get(party.bloc, party.bloc).capitalize()

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
