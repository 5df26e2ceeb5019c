from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from lifeline.core.models import AuditEntry, Organisation, Role, Scope, StaffProfile


def test_administrator_sees_only_organisations_in_scope(login, make_user, org_a, org_a_child, org_b):
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.CHILDREN))
    body = client.get(reverse("organisations")).content
    assert b"Civil Defence A" in body and b"Irbid branch" in body and b"Relief NGO B" not in body
    assert client.get(reverse("organisation-edit", args=[org_b.pk])).status_code == 404


def test_viewer_cannot_manage_organisations(login, make_user, org_a):
    client = login(make_user(org_a, role=Role.VIEWER))
    assert client.get(reverse("organisations")).status_code == 403
    assert client.get(reverse("staff-create")).status_code == 403


def test_branch_created_under_own_organisation_and_audited(login, make_user, org_a, jordan):
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.CHILDREN))
    data = {"name": "Zarqa branch", "kind": "civil_protection", "country": jordan.pk}
    refused = client.post(reverse("organisation-create"), data)
    assert refused.status_code == 200 and not Organisation.objects.filter(name="Zarqa branch").exists()
    ok = client.post(reverse("organisation-create"), {**data, "parent": org_a.pk})
    assert ok.status_code == 302
    branch = Organisation.objects.get(name="Zarqa branch")
    assert AuditEntry.objects.filter(
        action="create", object_type="core.organisation", object_id=str(branch.pk)
    ).exists()


def test_organisation_cannot_be_its_own_ancestor(login, make_user, org_a, org_a_child, jordan):
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT))
    response = client.post(
        reverse("organisation-edit", args=[org_a.pk]),
        {"name": org_a.name, "kind": org_a.kind, "country": jordan.pk, "parent": org_a_child.pk},
    )
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.parent is None


def test_new_account_is_invited_and_cannot_get_a_wider_scope(login, make_user, org_a, org_a_child):
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.CHILDREN))
    response = client.post(
        reverse("staff-create"),
        {
            "username": "newofficer",
            "email": "new@example.org",
            "organisation": org_a_child.pk,
            "role": "officer",
            "scope": "deployment",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # 'deployment' is not offered to a children-scoped administrator
    response = client.post(
        reverse("staff-create"),
        {
            "username": "newofficer",
            "email": "new@example.org",
            "organisation": org_a_child.pk,
            "role": "officer",
            "scope": "children",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newofficer")
    assert not user.check_password("") and user.profile.scope == "children"
    assert len(mail.outbox) == 1 and "/account/reset/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(object_type="core.staffprofile", action="create").exists()


def test_cannot_edit_staff_of_another_organisation(login, make_user, org_a, org_b):
    other = make_user(org_b, role=Role.OFFICER)
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.CHILDREN))
    assert client.get(reverse("staff-edit", args=[other.profile.pk])).status_code == 404
    assert StaffProfile.objects.get(user=other).organisation == org_b
