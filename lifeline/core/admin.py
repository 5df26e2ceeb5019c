"""Django's admin, for superusers only (staff work in the product's own pages)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

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
from lifeline.core.signin import AdminSignInForm


def superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only
admin.site.login_form = AdminSignInForm


class AuditedAdmin(admin.ModelAdmin):
    """Changes made here go to the audit log like changes made anywhere else."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        with audit.acting_as(request.user, ip=client_ip(request), via="admin"):
            audit.record(
                AuditAction.UPDATE if change else AuditAction.CREATE,
                obj=obj,
                fields=self.audited_fields(form.changed_data),
            )

    def audited_fields(self, names):
        return names

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


class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Accounts: creation, changes (groups and permissions included), deletion and passwords are audited."""

    def audited_fields(self, names):
        # Only names of fields reach the log; the two password boxes are one field, "password".
        fields = {
            "password" if name in ("password1", "password2", "usable_password") else name for name in names
        }
        return sorted(fields)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:
                with audit.acting_as(request.user, ip=client_ip(request), via="admin"):
                    audit.record(AuditAction.UPDATE, obj=user, fields=["password"])
        return response


class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    """Groups and their permissions."""


for model, model_admin in ((get_user_model(), AuditedUserAdmin), (Group, AuditedGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
