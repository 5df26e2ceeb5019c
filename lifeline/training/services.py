"""Events, their agenda, participants and attendance: every write of the training app, in one place.

Each function takes the acting user (None on the public registration page) and plain values, checks
the permission (``lifeline.core.permissions``), writes in one transaction and is audited as that
user. Pages, commands and (later) the API call these; they never write the models themselves.

Attendance passes are signed tokens (``django.core.signing``, salt ``PASS_SALT``) naming the
participant, the event and the participant's current ``pass_nonce``: never a bare id. A scan of a
forged, cancelled, foreign (another event's) or already recorded pass is refused with the reason.
"""

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.errors import Invalid
from lifeline.core.fields import blind_index
from lifeline.core.http import public_send_refused
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import has_perm, organisation_ids_for, writable_organisations
from lifeline.training.models import (
    RECOMMENDED,
    Attendance,
    Audience,
    Event,
    EventType,
    Participant,
    ParticipantStatus,
    Session,
)

AREA = Area.TRAINING
PASS_SALT = "lifeline.training.attendance-pass"


def _acting(by, via=None):
    current = audit.current_actor()
    return audit.acting_as(by, ip=current.ip, via=via or current.via)


def require(by, action):
    if not has_perm(by, AREA, action):
        raise PermissionDenied


def require_event(by, event, action=Action.CHANGE):
    """Refuse a user who may not ``action`` this event (another organisation's, or not their role)."""
    if not Event.objects.for_user(by, action).filter(pk=event.pk).exists():
        raise PermissionDenied


# ---- events and their agenda ------------------------------------------------------------------


def length_warning(event_type, starts, ends):
    """A warning when the dates differ from the guidance's recommended length of the type, else ""."""
    rule = RECOMMENDED.get(event_type)
    if rule is None or starts is None or ends is None or ends <= starts:
        return ""
    unit, least, most = rule
    label = dict(EventType.choices)[event_type]
    if unit == "hours":
        hours = (ends - starts).total_seconds() / 3600
        if least <= hours <= most:
            return ""
        return _("A %(type)s usually lasts %(range)s hours; these dates give %(n)s hours.") % {
            "type": label.lower(),
            "range": f"{least}–{most}" if least != most else f"{least}",
            "n": f"{hours:g}",
        }
    days = (timezone.localdate(ends) - timezone.localdate(starts)).days + 1
    if least <= days <= most:
        return ""
    return _("A %(type)s usually lasts %(range)s days; these dates give %(n)s days.") % {
        "type": label.lower(),
        "range": f"{least}–{most}",
        "n": days,
    }


def recommended_lengths():
    """[(type label, "2–4 hours")] for the event form's help."""
    rows = []
    for value, label in EventType.choices:
        rule = RECOMMENDED.get(value)
        if rule is None:
            continue
        unit, least, most = rule
        span = f"{least}–{most}" if least != most else f"{least}"
        rows.append((label, (_("%(n)s hours") if unit == "hours" else _("%(n)s days")) % {"n": span}))
    return rows


EVENT_FIELDS = (
    "organisation",
    "title",
    "type",
    "stream",
    "level",
    "audiences",
    "venue",
    "starts",
    "ends",
    "capacity",
    "description",
    "registration_open",
    "replicates",
    "attendance_required",
)


def event_errors(by, event, values):
    errors = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = [_("This field is required.")]
    organisation = values.get("organisation") or (event.organisation if event and event.pk else None)
    if organisation is None:
        errors["organisation"] = [_("This field is required.")]
    elif not writable_organisations(by, AREA).filter(pk=organisation.pk).exists():
        errors["organisation"] = [_("You may not organise events for this organisation.")]
    starts, ends = values.get("starts"), values.get("ends")
    if starts is None:
        errors["starts"] = [_("This field is required.")]
    if ends is None:
        errors["ends"] = [_("This field is required.")]
    if starts and ends and ends <= starts:
        errors["ends"] = [_("The end must be after the start.")]
    unknown = [a for a in values.get("audiences") or [] if a not in Audience.values]
    if unknown:
        errors["audiences"] = [_("Unknown audience “%(value)s”.") % {"value": unknown[0]}]
    capacity = values.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors["capacity"] = [_("An event needs at least one place.")]
    share = values.get("attendance_required")
    if share is not None and (not isinstance(share, int) or not 1 <= share <= 100):
        errors["attendance_required"] = [_("Give a share between 1 and 100 %.")]
    replicated = values.get("replicates")
    if replicated is not None:
        readable = Event.objects.for_user(by).filter(pk=replicated.pk, type=EventType.TOT).exists()
        if not readable or (event is not None and event.pk == replicated.pk):
            errors["replicates"] = [_("Choose a training of trainers you can see.")]
    return errors


