"""Coordination bodies, meetings and their decisions, and agreements: one record, read by key contacts."""

import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lifeline.core.models import Role, Scope
from lifeline.directory.models import AgreementStatus, KeyContact
from lifeline.plans import actions, coordination
from lifeline.plans.models_actions import ActionItem, Agreement, CoordinationBody, SourceKind

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def planner(make_user, org_a):
    return make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)


@pytest.fixture
def contacts(org_a, org_b):
    return {
        "crescent": KeyContact.objects.create(organisation=org_a, name="Red Crescent Amman", channels=[]),
        "association": KeyContact.objects.create(
            organisation=org_a, name="Ethiopian association", channels=[]
        ),
        "foreign": KeyContact.objects.create(organisation=org_b, name="NGO's own contact", channels=[]),
    }


def test_a_body_has_members_and_focal_points_among_readable_contacts(planner, org_a, contacts):
    with pytest.raises(ValidationError) as caught:
        coordination.save_body(
            planner, CoordinationBody(organisation=org_a), "WG", "local", members=[contacts["foreign"]]
        )
    assert "key contacts you can see" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        coordination.save_body(
            planner,
            CoordinationBody(organisation=org_a),
            "WG",
            "local",
            members=[contacts["crescent"]],
            focal_points=[contacts["association"]],
        )
    assert caught.value.messages == ["A focal point must be one of the members."]
    assert not CoordinationBody.objects.exists()
    body = coordination.save_body(
        planner,
        CoordinationBody(organisation=org_a),
        "Working group",
        "local",
        members=[contacts["crescent"], contacts["association"]],
        focal_points=[contacts["crescent"]],
    )
    assert set(body.members.all()) == {contacts["crescent"], contacts["association"]}
    assert list(contacts["crescent"].coordination_bodies.all()) == [body]


def test_meeting_decisions_are_action_items_on_the_owners_list(planner, org_a, contacts, make_user, org_b):
    body = coordination.save_body(planner, CoordinationBody(organisation=org_a), "WG", "local")
    meeting = coordination.add_meeting(planner, body, days(-1), "Flood season", "Agreed on leaflets.")
    owner = make_user(org_a)
    decision = coordination.add_decision(
        planner, meeting, "Translate the leaflet", days(20), owner_user=owner
    )
    assert decision.source == meeting and decision.source_kind == SourceKind.MEETING
    assert list(actions.mine(owner)) == [decision]
    with pytest.raises(PermissionDenied):
        coordination.add_decision(
            make_user(org_b, role=Role.COORDINATOR), meeting, "x", days(1), owner_organisation=org_b
        )
    with pytest.raises(ValidationError):
        coordination.add_meeting(planner, body, None, "No date")


def test_an_agreement_is_the_one_record_a_contact_reads_its_status_from(planner, org_a, org_b, contacts):
    with pytest.raises(ValidationError) as caught:
        coordination.save_agreement(
            planner,
            Agreement(organisation=org_a),
            {"title": "MoU", "status": AgreementStatus.SIGNED},
            [contacts["crescent"]],
        )
    assert caught.value.messages == ["A signed agreement needs its signing date."]
    with pytest.raises(ValidationError):
        coordination.save_agreement(
            planner, Agreement(organisation=org_a), {"title": "MoU", "status": "mou_draft"}
        )
    draft = coordination.save_agreement(
        planner,
        Agreement(organisation=org_a),
        {"title": "Draft MoU", "status": AgreementStatus.DRAFT},
        [contacts["crescent"]],
    )
    contacts["crescent"].refresh_from_db()
    assert (contacts["crescent"].agreement_status, contacts["crescent"].agreement_date) == (
        AgreementStatus.DRAFT,
        None,
    )
    signed = coordination.save_agreement(
        planner,
        Agreement(organisation=org_a),
        {
            "title": "Shelter MoU",
            "status": AgreementStatus.SIGNED,
            "signed_on": days(-100),
            "renewal_due": days(200),
        },
        [contacts["crescent"], contacts["association"]],
        [org_b],
    )
    for contact in ("crescent", "association"):
        contacts[contact].refresh_from_db()
        assert (contacts[contact].agreement_status, contacts[contact].agreement_date) == (
            AgreementStatus.SIGNED,
            days(-100),
        )
    # The association leaves the signed MoU: its status follows (none left), the Red Crescent keeps "signed".
    coordination.save_agreement(
        planner, signed, {"status": AgreementStatus.SIGNED}, [contacts["crescent"]], [org_b]
    )
    contacts["association"].refresh_from_db()
    assert contacts["association"].agreement_status == AgreementStatus.NONE
    coordination.save_agreement(
        planner, signed, {"status": AgreementStatus.EXPIRED}, [contacts["crescent"]], [org_b]
    )
    contacts["crescent"].refresh_from_db()
    assert contacts["crescent"].agreement_status == AgreementStatus.DRAFT  # the draft is now the strongest
    assert draft.pk


