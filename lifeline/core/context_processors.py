from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from lifeline.core import approval, health
from lifeline.core.models import Area, Branding
from lifeline.core.permissions import has_perm


def deployment(request):
    branding = Branding.current()
    user = getattr(request, "user", None)
    # Staff pages are offered in the staff languages only; what migrants read also in theirs.
    pool = settings.STAFF_LANGUAGES if user is not None and user.is_authenticated else settings.LANGUAGES
    offered = [(code, name) for code, name in pool if code in (branding.languages or [])]
    can = {area: has_perm(user, area, "view") for area in Area.values}
    return {
        "branding": branding,
        "offered_languages": offered or pool,
        "LANGUAGE_BIDI": get_language_bidi(),
        "current_language": get_language(),
        "can_view": can,
        "approvals": _approvals(user),
        # Sends wait and no worker runs them: staff who send are told on every page.
        "sends_stuck": bool(can.get(Area.MESSAGING)) and health.sends_stuck(),
    }


def _approvals(user):
    """The inbox link for who may approve something, with how many items wait for them."""
    if user is None or not user.is_authenticated or not approval.may_approve_anything(user):
        return {"show": False, "count": 0}
    return {"show": True, "count": approval.waiting_count(user)}
