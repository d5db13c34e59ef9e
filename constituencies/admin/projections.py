"""Poll projections: read-only, since they change only through an upload or manage.py import_projections."""

from django.contrib import admin
from django.utils.html import format_html

from constituencies.admin.permissions import IMPORT_PERMISSION, ReadOnlyMixin
from constituencies.admin.projection_views import ProjectionImportAdminMixin
from constituencies.models import PollProjection


@admin.register(PollProjection)
class PollProjectionAdmin(ProjectionImportAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "name", "publisher", "date", "is_average", "boundary_set", "seats", "imported_at", "username",
        "short_checksum",
    ]  # fmt: skip
    list_filter = ["is_average", "publisher", "boundary_set"]
    search_fields = ["name", "publisher", "file_name", "checksum"]
    list_select_related = ["boundary_set"]
    fields = readonly_fields = [
        "name", "publisher", "date", "is_average", "boundary_set", "seats", "imported_at", "username",
        "imported_by", "file_name", "checksum",
    ]  # fmt: skip
    change_list_template = "admin/constituencies/pollprojection/change_list.html"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(IMPORT_PERMISSION)

    @admin.display(description="SHA-256")
    def short_checksum(self, obj):
        return format_html('<code title="{}">{}\u2026</code>', obj.checksum, obj.checksum[:12])
