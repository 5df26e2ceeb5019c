"""Figures for the home page: counts of each registry and the gap lists."""

from lifeline.communities.models import CommunityProfile
from lifeline.communities.services import without_focal_point
from lifeline.core.registry_views import is_id
from lifeline.directory.models import KeyContact
from lifeline.geo.models import AdminArea
from lifeline.interpreters.models import Interpreter
from lifeline.interpreters.services import language_gaps


def home_figures(user, area_id=None):
    contacts = KeyContact.objects.for_user(user)
    # Shared knowledge: what organisations covering the user's jurisdiction hold (ScopedQuerySet.readable_by).
    communities = CommunityProfile.objects.readable_by(user)
    interpreters = Interpreter.objects.readable_by(user)
    area = AdminArea.objects.filter(pk=area_id).first() if is_id(area_id) else None
    scoped_communities = communities.filter(areas=area) if area else communities
    return {
        "area": area,
        "areas": AdminArea.objects.order_by("name"),
        "counts": {
            "contacts": contacts.count(),
            "contacts_stale": contacts.stale().count(),
            "communities": communities.count(),
            "interpreters": interpreters.filter(active=True).count(),
        },
        "no_focal_point": without_focal_point(scoped_communities.distinct())[:20],
        "language_gaps": language_gaps(communities, interpreters, area)[:20],
    }
