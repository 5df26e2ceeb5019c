"""The consul's home: the active crises with how many people answered their latest check-in."""

from django.db.models import Count, OuterRef, Q, Subquery

from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm, people_q
from lifeline.crises.models import CheckInCampaign, CheckInRequest, CheckInStatus, Crisis

ACTIVE_CRISES_SHOWN = 10


def consul_figures(home):
    user = home.user
    if not has_perm(user, Area.CRISES, Action.VIEW):
        return {"crises": []}
    latest = CheckInCampaign.objects.filter(crisis=OuterRef("pk")).order_by("-started", "-id")
    crises = list(
        Crisis.objects.for_user(user)
        .active()
        .annotate(campaign_id=Subquery(latest.values("id")[:1]))
        .select_related("country")
        .order_by("-started", "id")[:ACTIVE_CRISES_SHOWN]
    )
    asked = {
        row["campaign_id"]: row
        for row in CheckInRequest.objects.filter(people_q(user, Area.CRISES, "registration__organisation"))
        .filter(campaign_id__in=[c.campaign_id for c in crises if c.campaign_id])
        .values("campaign_id")
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=~Q(status=CheckInStatus.NO_ANSWER)),
            need_help=Count("id", filter=Q(status=CheckInStatus.NEED_HELP)),
        )
        .order_by()
    }
    for crisis in crises:
        row = asked.get(crisis.campaign_id, {})
        crisis.asked, crisis.answered = row.get("asked", 0), row.get("answered", 0)
        crisis.need_help = row.get("need_help", 0)
        crisis.answer_rate = round(100 * crisis.answered / crisis.asked) if crisis.asked else None
    return {"crises": crises}
