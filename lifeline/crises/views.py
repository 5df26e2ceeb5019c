import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from lifeline.core import audit, disclosure
from lifeline.core.errors import Invalid
from lifeline.core.http import client_ip, limit_reached
from lifeline.core.models import Action, Area, Organisation
from lifeline.core.permissions import get_for_user, has_perm, people_q, require, writable_organisations
from lifeline.core.registry_views import paginate
from lifeline.core.tabular import table_response, write_table
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.crises import preview, services
from lifeline.crises.forms import BoardFilterForm, CampaignForm, CrisisForm, JustInTimeForm, StaffAnswerForm
from lifeline.crises.models import (
    CheckInCampaign,
    CheckInProposal,
    CheckInRequest,
    CheckInStatus,
    Crisis,
    JustInTimeSubmission,
    Status,
)
from lifeline.geo.services import map_config
from lifeline.nationals.models import Registration
from lifeline.nationals.services import with_reported_status
from lifeline.risk.models import GdacsProposal

AREA = Area.CRISES
# What the board and its follow-up list show of each person.
BOARD_FIELDS = ("given_names", "family_name", "phone")
BOARD_ORDER = [
    CheckInStatus.NEED_HELP,
    CheckInStatus.NO_ANSWER,
    CheckInStatus.UNREACHABLE,
    CheckInStatus.SAFE,
    CheckInStatus.NOT_IN_AREA,
]


def _can_change(user, crisis):
    """Only the lead (and those above it) change a crisis; posts that merely see it do not."""
    return Crisis.objects.for_user(user, Action.CHANGE).filter(pk=crisis.pk).exists()


@login_required
def crisis_list(request):
    require(request.user, AREA, Action.VIEW)
    queryset = Crisis.objects.for_user(request.user).select_related("organisation", "country")
    status = request.GET.get("status")
    if status in Status.values:
        queryset = queryset.filter(status=status)
    proposals = CheckInProposal.objects.for_user(request.user).filter(
        crisis__isnull=True, dismissed=False, alert__state="published"
    )
    context = {
        "status": status,
        "statuses": Status.choices,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "proposals": proposals.select_related("organisation")[:20],
        "gdacs_proposals": GdacsProposal.objects.for_user(request.user)
        .filter(crisis__isnull=True, dismissed=False, event__is_current=True)
        .select_related("organisation")[:20],
        **paginate(request, queryset),
    }
    return render(request, "crises/list.html", context)


@login_required
@require_POST
def proposal(request, pk):
    """Act on a relayed alert: declare a crisis over its area (then ask the people inside), or dismiss it."""
    from lifeline.crises.relay import declare_from

    require(request.user, AREA, Action.CHANGE)
    found = get_for_user(CheckInProposal, request.user, pk, Action.CHANGE)
    if request.POST.get("do") == "dismiss":
        found.dismissed = True
        found.save(update_fields=["dismissed", "updated"])
        return redirect("crises:list")
    if found.crisis_id:
        return redirect("crises:detail", pk=found.crisis_id)
    crisis = declare_from(found, request.user)
    messages.success(
        request, _("Crisis declared from the alert: %(n)s registrations inside.") % {"n": crisis.member_count}
    )
    return redirect("crises:detail", pk=crisis.pk)


@login_required
def crisis_detail(request, pk):
    crisis = get_for_user(Crisis, request.user, pk)
    if request.method == "POST" and "recount" in request.POST:
        if not _can_change(request.user, crisis):
            raise Http404
        count = services.materialise(crisis)
        messages.success(request, _("Counted again: %(n)s registrations inside the area.") % {"n": count})
        return redirect("crises:detail", pk=crisis.pk)
    can_change = _can_change(request.user, crisis)
    composer = _composer(crisis) if can_change and crisis.is_active else None
    return render(request, "crises/detail.html", _detail_context(request, crisis, can_change, composer))


def _composer(crisis, data=None):
    """The check-in composer: a box per language of the people inside (services.composer_languages), filled
    with the texts written so far (posted, else the last campaign's, else the default where a catalog has it)."""
    if data is None:
        written = services.saved_texts(crisis)
        rows, totals = services.composer_languages(crisis, written)
        if not written:
            defaults = {row["code"]: services.default_text(row["code"]) for row in rows if row["code"]}
            written = {code: text for code, text in defaults.items() if text}
            if written:  # flags as the default texts stand
                rows, totals = services.composer_languages(crisis, written)
        form = CampaignForm(rows=rows, written=written)
    else:
        rows, totals = services.composer_languages(crisis)
        form = CampaignForm(data, rows=rows)
        written = form.cleaned_data["messages"] if form.is_valid() else {}
        if written:  # flags as the posted texts stand
            rows, totals = services.composer_languages(crisis, written)
    by_code = {row["code"]: row for row in rows}
    for box in form.boxes:
        box["row"] = by_code.get(box["code"])
    return {"form": form, "rows": rows, "totals": totals, "written": written}


