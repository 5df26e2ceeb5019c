"""The planner's home: community profiles, and those with no focal point (in the area chosen)."""

from lifeline.communities.models import CommunityProfile
from lifeline.communities.services import without_focal_point

SHOWN = 20


def planner_figures(home):
    # Shared knowledge: what organisations covering the user's jurisdiction hold (ScopedQuerySet.readable_by).
    communities = home.readable(CommunityProfile)
    scoped = communities.filter(areas=home.area) if home.area else communities
    return {
        "counts": {"communities": communities.count()},
        "no_focal_point": without_focal_point(scoped.distinct())[:SHOWN],
    }
