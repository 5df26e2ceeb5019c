"""The rules of case handling, called by the pages, both APIs, the SMS keyword and the demo.

Every change goes through one of these functions, which writes the change, a
``CaseEvent`` line of history and (through the Audited models) the audit log.
A refused change raises ``CaseError`` with a translated message and writes nothing.
"""

import datetime
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseMessage,
    CaseSource,
    Category,
    ConsentBasis,
    Direction,
    EventKind,
    InternalNote,
    Priority,
    Referral,
    ReferralStatus,
    Status,
)

DEFAULT_DUE_HOURS = {"critical": 2, "high": 24, "normal": 72, "low": 168}
DUPLICATE_WINDOW = datetime.timedelta(days=14)
PHOTO_MAX_BYTES = 5 * 1024 * 1024
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read out over a bad phone line

# The workflow: from each status, the statuses a case may move to.
TRANSITIONS = {
    Status.NEW: (Status.TRIAGED, Status.IN_PROGRESS, Status.CLOSED),
    Status.TRIAGED: (Status.IN_PROGRESS, Status.REFERRED, Status.RESOLVED, Status.CLOSED),
    Status.IN_PROGRESS: (Status.REFERRED, Status.RESOLVED, Status.CLOSED),
    Status.REFERRED: (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
    Status.RESOLVED: (Status.CLOSED, Status.REOPENED),
    Status.CLOSED: (Status.REOPENED,),
    Status.REOPENED: (Status.TRIAGED, Status.IN_PROGRESS, Status.REFERRED, Status.RESOLVED, Status.CLOSED),
}

AGE_BUCKETS = (
    ("lt1", gettext_lazy("Under 1 day"), 0, 1),
    ("1to3", gettext_lazy("1–3 days"), 1, 3),
    ("3to7", gettext_lazy("3–7 days"), 3, 7),
    ("gt7", gettext_lazy("Over 7 days"), 7, None),
)


class CaseError(Exception):
    """A refused change; ``str()`` is the translated reason, fit to show the user."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message, self.field = str(message), field


# --- small rules -------------------------------------------------------------------


def due_hours(priority):
    hours = settings.CASE_DUE_HOURS or DEFAULT_DUE_HOURS
    return hours.get(priority, DEFAULT_DUE_HOURS.get(priority, DEFAULT_DUE_HOURS["normal"]))


def due_at(priority, start=None):
    return (start or timezone.now()) + datetime.timedelta(hours=due_hours(priority))


def allowed_transitions(status):
    return TRANSITIONS.get(status, ())


def new_reference():
    while True:
        reference = "C-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _n in range(6))
        if not Case.objects.filter(reference=reference).exists():
            return reference


def parse_location(value):
    """A "lat,lon" string, normalised, or CaseError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise CaseError(
            _("Give the location as latitude,longitude, for example 31.95,35.93."), "location"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CaseError(
            _("Latitude must be between -90 and 90 and longitude between -180 and 180."), "location"
        )
    return f"{lat:.6f},{lon:.6f}"


def normalise_phone(value, organisation=None):
    """A phone number in E.164 (a local one read in the organisation's country), or CaseError."""
    from django.core.exceptions import ValidationError

    from lifeline.core.phones import default_region, to_e164

    try:
        return to_e164(value, default_region(organisation))
    except ValidationError as exc:
        raise CaseError(exc.messages[0], "contact_phone") from None


def clean_photo(upload):
    """A re-encoded, size-bounded copy of an uploaded JPEG or PNG, without metadata, or CaseError."""
    from lifeline.core.images import ImageRefused, clean_image

    if upload.size > PHOTO_MAX_BYTES:
        raise CaseError(
            _("The photo is too large: the limit is %(mb)s MB.") % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)},
            "photo",
        )
    try:
        data, fmt = clean_image(
            upload, PHOTO_MAX_BYTES, not_image=_("The photo must be a JPEG or PNG image.")
        )
    except ImageRefused as exc:
        raise CaseError(str(exc), "photo") from None
    return ContentFile(data, name="photo.png" if fmt == "PNG" else "photo.jpg")


