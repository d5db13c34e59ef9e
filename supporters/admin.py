"""Supporters in the admin: read-only lists (people sign up and delete themselves), local groups editable."""

from django.contrib import admin
from django.db import models

from supporters.models import LocalGroup, OrganiserSeat, Supporter, SupporterDeletion, SupporterExport


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(ReadOnly):
    list_display = ["pk", "constituency", "status", "consents_to_contact", "created_at", "is_fake"]
    list_filter = ["status", "consents_to_contact", "is_fake", "consent_version"]
    list_select_related = ["constituency"]
    exclude = ["confirmation_key", "access_key"]
    search_fields = ["constituency__name"]


@admin.register(LocalGroup)
class LocalGroupAdmin(admin.ModelAdmin):
    list_display = ["constituency", "name", "next_meeting", "updated_at"]
    list_select_related = ["constituency"]
    autocomplete_fields = ["constituency"]
    search_fields = ["constituency__name", "name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a link typed without one


@admin.register(SupporterDeletion)
class SupporterDeletionAdmin(ReadOnly):
    list_display = ["deleted_at", "constituency_ons_id", "was_confirmed", "reason"]
    list_filter = ["reason", "was_confirmed"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganiserSeat)
class OrganiserSeatAdmin(admin.ModelAdmin):
    """Gives a staff user a seat; they also need the organise_seats permission (the "Organisers" group)."""

    list_display = ["user", "constituency"]
    list_select_related = ["user", "constituency"]
    autocomplete_fields = ["user", "constituency"]
    search_fields = ["user__username", "constituency__name"]


@admin.register(SupporterExport)
class SupporterExportAdmin(ReadOnly):
    list_display = ["exported_at", "username", "constituency_ons_id", "rows"]

    def has_delete_permission(self, request, obj=None):
        return False
