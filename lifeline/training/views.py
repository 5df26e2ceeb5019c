"""Pages of capacity building: events, their agenda, participants, attendance and certificates;
the public registration, pass and verification pages. Views parse and call ``services`` and
``certificates``: they decide nothing."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import disclosure
from lifeline.core.errors import Invalid
from lifeline.core.http import client_ip
from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user, has_perm, require, writable_organisations
from lifeline.core.registry_views import paginate
from lifeline.core.tabular import table_response
from lifeline.directory.models import KeyContact
from lifeline.training import certificates, services
from lifeline.training.forms import EventForm, InviteForm, RegistrationForm, RevokeForm, SessionForm
from lifeline.training.models import Certificate, Event, EventType, Participant, ParticipantStatus, Session

AREA = Area.TRAINING


def _add_errors(form, exc):
    for field, found in exc.errors.items():
        form.add_error(field if field in form.fields else None, found)


def _qr_svg(text):
    # segno's own SVG (no script, no style attribute): safe to place in the page as it is.
    return mark_safe(
        segno.make(text, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=False)
    )


@login_required
def index(request):
    require(request.user, AREA, Action.VIEW)
    events = Event.objects.for_user(request.user).select_related("organisation")
    upcoming = request.GET.get("when") == "upcoming"
    if upcoming:  # the home's card: the events to come, soonest first
        events = events.filter(ends__gte=timezone.now()).order_by("starts")
    context = {
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "upcoming": upcoming,
        **paginate(request, events),
    }
    return render(request, "training/index.html", context)


@login_required
def event_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    event = get_for_user(Event, request.user, pk, Action.CHANGE) if pk else None
    initial = {}
    if event is not None:
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS if name != "organisation"}
        initial["partners"] = list(event.partners.all())
        initial["languages"] = list(event.languages.all())
    form = EventForm(
        request.POST or None,
        initial=initial,
        organisations=writable_organisations(request.user, AREA),
        partners=KeyContact.objects.for_user(request.user).filter(kind="organisation"),
        tots=Event.objects.for_user(request.user).filter(type=EventType.TOT).exclude(pk=pk or 0),
        editing=event is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners, languages = data.pop("partners"), data.pop("languages")
        try:
            saved, warning = services.save_event(
                request.user, event, data, partners=partners, languages=languages
            )
        except Invalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.title})
            if warning:
                messages.warning(request, warning)
            return redirect("training:event", pk=saved.pk)
    context = {"form": form, "event": event, "lengths": services.recommended_lengths()}
    return render(request, "training/event_form.html", context)


def _participants(request, event):
    see = disclosure.to(request.user, Participant)
    people = list(event.participants.select_related("country").prefetch_related("attendance", "certificates"))
    total = event.sessions.count()
    rows = []
    for person in people:
        attended = len(person.attendance.all())
        rows.append(
            {
                "person": see.wrap(person),
                "pk": person.pk,
                "share": round(100 * attended / total) if total else 0,
                "certificate": next((c for c in person.certificates.all() if c.valid), None),
            }
        )
    see.audit_listing(people, reason=event.title)
    return rows


@login_required
def event_detail(request, pk):
    event = get_for_user(Event, request.user, pk)
    can_change = Event.objects.for_user(request.user, Action.CHANGE).filter(pk=event.pk).exists()
    context = {
        "event": event,
        "sessions": list(event.sessions.all()),
        "rows": _participants(request, event),
        "registered": services.registered_count(event),
        "waiting": event.participants.filter(status=ParticipantStatus.WAITING).count(),
        "warning": services.length_warning(event.type, event.starts, event.ends),
        "can_change": can_change,
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "session_form": SessionForm() if can_change else None,
        "register_url": request.build_absolute_uri(reverse("training:register", args=[event.public_code])),
    }
    return render(request, "training/event.html", context)


@login_required
@require_POST
def session_add(request, pk):
    event = get_for_user(Event, request.user, pk, Action.CHANGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.save_session(request.user, event, None, form.cleaned_data)
        except Invalid as exc:
            messages.error(request, " ".join(" ".join(str(m) for m in v) for v in exc.errors.values()))
        else:
            messages.success(request, _("Session added to the agenda."))
    else:
        messages.error(request, " ".join(" ".join(v) for v in form.errors.values()))
    return redirect("training:event", pk=event.pk)


@login_required
@require_POST
def session_delete(request, pk, session):
    event, item = _session(request, pk, session)
    services.delete_session(request.user, item)
    messages.success(request, _("Session removed from the agenda."))
    return redirect("training:event", pk=event.pk)


@login_required
def export(request, pk):
    require(request.user, AREA, Action.EXPORT)
    event = get_for_user(Event, request.user, pk)
    return table_response(services.participants_xlsx(request.user, event), "xlsx", f"participants-{event.pk}")


@login_required
def invite(request, pk):
    event = get_for_user(Event, request.user, pk, Action.CHANGE)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        addresses = form.cleaned_data["addresses"].replace(",", "\n").replace(";", "\n").splitlines()
        try:
            services.invite(
                request.user,
                event,
                addresses,
                register_url=request.build_absolute_uri(
                    reverse("training:register", args=[event.public_code])
                ),
                calendar_url=request.build_absolute_uri(reverse("training:ics", args=[event.public_code])),
            )
        except Invalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The invitations are on their way."))
            return redirect("training:event", pk=event.pk)
    return render(request, "training/invite.html", {"form": form, "event": event})


def _session(request, pk, session):
    event = get_for_user(Event, request.user, pk, Action.CHANGE)
    return event, get_object_or_404(Session, pk=session, event=event)


@login_required
def scan(request, pk, session):
    event, item = _session(request, pk, session)
    result = None
    if request.method == "POST":
        try:
            person = services.record_scan(request.user, item, request.POST.get("token", ""))
        except services.PassRefused as exc:
            result = {"ok": False, "text": str(exc)}
        else:
            shown = disclosure.to(request.user, person).value(person, "name")
            result = {"ok": True, "text": _("Recorded: %(name)s.") % {"name": shown}}
    count = item.attendance.count()
    context = {"event": event, "session": item, "result": result, "count": count}
    return render(request, "training/scan.html", context, status=200 if not result or result["ok"] else 409)


@login_required
def attendance(request, pk, session):
    event, item = _session(request, pk, session)
    if request.method == "POST":
        n = services.set_attendance(
            request.user, item, [v for v in request.POST.getlist("present") if v.isdigit() and len(v) < 19]
        )
        messages.success(request, _("Attendance saved: %(n)s present.") % {"n": n})
        return redirect("training:event", pk=event.pk)
    see = disclosure.to(request.user, Participant)
    people = list(event.participants.filter(status=ParticipantStatus.REGISTERED))
    present = set(item.attendance.values_list("participant_id", flat=True))
    rows = [{"pk": p.pk, "name": see.value(p, "name"), "present": p.pk in present} for p in people]
    see.audit_listing(people, reason=item.title, fields=["name"])
    return render(request, "training/attendance.html", {"event": event, "session": item, "rows": rows})


@login_required
@require_POST
def participant_cancel(request, pk):
    person = get_object_or_404(Participant.objects.for_user(request.user, Action.CHANGE), pk=pk)
    promoted = services.cancel(person, by=request.user)
    messages.success(request, _("The registration is cancelled."))
    if promoted is not None:
        messages.info(request, _("A place went to the first person on the waiting list."))
        _notify(request, promoted)
    return redirect("training:event", pk=person.event_id)


def _notify(request, person):
    pass_url = request.build_absolute_uri(reverse("training:pass", args=[services.make_pass(person)]))
    services.send_pass(person, pass_url=pass_url)


@login_required
@require_POST
def certificate_issue(request, pk):
    person = get_object_or_404(Participant.objects.for_user(request.user, Action.CHANGE), pk=pk)
    try:
        certificates.issue_for_participant(request.user, person)
    except Invalid as exc:
        messages.error(request, " ".join(" ".join(str(m) for m in v) for v in exc.errors.values()))
    else:
        messages.success(request, _("Certificate issued."))
    return redirect("training:event", pk=person.event_id)


@login_required
@require_POST
def certificates_issue_all(request, pk):
    event = get_for_user(Event, request.user, pk, Action.CHANGE)
    n = certificates.issue_all(request.user, event)
    messages.success(request, _("%(n)s certificates issued.") % {"n": n})
    return redirect("training:event", pk=event.pk)


def _verify_url(request, certificate):
    return request.build_absolute_uri(reverse("training:verify", args=[certificate.code]))


@login_required
def certificate_detail(request, pk):
    item = get_for_user(Certificate, request.user, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST":
        if (
            not has_perm(request.user, AREA, Action.CHANGE)
            or not Certificate.objects.for_user(request.user, Action.CHANGE).filter(pk=item.pk).exists()
        ):
            raise PermissionDenied
        if form.is_valid():
            try:
                certificates.revoke(request.user, item, form.cleaned_data["reason"])
            except Invalid as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The certificate is revoked."))
                return redirect("training:certificate", pk=item.pk)
    context = {"certificate": item, "form": form, "verify_url": _verify_url(request, item)}
    return render(request, "training/certificate.html", context)


def _pdf_response(request, item):
    response = HttpResponse(
        certificates.pdf(item, _verify_url(request, item)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{item.code[:8]}.pdf"'
    return response


@login_required
def certificate_pdf(request, pk):
    return _pdf_response(request, get_for_user(Certificate, request.user, pk))


# Public pages: no login ------------------------------------------------------------------------


def _public_event(code):
    event = Event.objects.select_related("organisation").filter(public_code=str(code)[:32]).first()
    if event is None:
        raise Http404
    return event


def register(request, code):
    event = _public_event(code)
    form = RegistrationForm(request.POST or None)
    closed = not event.registration_open
    if request.method == "POST" and not closed and form.is_valid():
        try:
            person = services.register(event, form.cleaned_data, client=client_ip(request))
        except Invalid as exc:
            _add_errors(form, exc)
        else:
            _notify(request, person)
            return redirect("training:pass", token=services.make_pass(person))
    context = {
        "event": event,
        "form": form,
        "closed": closed,
        "sessions": event.sessions.all(),
        "full": services.registered_count(event) >= event.capacity,
    }
    return render(request, "training/register.html", context, status=400 if form.errors else 200)


def ics(request, code):
    event = _public_event(code)
    response = HttpResponse(services.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.public_code[:8]}.ics"'
    return response


def _pass_holder(token):
    """The holder of a pass for their own pages, registered or on the waiting list (404 otherwise)."""
    try:
        return services.read_pass(token, registered_only=False)
    except services.PassRefused:
        raise Http404 from None


def participant_pass(request, token):
    person = _pass_holder(token)
    certificate = person.certificates.filter(revoked_at__isnull=True).first()
    context = {
        "person": person,
        "event": person.event,
        "token": token,
        "qr": _qr_svg(token) if person.status == ParticipantStatus.REGISTERED else "",
        "certificate": certificate,
    }
    return render(request, "training/pass.html", context)


@require_POST
def pass_cancel(request, token):
    person = _pass_holder(token)
    promoted = services.cancel(person)
    if promoted is not None:
        _notify(request, promoted)
    return render(
        request,
        "training/public_message.html",
        {
            "title": _("Registration cancelled"),
            "text": _("Your place is free for someone else. Thank you for telling us."),
        },
    )


def pass_certificate(request, token):
    person = _pass_holder(token)
    item = person.certificates.filter(revoked_at__isnull=True).first()
    if item is None:
        raise Http404
    return _pdf_response(request, item)


def verify(request, code):
    item = certificates.verify(code)
    if item is None:
        return render(
            request,
            "training/public_message.html",
            {
                "title": _("Certificate not found"),
                "text": _("No certificate has this code. Check the address or scan the QR code again."),
            },
            status=404,
        )
    return render(request, "training/verify.html", {"certificate": item})