def test_the_contact_form_and_import_no_longer_write_the_agreement(client, login, planner, org_a, contacts):
    from lifeline.core.tabular import import_table
    from lifeline.directory.tabular import ContactSchema

    coordination.save_agreement(
        planner,
        Agreement(organisation=org_a),
        {"title": "MoU", "status": AgreementStatus.SIGNED, "signed_on": days(-5)},
        [contacts["crescent"]],
    )
    login(planner)
    page = client.get(f"/contacts/{contacts['crescent'].pk}/edit/").content.decode()
    assert 'name="agreement_status"' not in page
    assert (
        "/plans/agreements/?contact=" in client.get(f"/contacts/{contacts['crescent'].pk}/").content.decode()
    )
    export = client.get("/contacts/export/?format=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    crescent = next(r for r in rows if r[0] == "Red Crescent Amman")
    assert crescent[header.index("agreement_status")] == "mou_signed"
    csv = "name,kind,category,agreement_status\nRed Crescent Amman,organisation,other,none\n"
    report = import_table(ContactSchema(), io.BytesIO(csv.encode()), "c.csv", org_a, user=planner)
    assert not report.errors, report.errors
    contacts["crescent"].refresh_from_db()
    assert contacts["crescent"].agreement_status == AgreementStatus.SIGNED


def test_renewal_reminders_go_to_the_responsible_person_weekly(planner, org_a, contacts, make_user):
    responsible = make_user(org_a)
    coordination.save_agreement(
        planner,
        Agreement(organisation=org_a),
        {
            "title": "Shelter MoU",
            "status": AgreementStatus.SIGNED,
            "signed_on": days(-300),
            "renewal_due": days(30),
            "focal_user": responsible,
        },
        [contacts["crescent"]],
    )
    coordination.save_agreement(
        planner,
        Agreement(organisation=org_a),
        {
            "title": "Far MoU",
            "status": AgreementStatus.SIGNED,
            "signed_on": days(-3),
            "renewal_due": days(300),
            "focal_user": responsible,
        },
        [contacts["crescent"]],
    )
    assert coordination.send_renewal_reminders() == 1
    assert mail.outbox[0].to == [responsible.email] and "Shelter MoU" in mail.outbox[0].subject
    assert coordination.send_renewal_reminders(today=days(3)) == 0
    assert coordination.send_renewal_reminders(today=days(7)) == 1


def test_the_pages_record_a_body_a_meeting_a_decision_and_an_agreement(
    client, login, planner, org_a, org_b, contacts, make_user
):
    login(planner)
    response = client.post(
        "/plans/coordination/bodies/new/",
        {
            "organisation": org_a.pk,
            "name": "Working group",
            "level": "local",
            "members": [contacts["crescent"].pk],
            "focal_points": [contacts["crescent"].pk],
        },
    )
    body = CoordinationBody.objects.get()
    assert response["Location"] == f"/plans/coordination/bodies/{body.pk}/"
    response = client.post(
        f"/plans/coordination/bodies/{body.pk}/meetings/",
        {"title": "First", "held_on": "2026-11-02", "minutes": "We met."},
    )
    meeting = body.meetings.get()
    assert response["Location"] == f"/plans/coordination/meetings/{meeting.pk}/"
    assert (
        client.post(
            f"/plans/coordination/bodies/{body.pk}/meetings/", {"title": "", "held_on": "x"}
        ).status_code
        == 400
    )
    response = client.post(
        f"/plans/coordination/meetings/{meeting.pk}/decisions/",
        {"text": "Translate the leaflet", "due": "2027-01-10", "owner_organisation": org_a.pk},
    )
    assert response.status_code == 302 and ActionItem.objects.get().source == meeting
    assert (
        "Translate the leaflet" in client.get(f"/plans/coordination/meetings/{meeting.pk}/").content.decode()
    )
    response = client.post(
        "/plans/agreements/new/",
        {
            "organisation": org_a.pk,
            "title": "Shelter MoU",
            "status": "mou_signed",
            "signed_on": "2026-01-05",
            "contacts": [contacts["crescent"].pk],
        },
    )
    agreement = Agreement.objects.get()
    assert response["Location"] == f"/plans/agreements/{agreement.pk}/"
    assert (
        "Shelter MoU" in client.get(f"/plans/agreements/?contact={contacts['crescent'].pk}").content.decode()
    )
    bad = client.post(
        "/plans/agreements/new/",
        {
            "organisation": org_a.pk,
            "title": "No date",
            "status": "mou_signed",
            "contacts": [contacts["crescent"].pk],
        },
    )
    assert (
        bad.status_code == 200 and "signing date" in bad.content.decode() and Agreement.objects.count() == 1
    )
    login(make_user(org_b, role=Role.COORDINATOR))
    assert client.get(f"/plans/coordination/bodies/{body.pk}/").status_code == 404
    assert client.get(f"/plans/coordination/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/plans/agreements/{agreement.pk}/").status_code == 404
