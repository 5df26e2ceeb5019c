import pytest
from django.db import DatabaseError, connection, transaction

from lifeline.core.models import (
    Action,
    Area,
    AuditEntry,
    Organisation,
    OrganisationKind,
    Role,
    RolePermission,
    Scope,
)
from lifeline.core.permissions import (
    can_see_personal_data,
    has_perm,
    needs_second_factor,
    visible_organisation_ids,
)
from lifeline.directory.models import KeyContact


def test_scope_own_sees_only_own_organisation(make_user, org_a, org_a_child, org_b):
    user = make_user(org_a, scope=Scope.OWN)
    assert visible_organisation_ids(user) == {org_a.pk}


def test_scope_children_includes_descendants(make_user, org_a, org_a_child, org_b):
    grandchild = org_a_child.__class__.objects.create(
        name="Sub-branch", kind="civil_protection", country=org_a.country, parent=org_a_child
    )
    user = make_user(org_a, scope=Scope.CHILDREN)
    assert visible_organisation_ids(user) == {org_a.pk, org_a_child.pk, grandchild.pk}


def test_child_scope_cannot_see_parent(make_user, org_a, org_a_child):
    KeyContact.objects.create(organisation=org_a, name="Parent's contact")
    KeyContact.objects.create(organisation=org_a_child, name="Branch contact")
    user = make_user(org_a_child, scope=Scope.CHILDREN)
    assert list(KeyContact.objects.for_user(user).values_list("name", flat=True)) == ["Branch contact"]


def test_deployment_scope_sees_everything(make_user, org_a, org_b):
    KeyContact.objects.create(organisation=org_a, name="A")
    KeyContact.objects.create(organisation=org_b, name="B")
    user = make_user(org_b, role=Role.COORDINATOR, scope=Scope.DEPLOYMENT)
    assert KeyContact.objects.for_user(user).count() == 2


@pytest.mark.parametrize(
    "role,action,expected",
    [
        (Role.ADMINISTRATOR, Action.EXPORT, True),
        (Role.COORDINATOR, Action.PERSONAL, True),
        (Role.OFFICER, Action.CHANGE, True),
        (Role.OFFICER, Action.EXPORT, False),
        (Role.PARTNER, Action.CHANGE, False),
        (Role.PARTNER, Action.PERSONAL, False),
        (Role.TRAINER, Action.PERSONAL, False),
        (Role.VIEWER, Action.VIEW, True),
        (Role.VIEWER, Action.CHANGE, False),
    ],
)
def test_default_matrix(make_user, org_a, role, action, expected):
    assert has_perm(make_user(org_a, role=role), Area.CONTACTS, action) is expected


def test_matrix_is_tunable(make_user, org_a):
    RolePermission.objects.filter(role=Role.VIEWER, area=Area.CONTACTS, action=Action.EXPORT).update(
        allowed=True
    )
    assert has_perm(make_user(org_a, role=Role.VIEWER), Area.CONTACTS, Action.EXPORT)


def test_immigration_authority_never_sees_personal_data(make_user, immigration):
    RolePermission.objects.filter(action=Action.PERSONAL).update(allowed=True)
    user = make_user(immigration, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT)
    assert has_perm(user, Area.CONTACTS, Action.VIEW)
    assert not can_see_personal_data(user)
    assert not needs_second_factor(user)


def test_immigration_authority_never_changes_consular_records_whatever_the_matrix_says(
    make_user, immigration, jordan
):
    """Registrations and posts' details, crises and their evacuation, cases and case teams are the posts'
    business: an immigration authority (or a branch under one) lists them (its scope holds no one), never
    writes them, even as an administrator of a matrix that allows everything."""
    RolePermission.objects.update(allowed=True)
    branch = Organisation.objects.create(
        name="Border post", kind=OrganisationKind.NGO, country=jordan, parent=immigration
    )
    for user in (
        make_user(immigration, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT),
        make_user(branch, role=Role.COORDINATOR, scope=Scope.DEPLOYMENT),
    ):
        for area in (Area.NATIONALS, Area.CRISES, Area.CASES):
            assert not has_perm(user, area, Action.CHANGE), area
            assert has_perm(user, area, Action.VIEW) and has_perm(user, area, Action.EXPORT), area
        # What is not about people stays with the matrix: registries and alerts.
        assert has_perm(user, Area.CONTACTS, Action.CHANGE) and has_perm(user, Area.ALERTS, Action.CHANGE)


def test_immigration_authority_never_drafts_submits_or_approves_travel_advice(
    make_user, immigration, ministry, jordan
):
    """Travel advice is the home country's foreign service's: a host-country immigration authority (or a
    branch under one) reads it, and never drafts, submits or approves it (all three ask for CHANGE), even
    as an administrator of a matrix that allows everything. The same matrix still lets a ministry write it."""
    from lifeline.advice.models import TravelAdvice

    RolePermission.objects.update(allowed=True)
    branch = Organisation.objects.create(
        name="Visa office", kind=OrganisationKind.NGO, country=jordan, parent=immigration
    )
    advice = TravelAdvice.objects.create(organisation=immigration, country=jordan)
    for user in (
        make_user(immigration, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT),
        make_user(branch, role=Role.COORDINATOR, scope=Scope.DEPLOYMENT),
    ):
        assert has_perm(user, Area.ADVICE, Action.VIEW) and has_perm(user, Area.ADVICE, Action.EXPORT)
        assert not has_perm(user, Area.ADVICE, Action.CHANGE)
        # Not even advice held in its own name.
        assert not TravelAdvice.objects.for_user(user, Action.CHANGE).filter(pk=advice.pk).exists()
    assert has_perm(
        make_user(ministry, role=Role.COORDINATOR, scope=Scope.DEPLOYMENT), Area.ADVICE, Action.CHANGE
    )


def test_second_factor_required_only_for_personal_data_roles(make_user, org_a):
    assert needs_second_factor(make_user(org_a, role=Role.OFFICER))
    assert not needs_second_factor(make_user(org_a, role=Role.VIEWER))


def test_user_without_profile_sees_nothing(django_user_model, org_a):
    KeyContact.objects.create(organisation=org_a, name="A")
    user = django_user_model.objects.create_user("loose", password="x")
    assert KeyContact.objects.for_user(user).count() == 0


def test_audit_log_refuses_update_and_delete_in_python_and_in_the_database(db):
    entry = AuditEntry.objects.create(action="login", actor_name="someone")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(actor_name="x")
    for sql in ("UPDATE core_auditentry SET actor_name = 'x'", "DELETE FROM core_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "someone"


def test_changes_are_audited_with_field_names(make_user, org_a):
    from lifeline.core.audit import acting_as

    user = make_user(org_a)
    with acting_as(user, ip="127.0.0.9"):
        contact = KeyContact.objects.create(organisation=org_a, name="A")
        contact.trust_level = "high"
        contact.save()
        contact.save()  # nothing changed: no entry
        contact.delete()
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "fields", "actor_id", "ip"))
    assert [a[0] for a in actions] == ["create", "update", "delete"]
    assert actions[1][1] == ["trust_level"]
    assert all(a[2] == user.pk and a[3] == "127.0.0.9" for a in actions)
