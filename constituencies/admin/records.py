"""The record of applied imports and the audit trail: read-only."""

import json

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html

from constituencies.admin.permissions import IMPORT_PERMISSION, ReadOnlyMixin
from constituencies.models import AuditEvent, ResultsImport


@admin.register(ResultsImport)
class ResultsImportAdmin(ReadOnlyMixin, admin.ModelAdmin):
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
        return super().has_view_permission(request, obj) or request.user.has_perm(IMPORT_PERMISSION)

    @admin.display(description="SHA-256")
    def short_checksum(self, obj):
        return format_html('<code title="{}">{}\u2026</code>', obj.checksum, obj.checksum[:12])

    @admin.display(description="What changed")
    def changes_report(self, obj):
        return render_to_string(
            "admin/constituencies/includes/_import_changes.html", {"changes": obj.changes, "recorded": True}
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
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
