"""The numbers the evaluation work reads from plans, one function each, computed from the records.

Every function takes ``user`` (read through the same scoped querysets as the pages: a number is the
length of the list behind it) or ``None`` for the whole deployment (commands, reports), and an
optional period.

Definitions (docs/users/plans.md, "Numbers"):

- A plan is **migrant-inclusive** when its newest completed assessment with the checklist "Does our
  contingency plan account for migrants?" scores at least ``settings.PLANS_INCLUSIVE_SCORE`` per cent
  (60 by default; yes 1, partly ½, no 0, not applicable left out, as on the results page).
- A plan was **revised to include migrants** when it is migrant-inclusive now and an earlier
  completed assessment of it with that checklist was below the threshold: the checklist saw it change.
- An area is **covered** when a migrant-inclusive contingency plan, early-warning system or SOP of the
  register names it among its areas (the areas named, not the ones inside them).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from lifeline.plans.models import Assessment, AssessmentState, Plan, PlanKind
from lifeline.plans.models_actions import ActionItem, ActionStatus, Drill
from lifeline.plans.services import overall_scores

MIGRANT_CHECKLIST = "contingency-plan-accounts-for-migrants"
# Kinds of plan whose areas count as covered.
COVERING_KINDS = (PlanKind.CONTINGENCY, PlanKind.EARLY_WARNING, PlanKind.SOP)


def threshold():
    return settings.PLANS_INCLUSIVE_SCORE


def _read(model, user):
    return model.objects.all() if user is None else model.objects.for_user(user)


def _completed(user, template_key=MIGRANT_CHECKLIST, until=None):
    queryset = _read(Assessment, user).filter(
        state=AssessmentState.COMPLETED, version__template__key=template_key
    )
    if until is not None:
        queryset = queryset.filter(assessed_on__lte=until)
    return queryset


def _plan_scores(user, until=None):
    """{plan id: [score of each completed migrant-checklist assessment, oldest first]}."""
    assessments = list(_completed(user, until=until).filter(plan__isnull=False).order_by("assessed_on", "pk"))
    scores = overall_scores(assessments)
    found = {}
    for assessment in assessments:
        found.setdefault(assessment.plan_id, []).append(scores[assessment.pk])
    return found


def _inclusive(scores):
    return bool(scores) and scores[-1] is not None and scores[-1] >= threshold()


def migrant_inclusive_plans(user=None, until=None):
    """The plans of the register that are migrant-inclusive (as of ``until``, today by default)."""
    ids = [pk for pk, scores in _plan_scores(user, until).items() if _inclusive(scores)]
    return _read(Plan, user).filter(pk__in=ids)


def plans_revised_to_include_migrants(user=None, until=None):
    """The plans that are migrant-inclusive now and were assessed below the threshold before."""
    ids = [
        pk
        for pk, scores in _plan_scores(user, until).items()
        if _inclusive(scores) and any(s is not None and s < threshold() for s in scores[:-1])
    ]
    return _read(Plan, user).filter(pk__in=ids)


def areas_covered(user=None, until=None):
    """The admin areas named by a migrant-inclusive contingency plan, early-warning system or SOP."""
    from lifeline.geo.models import AdminArea

    plans = migrant_inclusive_plans(user, until).filter(kind__in=COVERING_KINDS)
    return AdminArea.objects.filter(pk__in=plans.values("areas")).order_by("name")


@dataclass(frozen=True)
class ScorePoint:
    assessed_on: datetime.date
    assessment_id: int
    subject: str
    score: int | None


def checklist_scores_over_time(user=None, template_key=MIGRANT_CHECKLIST, since=None, until=None):
    """Every completed assessment with the checklist, oldest first, with its overall score."""
    queryset = _completed(user, template_key, until).select_related("plan", "organisation")
    if since is not None:
        queryset = queryset.filter(assessed_on__gte=since)
    assessments = list(queryset.order_by("assessed_on", "pk"))
    scores = overall_scores(assessments)
    return [
        ScorePoint(a.assessed_on, a.pk, a.plan.title if a.plan_id else a.organisation.name, scores[a.pk])
        for a in assessments
    ]


def drills_held(user=None, since=None, until=None):
    """Drills held in the period (none in the future): how many, participants, migrant representatives,
    and how many tested a plan of the register."""
    until = until or timezone.localdate()
    queryset = _read(Drill, user).filter(held_on__lte=until)
    if since is not None:
        queryset = queryset.filter(held_on__gte=since)
    rows = list(queryset.values_list("participants", "migrant_representatives", "plan_id"))
    return {
        "drills": len(rows),
        "participants": sum(r[0] for r in rows),
        "migrant_representatives": sum(r[1] for r in rows),
        "testing_a_plan": sum(1 for r in rows if r[2]),
    }


def action_items_closed(user=None, since=None, until=None, source_kind=None):
    """Action items recorded in the period (by creation date): done, dropped, still open, and of
    the open ones those overdue on ``until``."""
    until = until or timezone.localdate()
    queryset = _read(ActionItem, user).filter(created__date__lte=until)
    if since is not None:
        queryset = queryset.filter(created__date__gte=since)
    if source_kind is not None:
        queryset = queryset.filter(source_kind=source_kind)
    rows = list(queryset.values_list("status", "due", "closed_at"))
    done = dropped = pending = overdue = 0
    for status, due, closed_at in rows:
        closed_by_then = closed_at is not None and timezone.localtime(closed_at).date() <= until
        if status == ActionStatus.DONE and closed_by_then:
            done += 1
        elif status == ActionStatus.DROPPED and closed_by_then:
            dropped += 1
        else:
            pending += 1
            overdue += due < until
    return {"total": len(rows), "done": done, "dropped": dropped, "open": pending, "overdue": overdue}
