"""The planner's home: active interpreters, and the languages communities speak that none covers."""

from lifeline.interpreters.models import Interpreter
from lifeline.interpreters.services import language_gaps

SHOWN = 20


def planner_figures(home):
    from lifeline.communities.models import CommunityProfile  # the languages spoken (until `risk`)

    interpreters = home.readable(Interpreter)
    communities = home.readable(CommunityProfile)
    return {
        "counts": {"interpreters": interpreters.filter(active=True).count()},
        "language_gaps": language_gaps(communities, interpreters, home.area)[:SHOWN],
    }
