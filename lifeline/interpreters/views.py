from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import audit, deletion, disclosure
from lifeline.core.forms import listed, show_invalid
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import get_for_user, has_perm, may_change, require, writable_organisations
from lifeline.core.registry_views import export_response, import_page, paginate
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.interpreters import services
from lifeline.interpreters.forms import (
    DeploymentForm,
    InterpreterFilterForm,
    InterpreterForm,
    InterpreterSearchForm,
    PairFormSet,
    WindowFormSet,
)
from lifeline.interpreters.models import Interpreter
from lifeline.interpreters.services import find_interpreters, search_interpreters
from lifeline.interpreters.tabular import InterpreterSchema

AREA = Area.INTERPRETERS


def _filtered(request, shared=True):
    """The interpreters the user reads (``readable_by``: shared languages and availability), or their scope's."""
    manager = Interpreter.objects
    queryset = (
        (manager.readable_by(request.user) if shared else manager.for_user(request.user))
        .select_related("home_area")
        .prefetch_related("pairs__source", "pairs__target")
    )
    form = InterpreterFilterForm(request.GET or None)
    if form.is_valid():
        queryset = search_interpreters(queryset, **form.cleaned_data)
    return form, queryset


def _personal_shown(interpreter):
    """Names of the personal fields that hold something (and so would be shown): interpreters/disclosure.py."""
    return disclosure.policy_for(interpreter).held(interpreter)


@login_required
def interpreter_list(request):
    require(request.user, AREA, Action.VIEW)
    form, queryset = _filtered(request)
    context = {
        "filter_form": form,
        "total": queryset.count(),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        **paginate(request, queryset),
    }
    return render(request, "interpreters/list.html", context)


def _render_detail(request, interpreter, deployment_form=None):
    can_change = may_change(request.user, interpreter)
    # Contact channels only within the user's own scope: shared reading is languages and availability.
    see = disclosure.to(request.user, interpreter)
    see.audit(interpreter)
    context = {
        "interpreter": interpreter,
        "show_personal": see.allowed,
        "can_change": can_change,
        "pairs": interpreter.pairs.select_related("source", "target"),
        "deployments": interpreter.deployments.all(),
        "deployment_form": deployment_form or (DeploymentForm() if can_change else None),
    }
    return render(request, "interpreters/detail.html", context)


@login_required
def interpreter_detail(request, pk):
    interpreter = get_object_or_404(Interpreter.objects.readable_by(request.user), pk=pk)
    return _render_detail(request, interpreter)


@login_required
def interpreter_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    interpreter = get_for_user(Interpreter, request.user, pk, Action.CHANGE) if pk else None
    if (
        interpreter is not None
        and _personal_shown(interpreter)
        and not disclosure.to(request.user, interpreter).allowed
    ):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = InterpreterForm(data, instance=interpreter, organisations=writable_organisations(request.user))
    pairs = PairFormSet(data, instance=interpreter, prefix="pairs")
    windows = WindowFormSet(data, instance=interpreter, prefix="windows")
    if data is not None:
        parsed = all([form.is_valid(), pairs.is_valid(), windows.is_valid()])
        values = {name: form.cleaned_data[name] for name in services.FIELDS if name in form.cleaned_data}
        pair_forms, pair_values = listed(pairs, services.PAIR_FIELDS)
        window_forms, window_values = listed(windows, services.WINDOW_FIELDS)
        nested = {services.PAIRS: (pairs, pair_forms), services.WINDOWS: (windows, window_forms)}
        if not parsed:  # with the rules' answers on the rest, as the API gives them all at once
            found = services.interpreter_errors(request.user, interpreter, values, pair_values, window_values)
            show_invalid(found, form, nested)
        else:
            try:
                saved = services.save_interpreter(
                    request.user,
                    interpreter,
                    values,
                    pair_values,
                    window_values,
                    version=form.cleaned_data.get(VERSION_FIELD),
                )
            except services.Invalid as exc:
                show_invalid(exc.errors, form, nested)
            else:
                messages.success(request, _("Saved “%(name)s”.") % {"name": saved.full_name})
                return redirect("interpreters:detail", pk=saved.pk)
    if data is None and interpreter is not None and _personal_shown(interpreter):
        audit.record(AuditAction.VIEW, obj=interpreter, fields=_personal_shown(interpreter))
    context = {"form": form, "pairs": pairs, "windows": windows, "interpreter": interpreter}
    return render(request, "interpreters/form.html", context)


@login_required
@require_POST
def interpreter_delete(request, pk):
    """The person withdrew consent: the record, their languages, availability and deployments go."""
    require(request.user, AREA, Action.CHANGE)
    interpreter = get_for_user(Interpreter, request.user, pk, Action.CHANGE)
    name = interpreter.full_name
    try:
        deletion.delete(interpreter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("interpreters:detail", pk=interpreter.pk)
    messages.success(request, _("Deleted “%(name)s” and everything recorded about them.") % {"name": name})
    return redirect("interpreters:list")


@login_required
@require_POST
def deployment_add(request, pk):
    require(request.user, AREA, Action.CHANGE)
    interpreter = get_for_user(Interpreter, request.user, pk, Action.CHANGE)
    form = DeploymentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, interpreter, deployment_form=form)
    form.instance.interpreter = interpreter
    form.save()
    messages.success(request, _("Deployment added."))
    return redirect("interpreters:detail", pk=interpreter.pk)


@login_required
def interpreter_search(request):
    require(request.user, AREA, Action.VIEW)
    form = InterpreterSearchForm(request.GET or None)
    matches = None
    if form.is_valid():
        matches = find_interpreters(Interpreter.objects.readable_by(request.user), **form.cleaned_data)
    return render(request, "interpreters/search.html", {"form": form, "matches": matches})


@login_required
def interpreter_export(request):
    require(request.user, AREA, Action.VIEW)
    _form, queryset = _filtered(request, shared=False)  # the export carries contact channels: own scope only
    return export_response(request, InterpreterSchema(), queryset, AREA)


@login_required
def interpreter_import(request):
    return import_page(request, InterpreterSchema(), AREA, reverse("interpreters:list"))
