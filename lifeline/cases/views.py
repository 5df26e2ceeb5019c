from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.cases import services
from lifeline.cases.forms import (
    AssignForm,
    CaseFilterForm,
    CaseForm,
    MergeForm,
    ReferralForm,
    ReferralStatusForm,
    StatusForm,
    TeamForm,
    TextForm,
    TriageForm,
)
from lifeline.cases.models import Case, CaseSource, CaseTeam, Direction, ReferralStatus
from lifeline.cases.services import CaseError
from lifeline.core import disclosure
from lifeline.core.models import Action, Area
from lifeline.core.permissions import (
    get_for_user,
    has_perm,
    require,
    visible_organisation_ids,
    writable_organisations,
)
from lifeline.core.registry_views import is_id, paginate
from lifeline.nationals.models import Registration

AREA = Area.CASES


def _posts(user):
    return writable_organisations(user, AREA).filter(
        kind__in=("consular_post", "foreign_affairs", "crisis_cell")
    )


@login_required
def case_list(request):
    require(request.user, AREA, Action.VIEW)
    queryset = Case.objects.for_user(request.user).select_related("organisation", "assigned_to", "team")
    form = CaseFilterForm(request.GET or None, organisations=_posts(request.user))
    if form.is_valid():
        queryset = services.filter_cases(queryset, request.user, **form.cleaned_data)
    context = {
        "filter_form": form,
        "total": queryset.count(),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "several_posts": visible_organisation_ids(request.user) is None
        or len(visible_organisation_ids(request.user)) > 1,
        **paginate(request, queryset),
    }
    return render(request, "cases/list.html", context)


@login_required
def case_dashboard(request):
    require(request.user, AREA, Action.VIEW)
    figures = services.dashboard(Case.objects.for_user(request.user))
    return render(request, "cases/dashboard.html", {"figures": figures})


def _registered_person(user, case):
    """A registered person's name is the registration's to disclose (nationals/disclosure.py), and audited so."""
    if case.registration is None:
        return None
    see = disclosure.to(user, Registration)
    see.audit(case.registration, reason=case.reference, fields=["given_names", "family_name"])
    return see.wrap(case.registration)


def _detail_context(request, case):
    user = request.user
    see = disclosure.to(user, case)  # cases/disclosure.py
    personal = see.allowed
    can_change = has_perm(user, AREA, Action.CHANGE) and personal
    if personal:
        see.audit(case)
        services.mark_read(case, Direction.IN)
    context = {
        "case": case,
        "see": see,
        "show_personal": personal,
        "registered_person": _registered_person(user, case) if personal else None,
        "can_change": can_change,
        "events": case.events.select_related("actor"),
        "notes": case.notes.select_related("author") if personal else [],
        "case_messages": case.messages.select_related("author") if personal else [],
        "referrals": case.referrals.select_related("contact", "consent_recorded_by"),
        "duplicates": services.find_duplicates(case).for_user(user) if case.is_open else [],
        "has_referral_consent": services.has_referral_consent(case),
    }
    if can_change:
        context.update(
            triage_form=TriageForm(initial={"priority": case.priority, "reason": case.priority_reason}),
            assign_form=AssignForm(case=case, initial={"officer": case.assigned_to_id, "team": case.team_id}),
            status_form=StatusForm(choices=services.allowed_transitions(case.status)),
            case_can_move=bool(services.allowed_transitions(case.status)),
            referral_statuses=ReferralStatus.choices,
            note_form=TextForm(auto_id="note_%s", label=_("New internal note")),
            message_form=TextForm(auto_id="message_%s", label=_("Message to the person")),
            referral_form=ReferralForm(user=user, auto_id="referral_%s"),
            merge_form=MergeForm(
                initial={
                    "into": case.possible_duplicate_of.reference if case.possible_duplicate_of_id else ""
                }
            ),
        )
    return context


def _get_case(request, pk, action=Action.VIEW):
    return get_for_user(Case, request.user, pk, action)


