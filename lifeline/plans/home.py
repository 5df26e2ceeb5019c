"""The plans' cards on every stream's home: the user's own open and overdue action items (one
query), and the plan documents (SOPs, consular contingency plans) due for review."""

from django.db.models import Count, Q
from django.utils import timezone

from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm
from lifeline.plans import actions


def my_actions_figures(home):
    if not has_perm(home.user, Area.PLANS, Action.VIEW):
        return {"actions_home": None}
    counts = (
        actions.mine(home.user)
        .pending()
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(due__lt=timezone.localdate())))
    )
    return {"actions_home": counts}


def due_figures(home):
    from lifeline.plans.builders import due_for_review

    if not has_perm(home.user, Area.PLANS, Action.CHANGE):
        return {"plan_documents_due": None}
    return {"plan_documents_due": len(due_for_review(home.user))}
