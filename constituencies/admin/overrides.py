"""The editors' recommendation overrides, every change recorded in the audit trail."""

from django.contrib import admin
from django.db import transaction
from django.db.models import OuterRef, Subquery

from constituencies.models import AuditEvent, Party, RecommendationOverride, SeatAssessment
from constituencies.seats.audit import record_event


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
