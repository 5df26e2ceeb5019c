"""Django's admin, for superusers only (staff work in the product's own pages)."""

from django.contrib import admin

from lifeline.core.models import AuditEntry, Branding, Language, Organisation, RolePermission, StaffProfile


def superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "country", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
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


admin.site.register([Branding, Language, RolePermission])
