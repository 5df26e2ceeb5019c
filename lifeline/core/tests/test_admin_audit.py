"""Account changes made in Django's admin reach the audit log like any other change."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from conftest import verified_client
from lifeline.core.models import AuditEntry

User = get_user_model()
NEW_PASSWORD = "another horse battery staple 42"


@pytest.fixture
def admin_client(client, db):
    root = User.objects.create_superuser("root", "root@example.org", "a long root password 1")
    return verified_client(client, root)


def _entries(user, action):
    return AuditEntry.objects.filter(
        object_type="auth.user", object_id=str(user.pk), action=action, via="admin"
    )


def _change_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(overrides)
    return data


def test_creating_an_account_in_the_admin_is_audited(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(username="newcomer")
    entry = _entries(user, "create").get()
    assert entry.actor_name == "root" and "password" in entry.fields
    assert NEW_PASSWORD not in str(entry.fields) + entry.object_repr + entry.reason


def test_changing_groups_permissions_and_flags_in_the_admin_is_audited(admin_client):
    user = User.objects.create_user("clerk", "clerk@example.org", "a long clerk password 1")
    group = Group.objects.create(name="Desk")
    permission = Permission.objects.get(codename="change_user")
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        _change_data(user, is_superuser="on", groups=[group.pk], user_permissions=[permission.pk]),
    )
    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.is_superuser and list(user.groups.all()) == [group]
    entry = _entries(user, "update").get()
    assert {"is_superuser", "groups", "user_permissions"} <= set(entry.fields)


def test_setting_a_password_in_the_admin_is_audited(admin_client):
    user = User.objects.create_user("clerk", "clerk@example.org", "a long clerk password 1")
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    entry = _entries(user, "update").get()
    assert entry.fields == ["password"] and entry.actor_name == "root"


def test_deleting_an_account_in_the_admin_is_audited(admin_client):
    user = User.objects.create_user("leaver", "leaver@example.org", "a long leaver password 1")
    pk = user.pk
    response = admin_client.post(f"/admin/auth/user/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=pk).exists()
    assert _entries(user, "delete").count() == 1


def test_changing_a_groups_permissions_in_the_admin_is_audited(admin_client):
    group = Group.objects.create(name="Desk")
    permission = Permission.objects.get(codename="change_user")
    response = admin_client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "Desk", "permissions": [permission.pk]}
    )
    assert response.status_code == 302, response.content
    entry = AuditEntry.objects.get(object_type="auth.group", object_id=str(group.pk), action="update")
    assert entry.fields == ["permissions"]
