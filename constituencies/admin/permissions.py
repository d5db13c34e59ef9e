"""Who may do what in the admin: read-only records, and the results upload's own permission."""

IMPORT_PERMISSION = "constituencies.import_results"


class ReadOnlyMixin:
    """For a ModelAdmin or an inline of records the application writes and staff only look at."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ImportPermissionMixin:
    """For a ModelAdmin whose pages link to the results upload: they are told `can_import`."""

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)
