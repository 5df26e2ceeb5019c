"""The consul's home: open and overdue cases."""

from django.db.models import Count, Q
from django.utils import timezone

from lifeline.cases.models import OPEN_STATUSES, Case
from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm


def consul_figures(home):
    if not has_perm(home.user, Area.CASES, Action.VIEW):
        return {"cases": None}
    return {
        "cases": Case.objects.for_user(home.user).aggregate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())),
        )
    }
