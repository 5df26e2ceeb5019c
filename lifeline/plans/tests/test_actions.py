"""Action items: one model for every follow-up; rules, scopes, pages, the checklist link, reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from lifeline.core.models import AuditAction, AuditEntry, Role, Scope
from lifeline.plans import actions, services
from lifeline.plans.models import ChecklistTemplate
from lifeline.plans.models_actions import ActionItem, ActionStatus, SourceKind

KEY = "contingency-plan-accounts-for-migrants"
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def planner(make_user, org_a):
    return make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)


@pytest.fixture
def owner(make_user, org_a):
    return make_user(org_a, role=Role.OFFICER)


def _new(user, org, text="Brief the shelters", due=None, **owners):
    return actions.save_action(user, ActionItem(organisation=org), text, due or days(10), **owners)


# Rules ----------------------------------------------------------------------------------------------


def test_an_action_needs_text_a_due_date_and_an_owner_and_nothing_is_saved_otherwise(planner, org_a, owner):
    for text, due, owners, message in (
        ("", days(3), {"owner_user": owner}, "Say what is to be done."),
        ("Brief", None, {"owner_user": owner}, "An action needs a due date."),
        ("Brief", days(3), {}, "An action needs an owner"),
    ):
        with pytest.raises(ValidationError) as caught:
            actions.save_action(planner, ActionItem(organisation=org_a), text, due, **owners)
        assert message in caught.value.messages[0]
    assert not ActionItem.objects.exists()
    item = _new(planner, org_a, owner_user=owner, owner_organisation=org_a)
    assert item.owner_label == f"{owner.get_username()} · {org_a.name}" and item.created_by == planner
    entry = AuditEntry.objects.get(object_type="plans.actionitem", action=AuditAction.CREATE)
    assert entry.actor_id == planner.pk and "text" in entry.fields


def test_an_owner_is_named_among_staff_in_scope_and_another_organisation_cannot_write(
    planner, make_user, org_a, org_b
):
    stranger = make_user(org_b, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        _new(planner, org_a, owner_user=stranger)
    # Any organisation may be named owner: a drill's finding often falls to a partner.
    item = _new(planner, org_a, owner_organisation=org_b)
    with pytest.raises(PermissionDenied):
        _new(stranger, org_a, owner_organisation=org_b)
    with pytest.raises(PermissionDenied):
        actions.save_action(stranger, item, "Taken over", days(1), owner_organisation=org_b)
    viewer = make_user(org_a, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        _new(viewer, org_a, owner_organisation=org_a)
    assert ActionItem.objects.get().text == "Brief the shelters"


def test_closing_records_when_dropping_needs_a_reason_and_reopening_clears_it(planner, org_a, owner):
    item = _new(planner, org_a, owner_user=owner)
    with pytest.raises(ValidationError) as caught:
        actions.set_status(owner, item, ActionStatus.DROPPED, "")
    assert caught.value.messages == ["Say why the action is dropped."]
    with pytest.raises(ValidationError):
        actions.set_status(owner, item, "finished")
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN and item.closed_at is None
    item = actions.set_status(owner, item, ActionStatus.DONE, "Done at the spring review.")
    assert item.closed_at is not None and item.closing_note == "Done at the spring review."
    item = actions.set_status(planner, item, ActionStatus.IN_PROGRESS)
    assert item.closed_at is None and item.is_pending


def test_the_owner_moves_their_own_item_recorded_by_another_organisation_but_cannot_edit_it(
    make_user, org_a, org_b, planner
):
    # A viewer of the NGO, named owner by the directorate's coordinator (whose scope holds the NGO? no:
    # the coordinator names an organisation, then an administrator of the deployment names the person).
    admin = make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT)
    partner_viewer = make_user(org_b, role=Role.VIEWER)
    item = _new(admin, org_a, owner_user=partner_viewer)
    assert actions.visible(partner_viewer).filter(pk=item.pk).exists()
    assert actions.may_move(partner_viewer, item) and not actions.may_edit(partner_viewer, item)
    actions.set_status(partner_viewer, item, ActionStatus.DONE, "Shelter managers briefed.")
    other = make_user(org_b, role=Role.COORDINATOR)
    assert not actions.visible(other).filter(pk=item.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.set_status(other, item, ActionStatus.OPEN)


# The checklist's follow-ups ----------------------------------------------------------------------


def test_the_answer_page_keeps_its_follow_up_as_one_action_item(client, login, planner, owner, org_a, db):
    version = ChecklistTemplate.objects.get(key=KEY).published()
    assessment = services.start_assessment(planner, org_a, version)
    items = list(version.sections.first().items.all())
    login(planner)
    url = f"/plans/assessments/{assessment.pk}/sections/1/"
    response = client.post(
        url,
        {
            f"answer-{items[0].pk}": "no",
            f"follow-{items[0].pk}": "Count the workers' dormitories",
            f"owner-{items[0].pk}": str(owner.pk),
            f"due-{items[0].pk}": days(30).isoformat(),
        },
    )
    assert response.status_code == 302
    answer = assessment.answers.get(item=items[0])
    item = actions.follow_up_of(answer)
    assert (item.text, item.owner_user, item.due, item.source_kind) == (
        "Count the workers' dormitories",
        owner,
        days(30),
        SourceKind.CHECKLIST,
    )
    assert item.source == answer and item.organisation == org_a
    # Changing the answer's follow-up changes the same item; clearing it drops it with a note.
    client.post(
        url,
        {
            f"answer-{items[0].pk}": "partly",
            f"follow-{items[0].pk}": "Count the dormitories of the two industrial zones",
            f"ownerorg-{items[0].pk}": str(org_a.pk),
            f"due-{items[0].pk}": days(40).isoformat(),
        },
    )
    item.refresh_from_db()
    assert ActionItem.objects.count() == 1
    assert (item.text, item.owner_user, item.owner_organisation) == (
        "Count the dormitories of the two industrial zones",
        None,
        org_a,
    )
    assert "Count the dormitories of the two industrial zones" in client.get(url).content.decode()
    client.post(url, {f"answer-{items[0].pk}": "yes"})
    item.refresh_from_db()
    assert item.status == ActionStatus.DROPPED and item.closing_note == "Removed from the checklist answer."
    # A new follow-up after a closed one is a new item; the closed one stays as it was closed.
    client.post(
        url,
        {
            f"answer-{items[0].pk}": "partly",
            f"follow-{items[0].pk}": "Count them again next year",
            f"ownerorg-{items[0].pk}": str(org_a.pk),
            f"due-{items[0].pk}": days(365).isoformat(),
        },
    )
    newest = actions.follow_up_of(answer)
    assert newest.pk != item.pk and newest.is_pending and ActionItem.objects.count() == 2
    item.refresh_from_db()
    assert item.status == ActionStatus.DROPPED
    ActionItem.objects.filter(pk=newest.pk).delete()
    # An owner that is not a choice is refused with the section unchanged.
    response = client.post(
        url,
        {
            f"answer-{items[1].pk}": "no",
            f"follow-{items[1].pk}": "Ask",
            f"owner-{items[1].pk}": "999999",
            f"due-{items[1].pk}": days(5).isoformat(),
        },
    )
    assert response.status_code == 400 and ActionItem.objects.count() == 1
    assert not assessment.answers.filter(item=items[1]).exists()


# Pages ----------------------------------------------------------------------------------------------


def test_my_actions_lists_overdue_first_and_the_owner_closes_one(client, login, planner, owner, org_a, org_b):
    late = _new(planner, org_a, "Late one", days(-3), owner_user=owner)
    soon = _new(planner, org_a, "Soon one", days(2), owner_user=owner)
    unnamed = _new(planner, org_a, "Our organisation's", days(20), owner_organisation=org_a)
    _new(planner, org_a, "Someone else's", days(1), owner_user=planner)
    login(owner)
    page = client.get("/plans/actions/").content.decode()
    assert page.index("Late one") < page.index("Soon one") < page.index("Our organisation&#x27;s")
    assert "Someone else" not in page
    response = client.post(
        f"/plans/actions/{late.pk}/status/", {"status": "done", "note": "Briefed.", "next": "mine"}
    )
    assert response["Location"] == "/plans/actions/"
    late.refresh_from_db()
    assert late.status == ActionStatus.DONE
    response = client.post(f"/plans/actions/{soon.pk}/status/", {"status": "dropped", "note": ""})
    assert response.status_code == 302
    soon.refresh_from_db()
    assert soon.status == ActionStatus.OPEN
    assert "Say why the action is dropped." in client.get(response["Location"]).content.decode()
    home = client.get("/").content.decode()
    assert 'id="home-my-actions"' in home
    assert unnamed.pk


def test_the_list_filters_and_another_organisation_sees_nothing(
    client, login, planner, owner, make_user, org_a, org_b
):
    _new(planner, org_a, "Overdue thing", days(-1), owner_user=owner)
    done = _new(planner, org_a, "Finished thing", days(5), owner_user=owner)
    actions.set_status(planner, done, ActionStatus.DONE, "ok")
    login(planner)
    assert "Finished thing" not in client.get("/plans/actions/all/?status=overdue").content.decode()
    page = client.get("/plans/actions/all/?status=done&source=other").content.decode()
    assert "Finished thing" in page and "Overdue thing" not in page
    assert client.get("/plans/actions/all/?status=%00&organisation=x&owner=²").status_code == 200
    login(make_user(org_b, role=Role.COORDINATOR))
    assert "thing" not in client.get("/plans/actions/all/").content.decode()
    assert client.get(f"/plans/actions/{done.pk}/").status_code == 404


def test_the_form_creates_and_edits_and_refuses_bad_input(client, login, planner, owner, org_a):
    login(planner)
    response = client.post(
        "/plans/actions/new/", {"organisation": org_a.pk, "text": "Print the leaflets", "due": "2031-02-30"}
    )
    assert response.status_code == 200 and not ActionItem.objects.exists()
    response = client.post(
        "/plans/actions/new/",
        {"organisation": org_a.pk, "text": "Print the leaflets", "due": "2031-02-03", "owner_user": owner.pk},
    )
    item = ActionItem.objects.get()
    assert response["Location"] == f"/plans/actions/{item.pk}/"
    client.post(
        f"/plans/actions/{item.pk}/edit/",
        {"text": "Print the leaflets in Amharic", "due": "2031-02-03", "owner_organisation": org_a.pk},
    )
    item.refresh_from_db()
    assert item.text == "Print the leaflets in Amharic" and item.owner_user is None


# Reminders ------------------------------------------------------------------------------------------


def test_reminders_mail_each_owner_once_a_day_in_their_language(planner, owner, org_a, make_user):
    owner.profile.language = "fr"
    owner.profile.save()
    _new(planner, org_a, "Late one", days(-3), owner_user=owner)
    _new(planner, org_a, "Soon one", days(2), owner_user=owner)
    _new(planner, org_a, "Far one", days(60), owner_user=owner)
    _new(planner, org_a, "Organisation's", days(-1), owner_organisation=org_a)
    done = _new(planner, org_a, "Done one", days(-1), owner_user=owner)
    actions.set_status(planner, done, ActionStatus.DONE, "ok")
    call_command("plans_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Late one" in message.body and "Soon one" in message.body
    assert "Far one" not in message.body and "Done one" not in message.body
    assert "Vos actions" in message.subject
    assert actions.send_reminders() == 0  # the same day: nothing again
    assert actions.send_reminders(today=days(1)) == 1