def save_event(by, event, values, *, partners=None, languages=None):
    """Create (``event`` None) or change an event as ``by``; returns (event, warning) where warning
    says when the dates differ from the type's recommended length. Refused input raises ``Invalid``."""
    require(by, Action.CHANGE)
    if event is not None and event.pk is not None:
        require_event(by, event)
    errors = event_errors(by, event, values)
    if errors:
        raise Invalid(errors)
    event = event if event is not None else Event()
    for name in EVENT_FIELDS:
        if name in values and not (name == "organisation" and event.pk):
            setattr(event, name, values[name])
    with _acting(by), transaction.atomic():
        event.save()
        if partners is not None:
            event.partners.set(partners)
        if languages is not None:
            event.languages.set(languages)
        if "capacity" in values:
            _promote(event)
    return event, length_warning(event.type, event.starts, event.ends)


def save_session(by, event, session, values):
    """Add (``session`` None) or change a session of the event's agenda."""
    require(by, Action.CHANGE)
    require_event(by, event)
    errors = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = [_("This field is required.")]
    starts, ends = values.get("starts"), values.get("ends")
    if starts is None or ends is None:
        errors["starts"] = [_("Give the start and the end.")]
    elif ends <= starts:
        errors["ends"] = [_("The end must be after the start.")]
    if errors:
        raise Invalid(errors)
    session = session if session is not None else Session(event=event)
    if session.event_id != event.pk:
        raise PermissionDenied
    session.title = values["title"].strip()
    session.starts, session.ends = starts, ends
    session.facilitators = str(values.get("facilitators") or "").strip()
    with _acting(by), transaction.atomic():
        session.save()
    return session


def delete_session(by, session):
    require(by, Action.CHANGE)
    require_event(by, session.event)
    with _acting(by), transaction.atomic():
        session.delete()


# ---- participants -------------------------------------------------------------------------------


def registered_count(event):
    return event.participants.filter(status=ParticipantStatus.REGISTERED).count()