@login_required
def case_detail(request, pk):
    case = _get_case(request, pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _prefill(request):
    """A case opened from a person (``?registration=ID``, the check-in board's "Open a case"): their
    number and post, if the user may see them; otherwise nothing is filled in."""
    if request.method != "GET" or not is_id(request.GET.get("registration")):
        return {}
    found = (
        Registration.objects.for_user(request.user)
        .filter(pk=int(request.GET["registration"]), merged_into__isnull=True)
        .values_list("pk", "organisation_id")
        .first()
    )
    if found is None:
        return {}
    initial = {"registration": found[0], "source": CaseSource.STAFF}
    if _posts(request.user).filter(pk=found[1]).exists():
        initial["organisation"] = found[1]
    return initial


@login_required
def case_create(request):
    require(request.user, AREA, Action.CHANGE)
    disclosure.require(request.user, Case)
    data = request.POST if request.method == "POST" else None
    form = CaseForm(
        data, request.FILES or None, organisations=_posts(request.user), initial=_prefill(request)
    )
    if data is not None and form.is_valid():
        values = dict(form.cleaned_data)
        registration = None
        if values.pop("registration"):
            from lifeline.nationals.models import Registration

            registration = (
                Registration.objects.for_user(request.user)
                .filter(pk=form.cleaned_data["registration"])
                .first()
            )
            if registration is None:
                form.add_error("registration", _("No registration with this number that you may see."))
        if not form.errors:
            try:
                case, _created = services.create_case(registration=registration, user=request.user, **values)
            except CaseError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                if case.possible_duplicate_of_id:
                    messages.warning(
                        request,
                        _("Possible duplicate of %(reference)s.")
                        % {"reference": case.possible_duplicate_of.reference},
                    )
                return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form})


@login_required
def case_photo(request, pk):
    """The photo, to those who may see the case's personal data; never through a public URL."""
    case = _get_case(request, pk)
    see = disclosure.to(request.user, case)
    if not see.may("photo"):
        raise PermissionDenied
    if not case.photo:
        raise Http404
    try:
        handle = case.photo.open("rb")
    except OSError:
        raise Http404 from None
    see.audit(case, fields=["photo"])
    content_type = "image/png" if case.photo.name.endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = (
        f'inline; filename="{case.reference}{".png" if content_type == "image/png" else ".jpg"}"'
    )
    return response


def _action(handler):
    """A POST action on one case: change permission, personal data, the form, the service; errors as messages."""

    @login_required
    @require_POST
    def view(request, pk):
        require(request.user, AREA, Action.CHANGE)
        disclosure.require(request.user, Case)
        case = _get_case(request, pk, Action.CHANGE)
        try:
            done = handler(request, case)
        except CaseError as exc:
            messages.error(request, exc.message)
        else:
            if done:
                messages.success(request, done)
        return redirect("cases:detail", pk=case.pk)

    view.__name__ = handler.__name__
    return view


def _valid(form):
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise CaseError(first)
    return form.cleaned_data


@_action
def case_triage(request, case):
    data = _valid(TriageForm(request.POST))
    services.triage(case, data["priority"], data["reason"], user=request.user)
    return _("Priority set.")


@_action
def case_assign(request, case):
    data = _valid(AssignForm(request.POST, case=case))
    services.assign(case, officer=data["officer"], team=data["team"], user=request.user)
    return _("Assignment saved.")


@_action
def case_status(request, case):
    data = _valid(StatusForm(request.POST))
    services.change_status(case, data["status"], user=request.user)
    return _("Status changed.")


@_action
def case_note(request, case):
    services.add_note(case, _valid(TextForm(request.POST))["text"], user=request.user)
    return _("Note added.")


@_action
def case_message(request, case):
    services.send_message(case, _valid(TextForm(request.POST))["text"], user=request.user)
    return _("Message sent.")


@_action
def case_refer(request, case):
    data = _valid(ReferralForm(request.POST, user=request.user))
    services.refer(
        case, data["contact"], request.user, consent_asked=data["consent_asked"], note=data["note"]
    )
    return _("Referred to %(name)s.") % {"name": data["contact"].name}


@_action
def referral_status(request, case):
    referral = case.referrals.filter(
        pk=request.POST.get("referral") if is_id(request.POST.get("referral")) else None
    ).first()
    if referral is None:
        raise CaseError(_("Choose a referral of this case."))
    services.update_referral(referral, _valid(ReferralStatusForm(request.POST))["status"], user=request.user)
    return _("Referral updated.")


@_action
def case_merge(request, case):
    reference = _valid(MergeForm(request.POST))["into"].strip().upper()
    into = Case.objects.for_user(request.user, Action.CHANGE).filter(reference=reference).first()
    if into is None:
        raise CaseError(_("No case with this reference that you may change."))
    services.merge(case, into, user=request.user)
    return _("Merged into %(reference)s.") % {"reference": into.reference}


@login_required
def team_list(request):
    require(request.user, AREA, Action.VIEW)
    teams = CaseTeam.objects.for_user(request.user).select_related("organisation").prefetch_related("members")
    return render(
        request,
        "cases/teams.html",
        {"teams": teams, "can_change": has_perm(request.user, AREA, Action.CHANGE)},
    )


@login_required
def team_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    team = get_for_user(CaseTeam, request.user, pk, Action.CHANGE) if pk else None
    form = TeamForm(request.POST or None, instance=team, organisations=_posts(request.user))
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved team “%(name)s”.") % {"name": saved.name})
        return redirect("cases:teams")
    return render(request, "cases/team_form.html", {"form": form, "team": team})