def _detail_context(request, crisis, can_change, composer):
    figures = services.figures(crisis)
    return {
        "crisis": crisis,
        "figures": figures,
        "groups": [
            (_("By post"), figures["by_post"]),
            (_("By admin area"), figures["by_area"]),
            (_("By stay"), figures["by_stay_type"]),
            (_("By first language"), figures["by_language"]),
            (_("Special needs"), figures["special_needs"]),
        ],
        "campaigns": crisis.campaigns.annotate(total=Count("requests")),
        "can_change": can_change,
        "composer": composer,
        "campaign_form": composer["form"] if composer else None,
        "svg": preview.svg(crisis),
        "asked_for_help": JustInTimeSubmission.objects.filter(crisis=crisis, need_help=True).count(),
        "public_url": request.build_absolute_uri(
            reverse("crises:register", args=[crisis.pk, crisis.public_token])
        ),
    }


@login_required
def crisis_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, pk, Action.CHANGE) if pk else None
    data = request.POST if request.method == "POST" else None
    form = CrisisForm(
        data, request.FILES or None, instance=crisis, organisations=writable_organisations(request.user)
    )
    if data is not None and form.is_valid():
        try:
            saved = services.save_crisis(
                request.user, crisis, form.values(), version=form.cleaned_data.get(VERSION_FIELD)
            )
        except Invalid as exc:
            for field, found in exc.errors.items():
                for message in found:
                    form.add_error(form.field_of(field), message)
        else:
            messages.success(
                request,
                _("Saved “%(name)s”: %(n)s registrations inside the area.")
                % {"name": saved.name, "n": saved.member_count},
            )
            return redirect("crises:detail", pk=saved.pk)
    # The map draws polygons only: the crisis's circle has its own three fields.
    context = {"form": form, "crisis": crisis, "map_config": map_config(circles=False)}
    return render(request, "crises/form.html", context)


@login_required
@require_POST
def crisis_close(request, pk):
    require(request.user, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, pk, Action.CHANGE)
    services.close_crisis(crisis)
    messages.success(request, _("Closed “%(name)s”.") % {"name": crisis.name})
    return redirect("crises:detail", pk=crisis.pk)


@login_required
@require_POST
def campaign_start(request, pk):
    require(request.user, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, pk, Action.CHANGE)
    composer = _composer(crisis, request.POST)
    form = composer["form"]
    if "check" in request.POST and not form.errors:  # count again as the texts stand; nothing is sent
        return render(request, "crises/detail.html", _detail_context(request, crisis, True, composer))
    if form.is_valid():
        try:
            campaign = services.start_campaign(crisis, form.cleaned_data["messages"], request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Asked %(n)s people whether they are safe.") % {"n": campaign.requests.count()}
            )
            return redirect("crises:board", pk=campaign.pk)
    return render(request, "crises/detail.html", _detail_context(request, crisis, True, composer), status=400)


def _campaign_for(user, pk, action=Action.VIEW):
    campaign = get_object_or_404(CheckInCampaign.objects.select_related("crisis"), pk=pk)
    get_for_user(Crisis, user, campaign.crisis_id, action)
    return campaign


def _people(user):
    """The check-in requests of the people the user may see (core.permissions.people_q)."""
    return people_q(user, AREA, "registration__organisation")


def _board_rows(request, campaign):
    posts = Organisation.objects.filter(
        id__in=campaign.requests.filter(_people(request.user)).values("registration__organisation_id")
    ).order_by("name")
    form = BoardFilterForm(request.GET or None, posts=posts)
    status = post = None
    only_app = False
    if form.is_valid():
        status, post = form.cleaned_data["status"] or None, form.cleaned_data["post"]
        only_app = form.cleaned_data["app_only"]
    rows = services.board_rows(campaign, status=status, post=post.pk if post else None, only_app=only_app)
    return form, rows.filter(_people(request.user))