def _event(case, kind, user=None, before="", after=""):
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=_staff(user), before=str(before)[:120], after=str(after)[:120]
    )


def _staff(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def find_duplicates(case):
    """Open cases of the same person and category (or the same phone, for an unregistered person) in the last 14 days."""
    since = (case.created or timezone.now()) - DUPLICATE_WINDOW
    queryset = Case.objects.open().filter(created__gte=since, merged_into__isnull=True).exclude(pk=case.pk)
    if case.registration_id:
        return queryset.filter(registration_id=case.registration_id, category=case.category)
    if case.contact_phone:
        from lifeline.core.fields import blind_index

        return queryset.filter(contact_phone_index=blind_index(case.contact_phone))
    return queryset.none()


# --- creating a case ------------------------------------------------------------------


def _replay(idempotency_key, registration):
    """The case an earlier submission with this key opened, if any; another person's key is refused."""
    if not idempotency_key:
        return None
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.registration_id != getattr(registration, "pk", None):
        raise CaseError(_("This idempotency key was already used."), "idempotency_key")
    return existing


@transaction.atomic
def create_case(
    *,
    category,
    summary,
    registration=None,
    organisation=None,
    source=CaseSource.STAFF,
    location="",
    area=None,
    photo=None,
    contact_name="",
    contact_phone="",
    priority=Priority.NORMAL,
    priority_reason="",
    idempotency_key=None,
    user=None,
):
    """Open a case; returns (case, created). A retry with the same idempotency key returns the first case."""
    existing = _replay(idempotency_key, registration)
    if existing is not None:
        return existing, False
    if category not in Category.values:
        raise CaseError(_("Choose a category."), "category")
    if priority not in Priority.values:
        raise CaseError(_("Choose a priority."), "priority")
    if not (summary or "").strip():
        raise CaseError(_("Say what happened."), "summary")
    if registration is None and not (contact_name or contact_phone):
        raise CaseError(_("Give the person's name or phone, or choose their registration."), "contact_name")
    organisation = organisation or (registration.organisation if registration is not None else None)
    if organisation is None:
        raise CaseError(_("Choose the post that handles the case."), "organisation")
    location = parse_location(location)
    contact_phone = normalise_phone(contact_phone, organisation)
    if area is None and registration is not None:
        area = registration.area
    content = clean_photo(photo) if photo else None
    now = timezone.now()
    case = Case(
        organisation=organisation,
        registration=registration,
        category=category,
        summary=summary.strip(),
        location=location,
        area=area,
        source=source,
        priority=priority,
        priority_reason=priority_reason,
        contact_name="" if registration else contact_name,
        contact_phone="" if registration else contact_phone,
        due_at=due_at(priority, now),
        reference=new_reference(),
        idempotency_key=idempotency_key or None,
    )
    case.created = now
    case.possible_duplicate_of = find_duplicates(case).order_by("created").first()
    if content is not None:
        case.photo.save(content.name, content, save=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if case.photo:
            case.photo.delete(save=False)
        first = _replay(idempotency_key, registration)
        if first is None:
            raise
        return first, False  # the same submission, arriving twice at once
    _event(case, EventKind.CREATED, user, after=case.source)
    return case, True


def open_case_by_phone(phone_e164, text):
    """The SMS keyword "HELP <text>": a case for the registration with this phone, or None if none is found.

    Called for inbound SMS when no check-in is open. Resending the same text within
    a day does not open a second case.
    """
    from lifeline.core.fields import blind_index
    from lifeline.nationals.models import Registration

    words = (text or "").strip()
    if words.split(maxsplit=1)[:1] and words.split(maxsplit=1)[0].upper() == "HELP":
        words = words[4:].strip()
    registration = (
        Registration.objects.active().filter(phone_index=blind_index(phone_e164)).order_by("-created").first()
    )
    if registration is None:
        return None
    summary = words or _("Help requested by SMS (no details given).")
    import hashlib

    day = timezone.localdate().isoformat()
    key = "sms:" + hashlib.sha256(f"{registration.pk}|{day}|{summary}".encode()).hexdigest()[:40]
    case, _created = create_case(
        registration=registration,
        category="other",
        summary=summary,
        source=CaseSource.SMS,
        idempotency_key=key,
    )
    return case


# --- handling ------------------------------------------------------------------------


@transaction.atomic
def change_status(case, status, user=None):
    if status not in allowed_transitions(case.status):
        raise CaseError(
            _("A case cannot go from “%(before)s” to “%(after)s”.")
            % {
                "before": Status(case.status).label,
                "after": Status(status).label if status in Status.values else status,
            },
            "status",
        )
    before = case.status
    case.status = status
    if status == Status.CLOSED:
        case.closed_at = timezone.now()
    elif status == Status.REOPENED:
        case.closed_at = None
        case.due_at = due_at(case.priority)
    case.save()
    _event(case, EventKind.STATUS, user, before, status)
    return case


@transaction.atomic
def triage(case, priority, reason="", user=None):
    """Set the priority and its reason; the due time follows the priority, counted from the case's creation."""
    if priority not in Priority.values:
        raise CaseError(_("Choose a priority."), "priority")
    if not case.is_open:
        raise CaseError(_("Reopen the case before changing its priority."), "priority")
    before = case.priority
    case.priority, case.priority_reason = priority, (reason or "")[:300]
    case.due_at = due_at(priority, case.created)
    case.save()
    if before != priority:
        _event(case, EventKind.PRIORITY, user, before, priority)
    if case.status in (Status.NEW, Status.REOPENED):
        change_status(case, Status.TRIAGED, user)
    return case


def assignable_officers(case_or_org):
    from django.contrib.auth import get_user_model

    org_id = getattr(case_or_org, "organisation_id", None) or case_or_org.pk
    return (
        get_user_model().objects.filter(profile__organisation_id=org_id, is_active=True).order_by("username")
    )


@transaction.atomic
def assign(case, officer=None, team=None, user=None):
    """Give the case to an officer of its post, or a team of its post, or both (None clears)."""
    if officer is not None and not assignable_officers(case).filter(pk=officer.pk).exists():
        raise CaseError(_("The officer must work at the post handling the case."), "officer")
    if team is not None and team.organisation_id != case.organisation_id:
        raise CaseError(_("The team must belong to the post handling the case."), "team")
    before = _holder(case)
    case.assigned_to, case.team = officer, team
    case.save()
    after = _holder(case)
    _event(case, EventKind.ASSIGNMENT, user, before, after)
    return case


def _holder(case):
    """Who holds the case, in the history's words: "username", "team name" or both."""
    return " + ".join(
        x
        for x in (
            case.assigned_to.get_username() if case.assigned_to else "",
            case.team.name if case.team else "",
        )
        if x
    )


def _text(text, field):
    text = (text or "").strip()
    if not text:
        raise CaseError(_("Write something first."), field)
    if len(text) > 5000:
        raise CaseError(_("Keep it under %(n)s characters.") % {"n": 5000}, field)
    return text


@transaction.atomic
def add_note(case, text, user=None):
    note = InternalNote.objects.create(case=case, text=_text(text, "text"), author=_staff(user))
    _event(case, EventKind.NOTE, user)
    return note


@transaction.atomic
def send_message(case, text, user=None):
    """A message from staff to the person; they read it in the app."""
    if case.registration_id is None:
        raise CaseError(
            _("This person has no app account: reach them by phone and write a note instead."), "text"
        )
    message = CaseMessage.objects.create(
        case=case, direction=Direction.OUT, text=_text(text, "text"), author=_staff(user)
    )
    _event(case, EventKind.MESSAGE, user, after=Direction.OUT)
    return message


@transaction.atomic
def receive_message(case, text, idempotency_key=None):
    """A message from the person (the app). A closed case reopens: the person still needs help.
    A retry with the same idempotency key returns the first message and changes nothing."""
    if idempotency_key:
        earlier = case.messages.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    message = CaseMessage.objects.create(
        case=case, direction=Direction.IN, text=_text(text, "text"), idempotency_key=idempotency_key or None
    )
    _event(case, EventKind.MESSAGE, None, after=Direction.IN)
    if case.status in (Status.RESOLVED, Status.CLOSED):
        change_status(case, Status.REOPENED)
    return message


def mark_read(case, direction):
    """Read receipts: staff opening the case read the person's messages; the app reading marks staff's."""
    return case.messages.filter(direction=direction, read_at__isnull=True).update(read_at=timezone.now())


def referral_contacts(user):
    from lifeline.directory.models import ContactKind, KeyContact

    return KeyContact.objects.for_user(user).filter(kind=ContactKind.ORGANISATION).order_by("name")


def has_referral_consent(case):
    if case.registration_id is None:
        return False
    return case.registration.consents.filter(purpose="referral", granted=True).exists()


@transaction.atomic
def refer(case, contact, user, consent_asked=False, note=""):
    """Refer to a partner organisation of the user's key contacts, only with the person's consent."""
    if not referral_contacts(user).filter(pk=contact.pk).exists():
        raise CaseError(_("Choose a partner organisation from your key contacts."), "contact")
    if has_referral_consent(case):
        basis = ConsentBasis.REGISTRATION
        consented_at = case.registration.consents.get(purpose="referral").at
    elif consent_asked:
        basis, consented_at = ConsentBasis.ASKED, timezone.now()
    else:
        raise CaseError(
            _("The person has not agreed to be referred. Ask them, then tick that they agreed."),
            "consent_asked",
        )
    if not case.is_open:
        raise CaseError(_("Reopen the case before referring it."), "contact")
    if case.status == Status.NEW:
        raise CaseError(_("Triage the case before referring it."), "contact")
    referral = Referral.objects.create(
        case=case,
        contact=contact,
        consent_basis=basis,
        consented_at=consented_at,
        note=(note or "")[:5000],
        consent_recorded_by=_staff(user) if basis == ConsentBasis.ASKED else None,
        created_by=_staff(user),
    )
    _event(case, EventKind.REFERRAL, user, after=contact.name)
    if case.status != Status.REFERRED:
        change_status(case, Status.REFERRED, user)
    return referral


@transaction.atomic
def update_referral(referral, status, user=None):
    """The partner's answer: accepted, declined, completed."""
    if status not in ReferralStatus.values:
        raise CaseError(_("Choose a status."), "status")
    before = referral.status
    referral.status = status
    referral.save()
    _event(
        referral.case,
        EventKind.REFERRAL,
        user,
        before=ReferralStatus(before).label,
        after=ReferralStatus(status).label,
    )
    return referral


@transaction.atomic
def merge(duplicate, into, user=None):
    """Fold a duplicate into the case it repeats: its messages and notes move, it is closed."""
    from lifeline.core import audit
    from lifeline.core.models import AuditAction

    if duplicate.pk == into.pk or duplicate.organisation_id != into.organisation_id:
        raise CaseError(_("Only two different cases of the same post can be merged."), "into")
    if duplicate.merged_into_id:
        raise CaseError(_("This case was already merged."), "into")
    if duplicate.registration_id != into.registration_id:
        raise CaseError(_("Only cases of the same person can be merged."), "into")
    moved_messages = duplicate.messages.update(case=into)
    moved_notes = duplicate.notes.update(case=into)
    if moved_messages or moved_notes:
        audit.record(
            AuditAction.UPDATE, obj=into, fields=["messages", "notes"], reason=f"merged {duplicate.reference}"
        )
    duplicate.merged_into = into
    duplicate.possible_duplicate_of = None
    if duplicate.status != Status.CLOSED:
        before = duplicate.status
        duplicate.status, duplicate.closed_at = Status.CLOSED, timezone.now()
        _event(duplicate, EventKind.STATUS, user, before, Status.CLOSED)
    duplicate.save()
    _event(duplicate, EventKind.MERGE, user, after=into.reference)
    _event(into, EventKind.MERGE, user, before=duplicate.reference)
    return into


# --- figures ----------------------------------------------------------------------------


def dashboard(queryset, now=None):
    """Open cases counted by post, category, priority and age bucket, each one aggregate query."""
    now = now or timezone.now()
    open_cases = queryset.filter(status__in=OPEN_STATUSES)
    # Youngest first: the first bucket whose lower age bound the case is under; the last takes the rest.
    buckets = SqlCase(
        *[
            When(created__gt=now - datetime.timedelta(days=high), then=Value(index))
            for index, (_key, _label, _low, high) in enumerate(AGE_BUCKETS)
            if high is not None
        ],
        default=Value(len(AGE_BUCKETS) - 1),
        output_field=IntegerField(),
    )
    by_age = dict(
        open_cases.annotate(bucket=buckets)
        .order_by()
        .values("bucket")
        .annotate(n=Count("id"))
        .values_list("bucket", "n")
    )
    return {
        "total": open_cases.count(),
        "overdue": open_cases.filter(due_at__lt=now).count(),
        "by_post": list(
            open_cases.values("organisation__name")
            .annotate(n=Count("id"))
            .order_by("-n", "organisation__name")
        ),
        "by_category": _labelled(open_cases, "category", dict(Case._meta.get_field("category").choices)),
        "by_priority": _labelled(open_cases, "priority", dict(Priority.choices)),
        "by_age": [(label, by_age.get(index, 0)) for index, (_k, label, _lo, _hi) in enumerate(AGE_BUCKETS)],
    }


def _labelled(queryset, field, labels):
    rows = queryset.values(field).annotate(n=Count("id")).order_by("-n", field)
    return [(labels.get(row[field], row[field]), row["n"]) for row in rows]


def filter_cases(
    queryset, user, *, status="", category="", priority="", post=None, mine=False, overdue=False, q=""
):
    if status:
        queryset = queryset.open() if status == "open" else queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if priority:
        queryset = queryset.filter(priority=priority)
    if post is not None:
        queryset = queryset.filter(organisation=post)
    if mine:
        queryset = queryset.filter(Q(assigned_to=user) | Q(team__members=user)).distinct()
    if overdue:
        queryset = queryset.overdue()
    if q and q.strip():
        queryset = search(queryset, user, q)
    return queryset


# How many cases of walk-ins (whose name is encrypted) a name search reads, newest first.
NAME_SCAN_LIMIT = 5000


def may_search_by_name(user):
    """Finding a case by its person's name reveals that the person has a case: only for who sees personal data."""
    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm

    return has_perm(user, Area.CASES, Action.PERSONAL)


def search(queryset, user, text):
    """The cases of ``queryset`` whose reference is ``text``, or whose person's name holds every word of it.

    The one rule for finding a case: the list page and the API call it. A name is matched only for a user who
    may see personal data in cases, and only among the people that user may see (``Registration.for_user``)
    and the walk-ins of cases already in ``queryset`` (scoped by the caller): a search never reveals a person
    the user may not see. Accents, case and word order do not count ("jose santos" finds "Santos, José")."""
    from lifeline.nationals.models import Registration
    from lifeline.nationals.services import normalised_name

    text = " ".join(text.split())[:120]
    match = Q(reference__iexact=text)
    words = normalised_name(text, "").split()
    if words and may_search_by_name(user):

        def holds(*parts):
            name = normalised_name(" ".join(p for p in parts if p), "").split()
            return all(any(part.startswith(word) for part in name) for word in words)

        people = (
            Registration.objects.for_user(user)
            .filter(pk__in=queryset.filter(registration__isnull=False).values("registration_id"))
            .values_list("pk", "given_names", "family_name")
        )
        found = [pk for pk, given, family in people if holds(given, family)]
        walk_ins = (
            queryset.filter(registration__isnull=True)
            .exclude(contact_name="")
            .order_by("-created", "-id")
            .values_list("pk", "contact_name")[:NAME_SCAN_LIMIT]
        )
        match |= Q(registration_id__in=found) | Q(pk__in=[pk for pk, name in walk_ins if holds(name)])
    return queryset.filter(match)
