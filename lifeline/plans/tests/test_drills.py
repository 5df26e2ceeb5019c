"""Drills: recorded with their plan and participants; findings become action items tracked to closure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lifeline.core.models import AuditAction, AuditEntry, Role, Scope
from lifeline.plans import actions, drills
from lifeline.plans.models import Plan
from lifeline.plans.models_actions import ActionItem, ActionStatus, Drill, SourceKind

TODAY = timezone.localdate()


@pytest.fixture
def planner(make_user, org_a):
    return make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)


@pytest.fixture
def plan(org_a):
    return Plan.objects.create(organisation=org_a, title="Flood plan")


def _values(**changes):
    return {
        "title": "Night flood tabletop",
        "held_on": TODAY - datetime.timedelta(days=3),
        "level": "local",
        "scenario": "Wadi flood at night",
        "objectives": "Warnings in Amharic",
        "participants": 20,
        "migrant_representatives": 4,
        **changes,
    }


def test_a_drill_counts_migrant_representatives_among_participants_and_names_a_readable_plan(
    planner, org_a, org_b, plan, make_user
):
    with pytest.raises(ValidationError) as caught:
        drills.save_drill(
            planner, Drill(organisation=org_a), _values(participants=3, migrant_representatives=4)
        )
    assert "cannot be more of them" in caught.value.messages[0]
    other_plan = Plan.objects.create(organisation=org_b, title="NGO plan")
    with pytest.raises(PermissionDenied):
        drills.save_drill(planner, Drill(organisation=org_a), _values(plan=other_plan))
    assert not Drill.objects.exists()
    drill = drills.save_drill(planner, Drill(organisation=org_a), _values(plan=plan))
    assert list(plan.drills.all()) == [drill]
    assert AuditEntry.objects.get(object_type="plans.drill", action=AuditAction.CREATE).actor_id == planner.pk
    with pytest.raises(PermissionDenied):
        drills.save_drill(make_user(org_b, role=Role.COORDINATOR), drill, {"title": "Taken"})


def test_findings_are_action_items_of_the_drill(planner, org_a, org_b, plan, make_user):
    drill = drills.save_drill(planner, Drill(organisation=org_a), _values(plan=plan))
    owner = make_user(org_a)
    first = drills.add_finding(planner, drill, "Shelters asked for papers", TODAY, owner_user=owner)
    second = drills.add_finding(planner, drill, "Night numbers missing", TODAY, owner_organisation=org_b)
    assert [f.pk for f in drills.findings(drill)] == [first.pk, second.pk]
    assert first.source == drill and first.source_kind == SourceKind.DRILL and first.organisation == org_a
    with pytest.raises(ValidationError):
        drills.add_finding(planner, drill, "No owner", TODAY)
    assert ActionItem.objects.count() == 2
    assert list(actions.mine(owner)) == [first]


def test_the_pages_record_a_drill_its_findings_and_show_it_on_the_plan(
    client, login, planner, org_a, org_b, plan, make_user
):
    owner = make_user(org_a)
    login(planner)
    data = _values()
    data.update(organisation=org_a.pk, plan=plan.pk, held_on=data["held_on"].isoformat())
    response = client.post("/plans/drills/new/", data)
    drill = Drill.objects.get()
    assert response["Location"] == f"/plans/drills/{drill.pk}/"
    response = client.post(
        f"/plans/drills/{drill.pk}/findings/",
        {"text": "Shelters asked for papers", "due": "2027-01-10", "owner_user": owner.pk},
    )
    assert response.status_code == 302
    response = client.post(f"/plans/drills/{drill.pk}/findings/", {"text": "No owner", "due": "2027-01-10"})
    assert response.status_code == 400 and "An action needs an owner" in response.content.decode()
    bad = client.post("/plans/drills/new/", {**data, "participants": "-1", "migrant_representatives": "x"})
    assert bad.status_code == 200 and Drill.objects.count() == 1
    page = client.get(f"/plans/drills/{drill.pk}/").content.decode()
    assert "Shelters asked for papers" in page and "0 of 1 closed" in page
    item = ActionItem.objects.get()
    client.post(f"/plans/actions/{item.pk}/status/", {"status": "done", "note": "Briefed", "next": "source"})
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert "1 of 1 closed" in client.get(f"/plans/drills/{drill.pk}/").content.decode()
    assert "Night flood tabletop" in client.get(f"/plans/register/{plan.pk}/").content.decode()
    assert "Night flood tabletop" in client.get("/plans/drills/").content.decode()
    login(make_user(org_b, role=Role.COORDINATOR))
    assert client.get(f"/plans/drills/{drill.pk}/").status_code == 404
    assert "Night flood tabletop" not in client.get("/plans/drills/").content.decode()
    assert (
        client.post(f"/plans/drills/{drill.pk}/findings/", {"text": "x", "due": "2027-01-01"}).status_code
        == 404
    )
