"""Django's admin, for superusers only (staff work in the product's own pages)."""

from django.contrib import admin

from lifeline.core import audit
from lifeline.core.http import client_ip
from lifeline.core.models import (
    AuditAction,
    AuditEntry,
    Branding,
    Language,
    Organisation,
    RolePermission,
    StaffProfile,
)


def superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only


class AuditedAdmin(admin.ModelAdmin):
    """Changes made here go to the audit log like changes made anywhere else."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        with audit.acting_as(request.user, ip=client_ip(request), via="admin"):
            audit.record(
                AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj, fields=form.changed_data
            )

    def delete_model(self, request, obj):
        with audit.acting_as(request.user, ip=client_ip(request), via="admin"):
            audit.record(AuditAction.DELETE, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "kind", "country", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role", "scope")
    list_filter = ("role", "scope")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_id", "ip")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register([Branding, Language, RolePermission], AuditedAdmin)
