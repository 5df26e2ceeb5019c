"""Holes found in review, each proven closed."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from lifeline.core.models import Action, Area, AuditEntry, Organisation, Role, Scope
from lifeline.core.permissions import has_perm
from lifeline.core.tabular import export_table, import_table
from lifeline.directory.models import KeyContact
from lifeline.directory.tabular import ContactSchema


def test_a_password_alone_cannot_enrol_a_new_authenticator(client, make_user, org_a):
    user = make_user(org_a, role=Role.OFFICER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    response = client.get(reverse("otp-setup"))
    assert response.status_code == 302 and reverse("otp-verify") in response["Location"]
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 0


def test_immigration_cannot_change_its_type_or_escape_through_a_branch(login, make_user, immigration, jordan):
    admin = make_user(immigration, role=Role.ADMINISTRATOR, scope=Scope.CHILDREN)
    client = login(admin)
    client.post(
        reverse("organisation-edit", args=[immigration.pk]),
        {"name": immigration.name, "kind": "ngo", "country": jordan.pk},
    )
    immigration.refresh_from_db()
    assert immigration.kind == "immigration"
    branch = Organisation.objects.create(name="Branch", kind="ngo", country=jordan, parent=immigration)
    assert not has_perm(make_user(branch, role=Role.ADMINISTRATOR), Area.CONTACTS, Action.PERSONAL)


def test_administrator_cannot_take_over_a_wider_account(login, make_user, org_a, django_user_model):
    boss = make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT)
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.OWN))
    assert client.get(reverse("staff-edit", args=[boss.profile.pk])).status_code == 403
    root = make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.OWN, is_superuser=True)
    assert client.get(reverse("staff-edit", args=[root.profile.pk])).status_code == 403


def test_link_changes_are_audited(org_a, areas):
    contact = KeyContact.objects.create(organisation=org_a, name="A")
    contact.coverage_areas.set([areas["amman"]])
    entry = AuditEntry.objects.filter(action="update", object_id=str(contact.pk)).latest("id")
    assert entry.fields == ["coverage_areas"]


def test_opening_the_edit_form_of_a_contact_is_a_view_of_its_channels(login, make_user, org_a):
    contact = KeyContact.objects.create(
        organisation=org_a, name="A", channels=[{"type": "email", "value": "a@example.org"}]
    )
    login(make_user(org_a)).get(reverse("contacts:edit", args=[contact.pk]))
    assert AuditEntry.objects.filter(action="view", object_id=str(contact.pk), fields=["channels"]).exists()


@pytest.mark.parametrize("query", ["?area=%C2%B2", "?area=99999999999999999999999"])
def test_odd_numbers_in_the_query_are_ignored(login, make_user, org_a, query):
    assert login(make_user(org_a)).get("/" + query).status_code == 200


@pytest.mark.parametrize("value", ["inf", "1e400", "99999999999999999999"])
def test_huge_numbers_are_row_errors(org_a, value):
    from lifeline.communities.tabular import CommunitySchema

    report = import_table(CommunitySchema(), f"name,estimated_size\nX,{value}\n".encode(), "c.csv", org_a)
    assert not report.ok and report.errors[0].column == "estimated_size"


def test_nul_characters_are_row_errors(org_a):
    report = import_table(ContactSchema(), b"name,kind,category\nA\x00B,organisation,ngo\n", "c.csv", org_a)
    assert not report.ok and KeyContact.objects.count() == 0


@pytest.mark.parametrize("cell", ["+SUM(1)", "-2+3+cmd|' /C calc'!A0", "=1+1", "@SUM(A1)"])
def test_every_formula_prefix_is_neutralised(org_a, cell):
    KeyContact.objects.create(organisation=org_a, name="A", notes=cell)
    data = export_table(ContactSchema(), KeyContact.objects.all()).decode("utf-8-sig")
    assert f"'{cell}" in data
    assert import_table(ContactSchema(), data.encode(), "c.csv", org_a).unchanged == 1


def test_phone_numbers_are_not_mangled_in_exports(org_a):
    from lifeline.core.tabular import safe_cell

    assert safe_cell("+962791234567") == "+962791234567"
    assert safe_cell("-12.5") == "-12.5"
    assert safe_cell("+1+cmd") == "'+1+cmd"


def test_immigration_never_sees_individual_contacts(make_user, immigration, org_a):
    KeyContact.objects.create(organisation=org_a, name="Filipino Workers' Association", kind="organisation")
    KeyContact.objects.create(organisation=org_a, name="Maricel Bautista", kind="individual")
    officer = make_user(immigration, role=Role.COORDINATOR, scope=Scope.DEPLOYMENT)
    names = list(KeyContact.objects.for_user(officer).values_list("name", flat=True))
    assert names == ["Filipino Workers' Association"]
    assert KeyContact.objects.for_user(make_user(org_a, role=Role.COORDINATOR)).count() == 2
