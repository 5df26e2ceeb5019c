"""The home card of every stream: the user's own open and overdue action items (one query)."""

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
