from django.conf import settings
from django.utils.translation import get_language

from lifeline.core import approval, branding, health
from lifeline.core.dashboard import stream_of
from lifeline.core.languages import is_rtl
from lifeline.core.models import Area
from lifeline.core.permissions import has_perm


def deployment(request):
    brand = branding.for_request(request)
    user = getattr(request, "user", None)
    # Staff pages are offered in the staff languages only; what migrants read also in theirs.
    pool = settings.STAFF_LANGUAGES if user is not None and user.is_authenticated else settings.LANGUAGES
    offered = [(code, name) for code, name in pool if code in (brand.languages or [])]
    can = {area: has_perm(user, area, "view") for area in Area.values}
    return {
        "branding": brand,
        # A public page of several publishers: each one's colours, for what it published.
        "publisher_brands": branding.publisher_brands(request),
        # Whose group comes first in the menu (core.dashboard.stream_of).
        "menu_stream": stream_of(user, brand) if user is not None and user.is_authenticated else "",
        "offered_languages": offered or pool,
        "LANGUAGE_BIDI": is_rtl(get_language()),
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