# What the board says of the check-in message to each person (crises.services.delivery_states).
DELIVERY_LABELS = {
    "queued": _lazy("Being sent"),
    "sending": _lazy("Being sent"),
    "sent": _lazy("Sent"),
    "delivered": _lazy("Delivered"),
    "failed": _lazy("Failed on every channel"),
    "answered": _lazy("Answered"),
}
DELIVERY_TONE = {"failed": "bad", "delivered": "good", "answered": "good"}
# Beside "no answer" on a row asked in the app only (crises.services.app_only): why, and what to do.
APP_ONLY_LABEL = _lazy("Not messaged: app only. Phone them first.")
REFRESH_SECONDS = 20  # how often the board's script asks for the live part again


def _delivery(row, campaign):
    """(label, tone) of the check-in message to the person of ``row``."""
    if row.delivery:
        return DELIVERY_LABELS.get(row.delivery, row.delivery), DELIVERY_TONE.get(row.delivery, "")
    if campaign.send_id is None or campaign.send is None or campaign.send.resolved is None:
        return _("Not sent yet"), ""
    return _("No message: sees the question in the app only"), "warn"


def _shown_with_app_only(row):
    """The status a row shows, in words, with the app-only note (``services.app_only``) when it has it."""
    label = str(CheckInStatus(row.shown).label)
    return f"{label} ({APP_ONLY_LABEL})" if row.app_only else label


def _querystring(request, **changes):
    """The reader's filters (status, post) with ``changes``, as a query string without the page."""
    query = QueryDict(mutable=True)
    for name in ("status", "post", "app_only"):
        value = changes.get(name, request.GET.get(name, ""))
        if value:
            query[name] = value
    return query.urlencode()


def _board_context(request, campaign):
    """The board's live part (counts and a page of people), shared by the page and its refresh."""
    from lifeline.cases.models import Case
    from lifeline.core.names import language_name
    from lifeline.evacuation.models import AssemblyPoint
    from lifeline.nationals.models import HouseholdMember

    form, rows = _board_rows(request, campaign)
    page = paginate(request, with_reported_status(rows))
    # Who is on the board (names, phone, household) is the registrations' disclosure policy
    # (nationals/disclosure.py); languages, posts and areas are not personal.
    see = disclosure.to(request.user, Registration)
    see_members = disclosure.to(request.user, HouseholdMember)
    rows = list(services.with_deliveries(page["object_list"], campaign))
    see.audit_listing([row.registration for row in rows], _("check-in board"), fields=BOARD_FIELDS)
    household = services.households([row.registration_id for row in rows])
    members_shown = [m for row in rows for m in household.get(row.registration_id, [])]
    see_members.audit_listing(members_shown, _("check-in board"), fields=("name",))
    for row in rows:
        # what the person said unasked, in the app (nationals.StatusReport)
        row.reported_label = CheckInStatus(row.reported_status).label if row.reported_status else ""
        row.person = see.wrap(row.registration)
        row.shown_label = CheckInStatus(row.shown).label
        row.app_only_label = APP_ONLY_LABEL if row.app_only else ""
        row.delivery_label, row.delivery_tone = _delivery(row, campaign)
        code = row.registration.primary_language
        row.language = language_name(code) if code else ""
        row.household = see_members.wrap_all(household.get(row.registration_id, []))
    page["object_list"] = rows
    counts = services.board_counts(campaign, _people(request.user))
    app_only = services.board_app_only_count(campaign, _people(request.user))
    can_change = _can_change(request.user, campaign.crisis)
    can_answer = can_change and campaign.closed is None
    return {
        "campaign": campaign,
        "crisis": campaign.crisis,
        "counts": counts,
        "filter_form": form,
        "cards": [
            (
                s,
                CheckInStatus(s).label,
                counts[s],
                _querystring(request, status=s, app_only=""),
                request.GET.get("status") == s,
            )
            for s in BOARD_ORDER
        ],
        "app_only": app_only,
        "app_only_query": _querystring(request, status=CheckInStatus.NO_ANSWER, app_only="on"),
        "app_only_current": bool(request.GET.get("app_only")),
        "see": see,
        "can_answer": can_answer,
        "answer_form": StaffAnswerForm() if can_answer else None,
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "can_see_person": has_perm(request.user, Area.NATIONALS, Action.VIEW),
        "can_open_case": has_perm(request.user, Area.CASES, Action.CHANGE)
        and disclosure.may_see(request.user, Case),
        "filters": _querystring(request),
        "points": AssemblyPoint.objects.filter(crisis=campaign.crisis) if can_change else [],
        "refresh_seconds": REFRESH_SECONDS,
        **page,
    }