def register(event, values, *, client=None, by=None):
    """Register a person for ``event`` (the public page, no login; or staff adding someone, ``by``).

    A place while there is one, else the waiting list. Consent to the use of the data is required;
    one registration per email address and event (a replayed form is refused, nothing doubled);
    at most ``PUBLIC_SENDS_*`` registrations an hour per client and per address
    (``core.http.public_send_refused``, as the alert subscription). Returns the participant."""
    from lifeline.core.phones import to_e164

    if by is not None:
        require(by, Action.CHANGE)
        require_event(by, event)
    elif not event.registration_open or event.ends < timezone.now():
        raise Invalid({"__all__": [_("Registration for this event is closed.")]})
    errors = {}
    for name in ("name", "organisation_name"):
        if not str(values.get(name) or "").strip():
            errors[name] = [_("This field is required.")]
    email = str(values.get("email") or "").strip()
    phone = str(values.get("phone") or "").strip()
    if not email and not phone:
        errors["email"] = [_("Give an email address or a phone number, so that we can reach you.")]
    if phone:
        try:
            phone = to_e164(phone, event.organisation.country.code if event.organisation.country_id else None)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    if by is None and not values.get("consent"):
        errors["consent"] = [_("Tick the box to agree, or we cannot register you.")]
    index = blind_index(email.casefold()) if email else ""
    if (
        index
        and event.participants.filter(email_index=index).exclude(status=ParticipantStatus.CANCELLED).exists()
    ):
        errors["email"] = [_("This address is already registered for this event.")]
    if errors:
        raise Invalid(errors)
    if by is None and public_send_refused("training-register", client, email or phone):
        raise Invalid({"__all__": [_("Too many registrations from here. Please try again in an hour.")]})
    participant = Participant(
        event=event,
        name=values["name"].strip()[:200],
        email=email,
        phone=phone,
        email_index=index,
        organisation_name=values["organisation_name"].strip()[:200],
        institution_type=values.get("institution_type") or "other",
        role=str(values.get("role") or "").strip()[:200],
        level=values.get("level") or "national",
        country=values.get("country"),
        sex=values.get("sex") or "",
        interpretation=str(values.get("interpretation") or "").strip()[:200],
        access_needs=str(values.get("access_needs") or "").strip()[:300],
        consent_at=timezone.now() if values.get("consent") else None,
    )
    with _acting(by, via="web" if by else "registration"), transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        full = registered_count(locked) >= locked.capacity
        participant.status = ParticipantStatus.WAITING if full else ParticipantStatus.REGISTERED
        try:
            participant.full_clean(exclude=["event", "country", "pass_nonce"])
        except ValidationError as exc:
            raise Invalid({k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from None
        participant.save()
    return participant


def cancel(participant, by=None):
    """Cancel a registration (staff ``by``, or the participant through their pass link): the pass
    stops working, and the first person on the waiting list gets the place. Returns who was promoted."""
    import secrets

    event = participant.event
    if by is not None:
        require(by, Action.CHANGE)
        require_event(by, event)
    if participant.status == ParticipantStatus.CANCELLED:
        return None
    with _acting(by, via="web" if by else "registration"), transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        participant.status = ParticipantStatus.CANCELLED
        participant.pass_nonce = secrets.token_urlsafe(12)
        participant.save()
        promoted = _promote(event)
    return promoted[0] if promoted else None


def _promote(event):
    """Give free places to the waiting list, first come first served (inside the caller's transaction)."""
    free = event.capacity - registered_count(event)
    promoted = []
    if free <= 0:
        return promoted
    for person in event.participants.filter(status=ParticipantStatus.WAITING).order_by("registered_at", "pk")[
        :free
    ]:
        person.status = ParticipantStatus.REGISTERED
        person.save()
        promoted.append(person)
    return promoted


# ---- attendance passes --------------------------------------------------------------------------


def make_pass(participant):
    """The participant's signed attendance pass (shown as a QR code on their page and email)."""
    return signing.dumps(
        [participant.pk, participant.event_id, participant.pass_nonce], salt=PASS_SALT, compress=True
    )


class PassRefused(Exception):
    """A pass that cannot be recorded; the message says why, in the reader's language."""


def _decode_pass(token):
    """What a pass says: (participant id, event id, nonce), or PassRefused for a forged or damaged one."""
    try:
        pk, event_id, nonce = signing.loads(str(token or "").strip()[:500], salt=PASS_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise PassRefused(_("This is not a valid pass of this event.")) from None
    return pk, event_id, nonce


def read_pass(token, registered_only=True):
    """The participant a pass names, or PassRefused (forged, damaged, or voided by a cancellation).
    A pass counts for attendance only while its holder is registered; ``registered_only=False``
    still opens the holder's own page from the waiting list."""
    pk, event_id, nonce = _decode_pass(token)
    participant = Participant.objects.select_related("event").filter(pk=pk, event_id=event_id).first()
    if participant is None or participant.pass_nonce != nonce:
        raise PassRefused(_("This pass is no longer valid (the registration was cancelled or renewed)."))
    if registered_only and participant.status != ParticipantStatus.REGISTERED:
        raise PassRefused(_("This person is not registered for the event (waiting list or cancelled)."))
    return participant


def record_scan(by, session, token):
    """Record attendance at ``session`` from a scanned pass; returns the participant. A pass of another
    event, or one already recorded at this session (a replay), is refused with PassRefused."""
    require(by, Action.CHANGE)
    require_event(by, session.event)
    _pk, event_id, _nonce = _decode_pass(token)
    if event_id != session.event_id:
        raise PassRefused(_("This pass is for another event."))
    participant = read_pass(token)
    with _acting(by, via="scan"), transaction.atomic():
        earlier = Attendance.objects.filter(session=session, participant=participant).first()
        if earlier is not None:
            raise PassRefused(
                _("Already recorded for this session at %(time)s: a pass counts once.")
                % {"time": timezone.localtime(earlier.at).strftime("%H:%M")}
            )
        try:
            with transaction.atomic():
                Attendance.objects.create(session=session, participant=participant, via="scan")
        except IntegrityError:
            raise PassRefused(_("Already recorded for this session: a pass counts once.")) from None
    return participant


def set_attendance(by, session, present_ids):
    """The tick list: exactly the registered participants ``present_ids`` attended ``session``."""
    require(by, Action.CHANGE)
    require_event(by, session.event)
    registered = set(
        session.event.participants.filter(status=ParticipantStatus.REGISTERED).values_list("pk", flat=True)
    )
    wanted = {int(pk) for pk in present_ids} & registered
    with _acting(by), transaction.atomic():
        for record in Attendance.objects.filter(session=session).exclude(participant_id__in=wanted):
            record.delete()
        have = set(Attendance.objects.filter(session=session).values_list("participant_id", flat=True))
        for pk in sorted(wanted - have):
            Attendance.objects.create(session=session, participant_id=pk, via="list")
    return len(wanted)


def attended_share(participant):
    """The share (0–100) of the event's sessions the participant attended; 0 for an event without any."""
    total = participant.event.sessions.count()
    if not total:
        return 0
    return round(100 * participant.attendance.count() / total)


# ---- lists, exports, invitations, calendar ------------------------------------------------------


EXPORT_COLUMNS = (
    ("name", _("Name")),
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("organisation_name", _("Organisation")),
    ("institution_type", _("Type of institution")),
    ("role", _("Role or position")),
    ("level", _("Level")),
    ("country", _("Country")),
    ("sex", _("Sex")),
    ("interpretation", _("Interpretation needed")),
    ("access_needs", _("Access needs")),
    ("status", _("Status")),
    ("attended", _("Sessions attended (%)")),
)


def participants_xlsx(by, event):
    """The event's participants as XLSX (``core.tabular``), personal columns masked for a role that
    may not see them (``training/disclosure.py``); the export is audited."""
    from lifeline.core import disclosure
    from lifeline.core.names import country_name
    from lifeline.core.tabular import write_table

    require(by, Action.EXPORT)
    ids = organisation_ids_for(by, AREA)
    if ids is not None and event.organisation_id not in ids:
        raise PermissionDenied
    see = disclosure.to(by, Participant)
    people = list(event.participants.select_related("country").prefetch_related("attendance"))
    total = event.sessions.count()
    rows = [[str(label) for _name, label in EXPORT_COLUMNS]]
    for person in people:
        row = []
        for name, _label in EXPORT_COLUMNS:
            if name == "attended":
                value = round(100 * len(person.attendance.all()) / total) if total else 0
            elif name == "country":
                value = country_name(person.country.code) if person.country_id else ""
            elif name in ("institution_type", "level", "sex", "status"):
                value = getattr(person, f"get_{name}_display")() if getattr(person, name) else ""
                value = disclosure.MASK if value and not see.may(name) else value
            else:
                value = see.value(person, name)
            row.append(str(value))
        rows.append(row)
    data = write_table(rows, "xlsx", sheet=str(_("Participants")), title=event.title, bold_header=True)
    see.audit_export(len(people), "xlsx", object_type="training.participant", reason=event.title)
    return data


def event_ics(event):
    """The event (and each session of its agenda) as iCalendar text, for calendars and invitations."""
    import vobject
    from dateutil import tz

    from lifeline.core.models import Branding

    utc = tz.tzutc()  # the UTC that vobject writes as "Z"
    calendar = vobject.iCalendar()
    calendar.add("prodid").value = f"-//{Branding.current().product_name}//Training//EN"
    calendar.add("method").value = "PUBLISH"
    items = [(f"event-{event.public_code}", event.title, event.starts, event.ends, event.description)]
    for session in event.sessions.all():
        text = session.facilitators and _("Facilitators: %(names)s") % {"names": session.facilitators}
        items.append(
            (
                f"session-{session.pk}-{event.public_code}",
                f"{event.title}: {session.title}",
                session.starts,
                session.ends,
                text or "",
            )
        )
    for uid, summary, starts, ends, text in items:
        vevent = calendar.add("vevent")
        vevent.add("uid").value = uid
        vevent.add("dtstamp").value = timezone.now().astimezone(utc)
        vevent.add("summary").value = summary
        vevent.add("dtstart").value = starts.astimezone(utc)
        vevent.add("dtend").value = ends.astimezone(utc)
        if event.venue:
            vevent.add("location").value = event.venue
        if text:
            vevent.add("description").value = text
        vevent.add(
            "organizer"
        ).value = f"MAILTO:noreply@{(event.organisation.short_name or 'org').lower()}.invalid"
        vevent.organizer.params["CN"] = [event.organisation.name]
    return calendar.serialize()


def invite(by, event, addresses, *, register_url, calendar_url):
    """Invite people by email through the messaging engine (one send, a static audience): the text
    gives the dates, the venue, the registration page and the calendar file. Returns the send."""
    from django.core.validators import validate_email

    from lifeline.messaging.services import start_send

    require(by, Action.CHANGE)
    require_event(by, event)
    cleaned, wrong = [], []
    for address in addresses:
        address = address.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
        else:
            if address.casefold() not in {a.casefold() for a in cleaned}:
                cleaned.append(address)
    if wrong:
        raise Invalid({"addresses": [_("“%(value)s” is not an email address.") % {"value": wrong[0]}]})
    if not cleaned:
        raise Invalid({"addresses": [_("Give at least one email address.")]})
    when = timezone.localtime(event.starts).strftime("%Y-%m-%d %H:%M")
    body = _(
        "You are invited to %(title)s (%(organiser)s), from %(when)s at %(venue)s. "
        "Register here: %(register)s . Add it to your calendar: %(calendar)s"
    ) % {
        "title": event.title,
        "organiser": event.organisation.name,
        "when": when,
        "venue": event.venue or "—",
        "register": register_url,
        "calendar": calendar_url,
    }
    recipients = [
        {"key": f"invitee:{n:012d}", "languages": ["en"], "addresses": {"email": address}}
        for n, address in enumerate(cleaned, start=1)
    ]
    with _acting(by), transaction.atomic():
        send = start_send(
            organisation=event.organisation,
            user=by,
            name=_("Invitation: %(title)s") % {"title": event.title},
            audience={"kind": "static", "recipients": recipients},
            texts={
                "en": {
                    "subject": _("Invitation: %(title)s") % {"title": event.title},
                    "body": body,
                    "short": body[:160],
                }
            },
            channels=["email"],
            source="training",
        )
        audit.record(AuditAction.UPDATE, obj=event, fields=["invitations"], reason=f"{len(cleaned)}")
    return send


def send_pass(participant, *, pass_url):
    """Email (messaging engine) the participant's confirmation: registered or waiting, and the link to
    their pass (its QR code) and calendar file. Nothing is sent without an email address."""
    from lifeline.messaging.services import start_send

    if not participant.email:
        return None
    event = participant.event
    if participant.status == ParticipantStatus.WAITING:
        # Translators: participants read this
        body = _("You are on the waiting list for %(title)s. We will write when a place frees up: %(url)s")
    else:
        # Translators: participants read this
        body = _("You are registered for %(title)s. Show the QR code on this page at each session: %(url)s")
    body = body % {"title": event.title, "url": pass_url}
    return start_send(
        organisation=event.organisation,
        user=None,
        name=_("Registration: %(title)s") % {"title": event.title},
        audience={
            "kind": "static",
            "recipients": [
                {
                    "key": f"participant:{participant.pk:012d}",
                    "languages": ["en"],
                    "addresses": {"email": participant.email},
                }
            ],
        },
        texts={"en": {"subject": event.title, "body": body, "short": body[:160]}},
        channels=["email"],
        source="training",
    )
