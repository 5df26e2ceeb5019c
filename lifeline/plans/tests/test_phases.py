"""Activating a phase of a post's consular plan during a crisis: its actions become the crisis's tasks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lifeline.core.models import AuditAction, AuditEntry, Role
from lifeline.crises.models import Crisis, Phase, Status
from lifeline.plans import actions, builders, phases
from lifeline.plans.builder_models import DocumentKind
from lifeline.plans.models_actions import ActionItem, ActionStatus, SourceKind
from lifeline.plans.models_phases import PhaseActivation

STARTED = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
PRECAUTIONARY = [
    {"text": "Call the wardens", "role": "Officer", "timing": "Within 24 hours"},
    {"text": "Message every national", "role": "Viewer", "timing": "Same day"},
    {"text": "Check the stock of passports", "role": "Ambassador", "timing": "When possible"},
]


@pytest.fixture
def consul(make_user, post_amman):
    return make_user(post_amman, Role.OFFICER)


@pytest.fixture
def plan(consul, post_amman, jordan):
    document = builders.create_document(
        consul, post_amman, DocumentKind.CONSULAR, "Amman plan", country=jordan
    )
    builders.save_section(consul, document, "phase-precautionary", "Risk rising.", PRECAUTIONARY)
    return document


@pytest.fixture
def crisis(post_amman, jordan):
    return Crisis.objects.create(
        organisation=post_amman, name="Floods in Amman", country=jordan, started=STARTED
    )


def test_activating_a_phase_makes_one_task_per_action_with_owner_and_due_date(
    consul, plan, crisis, make_user, post_amman
):
    make_user(post_amman, Role.VIEWER)
    make_user(post_amman, Role.VIEWER)  # two hold the role: nobody is named
    activation = phases.activate_phase(consul, crisis, plan, Phase.PRECAUTIONARY)
    tasks = list(activation.tasks.order_by("pk"))
    assert [t.text for t in tasks] == [a["text"] for a in PRECAUTIONARY]
    assert all(t.source == crisis and t.source_kind == SourceKind.CRISIS_PHASE for t in tasks)
    assert all(t.organisation == post_amman and t.owner_organisation == post_amman for t in tasks)
    assert all(t.status == ActionStatus.OPEN and t.created_by == consul for t in tasks)
    # The only officer of the post holds "Officer"; two viewers hold "Viewer"; nobody "Ambassador".
    assert [t.owner_user for t in tasks] == [consul, None, None]
    assert tasks[0].due == datetime.date(2026, 3, 3)
    assert tasks[1].due == timezone.localdate(STARTED)
    assert tasks[2].due == timezone.localdate()
    assert AuditEntry.objects.filter(object_type="plans.actionitem", action=AuditAction.CREATE).count() == 3
    entry = AuditEntry.objects.get(object_type="plans.phaseactivation", action=AuditAction.CREATE)
    assert entry.actor_id == consul.pk
    # The tasks are action items like any other: on the owner's list.
    assert set(actions.mine(consul).filter(source_kind=SourceKind.CRISIS_PHASE)) == set(tasks)


def test_a_phase_is_activated_once_per_crisis_and_nothing_is_written_the_second_time(consul, plan, crisis):
    phases.activate_phase(consul, crisis, plan, Phase.PRECAUTIONARY)
    with pytest.raises(ValidationError) as caught:
        phases.activate_phase(consul, crisis, plan, Phase.PRECAUTIONARY)
    assert "already activated" in caught.value.messages[0]
    assert ActionItem.objects.count() == 3 and PhaseActivation.objects.count() == 1
    # A phase without actions, or no phase at all, is refused too.
    for phase, message in ((Phase.RESTRICTION, "no actions yet"), ("evacuate", "Choose a phase")):
        with pytest.raises(ValidationError) as caught:
            phases.activate_phase(consul, crisis, plan, phase)
        assert message in caught.value.messages[0]
    assert ActionItem.objects.count() == 3 and PhaseActivation.objects.count() == 1


def test_a_closed_crisis_takes_no_phase(consul, plan, crisis):
    Crisis.objects.filter(pk=crisis.pk).update(status=Status.CLOSED)
    crisis.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        phases.activate_phase(consul, crisis, plan, Phase.PRECAUTIONARY)
    assert "closed" in caught.value.messages[0]
    assert not ActionItem.objects.exists() and not PhaseActivation.objects.exists()


def test_only_who_may_change_the_crisis_activates_and_only_the_lead_posts_plan(
    consul, plan, crisis, make_user, post_amman, post_beirut, lebanon
):
    viewer = make_user(post_amman, Role.VIEWER)
    beirut = make_user(post_beirut, Role.OFFICER)
    beirut_plan = builders.create_document(beirut, post_beirut, DocumentKind.CONSULAR, "Beirut plan")
    builders.save_section(beirut, beirut_plan, "phase-precautionary", "", PRECAUTIONARY)
    beirut_crisis = Crisis.objects.create(organisation=post_beirut, name="Beirut", country=lebanon)
    for user, on, document in (
        (viewer, crisis, plan),  # reads the crisis, may not change it
        (beirut, crisis, plan),  # another post's crisis and plan
        (beirut, crisis, beirut_plan),  # its own plan on a crisis it cannot change
        (consul, crisis, beirut_plan),  # another post's plan on its own crisis
        (consul, beirut_crisis, plan),  # its own plan on another post's crisis
    ):
        with pytest.raises(PermissionDenied):
            phases.activate_phase(user, on, document, Phase.PRECAUTIONARY)
    assert not ActionItem.objects.exists() and not PhaseActivation.objects.exists()
    assert list(phases.plans_for(viewer, crisis)) == [] and list(phases.plans_for(consul, crisis)) == [plan]


def test_the_approved_version_is_what_is_activated(consul, plan, crisis, make_user, post_amman):
    approver = make_user(post_amman, Role.COORDINATOR)
    builders.submit(consul, plan)
    builders.approve(approver, plan)
    plan.refresh_from_db()
    builders.save_section(consul, plan, "phase-precautionary", "Changed.", [{"text": "Draft only"}])
    activation = phases.activate_phase(consul, crisis, plan, Phase.PRECAUTIONARY)
    assert [t.text for t in activation.tasks.order_by("pk")] == [a["text"] for a in PRECAUTIONARY]


def test_timings_read_as_lengths_of_time():
    assert phases.due_from(STARTED, "Within 48 hours") == datetime.date(2026, 3, 4)
    assert phases.due_from(STARTED, "in 2 weeks") == datetime.date(2026, 3, 16)
    assert phases.due_from(STARTED, "3 days") == datetime.date(2026, 3, 5)
    assert phases.due_from(STARTED, "On activation") == timezone.localdate(STARTED)
    assert phases.due_from(STARTED, "Daily") is None and phases.due_from(STARTED, "") is None


def test_the_crisis_page_activates_a_phase_and_lists_its_tasks(
    consul, plan, crisis, login, make_user, post_beirut
):
    client = login(consul)
    page = client.get(reverse("crises:detail", args=[crisis.pk])).content.decode()
    assert "Plan phases" in page and "Activate the phase" in page and "Amman plan" in page
    url = reverse("plans:activate_phase", args=[crisis.pk])
    response = client.post(url, {"document": plan.pk, "phase": "precautionary"}, follow=True)
    page = response.content.decode()
    assert "Tasks added: 3." in page and "0 of 3 done" in page
    task = ActionItem.objects.get(text="Call the wardens")
    assert reverse("plans:action", args=[task.pk]) in page
    assert '<option value="precautionary">' not in page  # activated: no longer offered
    actions.set_status(consul, task, ActionStatus.DONE)
    page = client.get(reverse("crises:detail", args=[crisis.pk])).content.decode()
    assert "1 of 3 done" in page
    # Twice: a clear message, nothing written.
    response = client.post(url, {"document": plan.pk, "phase": "precautionary"}, follow=True)
    assert "already activated" in response.content.decode() and ActionItem.objects.count() == 3
    # Bad input never makes a 500.
    response = client.post(url, {"document": "x²", "phase": "nope"}, follow=True)
    assert response.status_code == 200 and "Choose a phase" in response.content.decode()
    # Another post may neither post nor see the form.
    other = login(make_user(post_beirut, Role.OFFICER))
    assert other.post(url, {"document": plan.pk, "phase": "restriction"}).status_code == 404
