"""The home page of each stream: what a consul and what a planner should look at first.

Every figure is read through the same scoped querysets as the pages it links to (``for_user``,
``readable_by``, ``people_q``), so a number on the home is the length of the list behind its link.
A few queries each, whatever the size of the registries (tests/test_homes.py counts them).
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.alerts.models import State as AlertState
from lifeline.cases.models import OPEN_STATUSES, Case
from lifeline.communities.models import CommunityProfile
from lifeline.communities.services import without_focal_point
from lifeline.core.models import Action, Area, Branding, OrganisationKind, Stream
from lifeline.core.permissions import has_perm, people_q
from lifeline.core.registry_views import is_id
from lifeline.crises.models import CheckInCampaign, CheckInRequest, CheckInStatus, Crisis
from lifeline.directory.models import KeyContact
from lifeline.geo.models import AdminArea
from lifeline.interpreters.models import Interpreter
from lifeline.interpreters.services import language_gaps
from lifeline.nationals.models import Registration
from lifeline.nationals.services import search_registrations

# Organisations of the home-country stream (a ministry of foreign affairs and its network).
HOME_KINDS = {OrganisationKind.FOREIGN_AFFAIRS, OrganisationKind.CONSULAR_POST, OrganisationKind.CRISIS_CELL}
ACTIVE_CRISES_SHOWN = 10


def stream_of(user, deployment=None):
    """The stream whose home and menu come first for ``user``: the deployment's only stream, else
    the one of the user's organisation (a ministry, a post or a crisis cell is the home country's)."""
    streams = (deployment or Branding.current()).streams
    if streams != Stream.BOTH:
        return streams
    profile = getattr(user, "profile", None)
    kind = profile.organisation.kind if profile is not None else None
    return Stream.HOME if kind in HOME_KINDS else Stream.HOST


def home_figures(user, area_id=None, deployment=None):
    stream = stream_of(user, deployment)
    figures = consul_figures(user) if stream == Stream.HOME else planner_figures(user, area_id)
    return {"stream": stream, **figures}


# --- the consul's home --------------------------------------------------------------------------


def consul_figures(user):

    figures = {"crises": [], "cases": None, "expiring": None}
    if has_perm(user, Area.CRISES, Action.VIEW):
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
            for row in CheckInRequest.objects.filter(
                people_q(user, Area.CRISES, "registration__organisation")
            )
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
        figures["crises"] = crises
    if has_perm(user, Area.CASES, Action.VIEW):
        figures["cases"] = Case.objects.for_user(user).aggregate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())),
        )
    if has_perm(user, Area.NATIONALS, Action.VIEW):
        registrations = Registration.objects.for_user(user).active()
        figures["expiring"] = search_registrations(registrations, expiring=True).count()
    return figures


# --- the planner's home -------------------------------------------------------------------------


def planner_figures(user, area_id=None):
    contacts = KeyContact.objects.for_user(user)
    # Shared knowledge: what organisations covering the user's jurisdiction hold (ScopedQuerySet.readable_by).
    communities = CommunityProfile.objects.readable_by(user)
    interpreters = Interpreter.objects.readable_by(user)
    area = AdminArea.objects.filter(pk=area_id).first() if is_id(area_id) else None
    scoped_communities = communities.filter(areas=area) if area else communities
    alerts_waiting = None
    if has_perm(user, Area.ALERTS, Action.VIEW):
        alerts_waiting = Alert.objects.for_user(user).filter(state=AlertState.AWAITING).count()
    return {
        "area": area,
        "areas": AdminArea.objects.order_by("name"),
        "counts": {
            "contacts": contacts.count(),
            "contacts_stale": contacts.stale().count(),
            "communities": communities.count(),
            "interpreters": interpreters.filter(active=True).count(),
        },
        "alerts_waiting": alerts_waiting,
        "no_focal_point": without_focal_point(scoped_communities.distinct())[:20],
        "language_gaps": language_gaps(communities, interpreters, area)[:20],
    }
