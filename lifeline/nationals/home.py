"""The consul's home: registrations expiring soon (the list behind the link is the same search)."""

from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm
from lifeline.nationals.models import Registration
from lifeline.nationals.services import search_registrations


def consul_figures(home):
    if not has_perm(home.user, Area.NATIONALS, Action.VIEW):
        return {"expiring": None}
    registrations = Registration.objects.for_user(home.user).active()
    return {"expiring": search_registrations(registrations, expiring=True).count()}
