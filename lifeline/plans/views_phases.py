"""Activating a phase of the post's plan from a crisis page: parses the form, calls ``plans.phases``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user, require
from lifeline.core.registry_views import is_id
from lifeline.crises.models import Crisis, Phase
from lifeline.plans import phases


@login_required
@require_POST
def activate(request, crisis_pk):
    require(request.user, Area.CRISES, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, crisis_pk, Action.CHANGE)
    back = redirect("crises:detail", pk=crisis.pk)
    plans = phases.plans_for(request.user, crisis)
    document_id = request.POST.get("document", "")
    document = plans.filter(pk=int(document_id)).first() if is_id(document_id) else plans.first()
    if document is None:
        messages.error(request, _("This post has no consular contingency plan to activate."))
        return back
    try:
        activation = phases.activate_phase(request.user, crisis, document, request.POST.get("phase", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request,
        _("Phase “%(phase)s” activated. Tasks added: %(n)s.")
        % {"phase": Phase(activation.phase).label, "n": activation.tasks.count()},
    )
    return redirect(back.url + "#plan-phases")
