"""The planner's home: alerts waiting for a second person's approval."""

from lifeline.alerts.models import Alert, State
from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm


def planner_figures(home):
    if not has_perm(home.user, Area.ALERTS, Action.VIEW):
        return {"alerts_waiting": None}
    return {"alerts_waiting": Alert.objects.for_user(home.user).filter(state=State.AWAITING).count()}