@login_required
def board(request, pk):
    campaign = _campaign_for(request.user, pk)
    return render(request, "crises/board.html", _board_context(request, campaign))


@login_required
def board_live(request, pk):
    """The board's live part alone (counts and people, with the reader's filters), which the
    board's script (static/lifeline/board.js) fetches every REFRESH_SECONDS while the tab is seen."""
    campaign = _campaign_for(request.user, pk)
    response = render(request, "crises/_board_live.html", _board_context(request, campaign))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def board_answer(request, pk, request_pk):
    require(request.user, AREA, Action.CHANGE)
    campaign = _campaign_for(request.user, pk, Action.CHANGE)
    checkin = get_object_or_404(
        CheckInRequest.objects.filter(_people(request.user)), pk=request_pk, campaign=campaign
    )
    form = StaffAnswerForm(request.POST)
    if campaign.closed is not None:
        messages.error(request, _("This campaign is closed."))
    elif form.is_valid():
        services.record_answer(
            form.cleaned_data["answer"],
            form.cleaned_data["via"],
            request=checkin,
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(request, _("Answer recorded for #%(id)s.") % {"id": checkin.registration_id})
    else:
        messages.error(
            request,
            _("The answer was not recorded: %(errors)s")
            % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)},
        )
    filters = QueryDict(request.POST.get("filters", "")).urlencode()
    return redirect(reverse("crises:board", args=[campaign.pk]) + (f"?{filters}" if filters else ""))


@login_required
def board_export(request, pk):
    """The follow-up list (those who did not answer, or the board's filter) as CSV."""
    require(request.user, AREA, Action.EXPORT)
    campaign = _campaign_for(request.user, pk)
    _form, rows = _board_rows(request, campaign)
    if "status" not in request.GET:
        rows = rows.filter(shown=CheckInStatus.NO_ANSWER)
    see = disclosure.to(request.user, Registration)
    header = [
        _("registration"),
        _("name"),
        _("post"),
        _("admin area"),
        _("status"),
        _("check-in message"),
        _("answered"),
        _("via"),
    ]
    table = [header + ([_("phone")] if see.allowed else [])]
    for row in services.with_deliveries(rows.iterator(chunk_size=1000), campaign):
        reg = row.registration
        cells = [
            str(reg.pk),
            see.value(reg, "full_name"),
            reg.organisation.name,
            reg.area.shown_name if reg.area else "",
            _shown_with_app_only(row),
            str(_delivery(row, campaign)[0]),
            row.answered_at.isoformat() if row.answered_at else "",
            row.get_via_display(),
        ]
        table.append(cells + ([reg.phone] if see.allowed else []))
    count = len(table) - 1
    data = write_table(table, "csv")
    see.audit_export(
        count,
        "csv",
        columns=BOARD_FIELDS,
        reason=_("follow-up list of campaign #%(id)s") % {"id": campaign.pk},
        object_type="crises.checkinrequest",
    )
    return table_response(data, "csv", f"follow-up-{campaign.pk}")


# --- the public just-in-time form --------------------------------------------------------------

RATE_LIMIT = 10  # submissions per IP per hour


def _rate_limited(request):
    return limit_reached("crises-jit", client_ip(request), RATE_LIMIT, 3600)


def register(request, pk, token):
    crisis = get_object_or_404(Crisis, pk=pk, public_token=token, status=Status.ACTIVE)
    if request.method == "POST":
        form = JustInTimeForm(request.POST, crisis=crisis)
        if _rate_limited(request):
            form.is_valid()
            form.add_error(
                None,
                # Translators: migrants read this
                _("Too many forms were sent from this connection. Please wait an hour or call the embassy."),
            )
            return render(request, "crises/register.html", {"crisis": crisis, "form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            with audit.acting_as(None, ip=client_ip(request), via="just_in_time"):
                try:
                    registration, _created = services.register_just_in_time(
                        crisis, data, data["key"], language=get_language() or "en"
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    return render(
                        request,
                        "crises/registered.html",
                        {"crisis": crisis, "post": registration.organisation, "need_help": data["need_help"]},
                    )
    else:
        home = crisis.organisation
        while home.parent_id is not None and home.parent_id != home.pk:
            home = home.parent
        form = JustInTimeForm(crisis=crisis, initial={"key": uuid.uuid4(), "nationality": home.country_id})
    return render(
        request, "crises/register.html", {"crisis": crisis, "form": form}, status=400 if form.errors else 200
    )
