"""The numbers of plans, each from one function, on data whose answers are known."""

import datetime

import pytest
from django.utils import timezone

from lifeline.core.models import Role, Scope
from lifeline.plans import actions, figures
from lifeline.plans.models import (
    Answer,
    AnswerRecord,
    Assessment,
    AssessmentState,
    ChecklistTemplate,
    Item,
    Plan,
    PlanKind,
)
from lifeline.plans.models_actions import ActionItem, ActionStatus, Drill

TODAY = timezone.localdate()


def ago(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def version(db):
    return ChecklistTemplate.objects.get(key=figures.MIGRANT_CHECKLIST).published()


def _assess(plan, version, on, yes, no, state=AssessmentState.COMPLETED):
    """An assessment of ``plan`` with ``yes`` items answered yes and ``no`` answered no: score yes/(yes+no)."""
    assessment = Assessment.objects.create(
        organisation=plan.organisation, version=version, plan=plan, assessed_on=on, state=state
    )
    items = list(Item.objects.filter(section__version=version).order_by("section__position", "position"))
    for item in items[:yes]:
        AnswerRecord.objects.create(assessment=assessment, item=item, answer=Answer.YES)
    for item in items[yes : yes + no]:
        AnswerRecord.objects.create(assessment=assessment, item=item, answer=Answer.NO)
    return assessment


def test_inclusive_revised_and_covered_follow_the_threshold(
    version, org_a, org_b, areas, make_user, settings
):
    settings.PLANS_INCLUSIVE_SCORE = 60
    revised = Plan.objects.create(organisation=org_a, title="Revised", kind=PlanKind.CONTINGENCY)
    revised.areas.set([areas["amman"]])
    always = Plan.objects.create(organisation=org_a, title="Always good", kind=PlanKind.EARLY_WARNING)
    always.areas.set([areas["irbid"]])
    worse = Plan.objects.create(organisation=org_b, title="Got worse", kind=PlanKind.CONTINGENCY)
    other_kind = Plan.objects.create(organisation=org_b, title="Other kind", kind=PlanKind.OTHER)
    other_kind.areas.set([areas["irbid"], areas["amman"]])
    _assess(revised, version, ago(300), yes=2, no=8)  # 20 %
    _assess(revised, version, ago(30), yes=7, no=3)  # 70 %
    _assess(revised, version, ago(1), yes=0, no=10, state=AssessmentState.IN_PROGRESS)  # not counted
    _assess(always, version, ago(100), yes=9, no=1)  # 90 %
    _assess(worse, version, ago(200), yes=8, no=2)
    _assess(worse, version, ago(20), yes=5, no=5)  # 50 %
    _assess(other_kind, version, ago(20), yes=10, no=0)
    assert set(figures.migrant_inclusive_plans()) == {revised, always, other_kind}
    assert list(figures.plans_revised_to_include_migrants()) == [revised]
    assert list(figures.areas_covered()) == [areas["amman"], areas["irbid"]]
    # Sixty days ago "Revised" was still at 20 % and "Got worse" at 80 %.
    assert list(figures.plans_revised_to_include_migrants(until=ago(60))) == []
    assert set(figures.migrant_inclusive_plans(until=ago(60))) == {always, worse}
    settings.PLANS_INCLUSIVE_SCORE = 80
    assert set(figures.migrant_inclusive_plans()) == {always, other_kind}
    # Scoped: a user of org_a counts only org_a's plans.
    user = make_user(org_a, role=Role.COORDINATOR, scope=Scope.OWN)
    assert set(figures.migrant_inclusive_plans(user)) == {always}
    assert list(figures.areas_covered(user)) == [areas["irbid"]]


def test_scores_over_time_are_the_completed_assessments_in_order(version, org_a):
    plan = Plan.objects.create(organisation=org_a, title="Flood")
    first = _assess(plan, version, ago(300), yes=1, no=3)
    second = _assess(plan, version, ago(30), yes=3, no=1)
    _assess(plan, version, ago(2), yes=4, no=0, state=AssessmentState.IN_PROGRESS)
    points = figures.checklist_scores_over_time()
    assert [(p.assessment_id, p.score, p.subject) for p in points] == [
        (first.pk, 25, "Flood"),
        (second.pk, 75, "Flood"),
    ]
    assert [p.assessment_id for p in figures.checklist_scores_over_time(since=ago(100))] == [second.pk]


def test_drills_held_count_the_past_ones_and_their_migrant_representatives(org_a, org_b, make_user):
    plan = Plan.objects.create(organisation=org_a, title="Flood")
    Drill.objects.create(
        organisation=org_a, title="A", held_on=ago(10), participants=20, migrant_representatives=5, plan=plan
    )
    Drill.objects.create(
        organisation=org_a, title="B", held_on=ago(400), participants=10, migrant_representatives=0
    )
    Drill.objects.create(
        organisation=org_b, title="C", held_on=ago(5), participants=7, migrant_representatives=2
    )
    Drill.objects.create(
        organisation=org_b, title="Planned", held_on=TODAY + datetime.timedelta(days=30), participants=50
    )
    assert figures.drills_held() == {
        "drills": 3,
        "participants": 37,
        "migrant_representatives": 7,
        "testing_a_plan": 1,
    }
    assert figures.drills_held(since=ago(365))["drills"] == 2
    user = make_user(org_b, role=Role.COORDINATOR)
    assert figures.drills_held(user) == {
        "drills": 1,
        "participants": 7,
        "migrant_representatives": 2,
        "testing_a_plan": 0,
    }


def test_action_items_closed_against_open_and_overdue(org_a, make_user):
    planner = make_user(org_a, role=Role.COORDINATOR)

    def new(text, due):
        return actions.save_action(
            planner, ActionItem(organisation=org_a), text, due, owner_organisation=org_a
        )

    done = new("done", ago(5))
    dropped = new("dropped", ago(5))
    new("overdue", ago(1))
    new("open", TODAY + datetime.timedelta(days=3))
    actions.set_status(planner, done, ActionStatus.DONE, "ok")
    actions.set_status(planner, dropped, ActionStatus.DROPPED, "not needed")
    assert figures.action_items_closed() == {"total": 4, "done": 1, "dropped": 1, "open": 2, "overdue": 1}
    assert figures.action_items_closed(until=ago(1))["total"] == 0
    assert figures.action_items_closed(source_kind="drill")["total"] == 0
