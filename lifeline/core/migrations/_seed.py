"""Seed the role matrix with its defaults, keeping cells an administrator tuned."""


def seed(apps, schema_editor):
    from lifeline.core.permissions import DEFAULT_MATRIX
    from lifeline.core.models import Action, Area, Role

    RolePermission = apps.get_model("core", "RolePermission")
    existing = set(RolePermission.objects.values_list("role", "area", "action"))
    RolePermission.objects.bulk_create(
        RolePermission(role=role, area=area, action=action, allowed=action in DEFAULT_MATRIX.get(role, {}).get(area, set()))
        for role in Role.values
        for area in Area.values
        for action in Action.values
        if (role, area, action) not in existing
    )
