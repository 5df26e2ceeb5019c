"""Rules about nationals abroad that pages, API, commands and tasks all call."""

import datetime
import hashlib
import hmac
import secrets
import unicodedata
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lifeline.core import audit
from lifeline.core.errors import Invalid
from lifeline.core.fields import blind_index
from lifeline.core.http import limit_reached
from lifeline.core.models import AuditAction, Organisation, OrganisationKind
from lifeline.core.permissions import descendants_and_self
from lifeline.core.versions import ChangedMeanwhile, current_fingerprint
from lifeline.nationals.models import (
    Consent,
    DeviceToken,
    HouseholdMember,
    Kind,
    PostDetails,
    Purpose,
    Registration,
    ReportedStatus,
    SignInCode,
    Source,
    StatusReport,
    Trip,
    age_on,
    default_expiry,
    retention_days,
)


def assign_post(country, area=None, within=None):
    """The consular post responsible for someone staying in ``country`` (and ``area``).

    A post whose jurisdiction names the admin area wins over one that names the
    whole country; without either, the foreign ministry (or crisis cell) at the
    top of the tree keeps the registration. ``within`` limits the search to one
    ministry's tree (an organisation id set), for deployments shared by several.
    """
    posts = Organisation.objects.filter(kind=OrganisationKind.CONSULAR_POST)
    if within is not None:
        posts = posts.filter(id__in=within)
    if area is not None:
        post = posts.filter(jurisdiction_areas=area).order_by("id").first()
        if post:
            return post
    post = posts.filter(jurisdiction_countries=country).order_by("id").first()
    if post:
        return post
    ministries = Organisation.objects.filter(kind=OrganisationKind.FOREIGN_AFFAIRS, parent__isnull=True)
    if within is not None:
        ministries = ministries.filter(id__in=within)
    return ministries.order_by("id").first()


def posts_for(country=None, area=None):
    """Posts whose jurisdiction covers a country or an admin area (for "nearest post" lists)."""
    query = Q()
    if country is not None:
        query |= Q(jurisdiction_countries=country)
    if area is not None:
        query |= Q(jurisdiction_areas=area)
    if not query:
        return Organisation.objects.none()
    return Organisation.objects.filter(query, kind=OrganisationKind.CONSULAR_POST).distinct()


# --- the consular network -----------------------------------------------------------


def _details(post):
    try:
        return post.post_details
    except PostDetails.DoesNotExist:
        return None


def nearest_posts(lat=None, lon=None, country=None):
    """Consular posts for the app's "nearest post", as (post, details or None, km or None).

    With a point: every post by distance (posts without a location last). Without:
    the posts whose jurisdiction covers ``country`` (all posts if no country).
    """
    posts = Organisation.objects.filter(kind=OrganisationKind.CONSULAR_POST)
    if (lat is None or lon is None) and country is not None:
        posts = posts_for(country=country)
    posts = posts.select_related("post_details", "country").prefetch_related("jurisdiction_countries")
    rows = []
    for post in posts:
        details = _details(post)
        distance = details.distance_km(lat, lon) if details and lat is not None and lon is not None else None
        rows.append((post, details, distance))
    rows.sort(key=lambda row: (row[2] is None, row[2] or 0, row[0].name))
    return rows


def service_root(organisation):
    seen = set()
    while organisation.parent_id and organisation.pk not in seen:
        seen.add(organisation.pk)
        organisation = organisation.parent
    return organisation


def ministry_posts(user):
    """The consular posts of the user's foreign service (the tree their organisation belongs to)."""
    posts = Organisation.objects.filter(kind=OrganisationKind.CONSULAR_POST)
    profile = getattr(user, "profile", None)
    if profile is None:
        return posts if user.is_superuser else posts.none()
    return posts.filter(id__in=descendants_and_self(service_root(profile.organisation).pk))


def service_ids(user):
    """Ids of the organisations in the user's foreign service, for ``assign_post(within=...)``."""
    profile = getattr(user, "profile", None)
    return None if profile is None else descendants_and_self(service_root(profile.organisation).pk)


# --- registrations ----------------------------------------------------------------


def personal_shown(registration):
    """Names of the personal fields that hold something (and so would be shown): the disclosure policy's."""
    from lifeline.core.disclosure import policy_for

    return policy_for(registration).held(registration)


def set_consents(registration, purposes, language="en"):
    """Record consent for every purpose: granted for those in ``purposes``, withdrawn for the others."""
    purposes = set(purposes)
    now = timezone.now()
    for purpose in Purpose.values:
        granted = purpose in purposes
        consent = registration.consents.filter(purpose=purpose).first()
        if consent is None:
            if granted:
                Consent.objects.create(
                    registration=registration, purpose=purpose, granted=True, language=language, at=now
                )
        elif consent.granted != granted:
            consent.granted, consent.language, consent.at = granted, language, now
            consent.save()


def counts(registration):
    return {
        "members": registration.members.count(),
        "consents": registration.consents.count(),
        "devices": registration.devices.count(),
    }


def erase(registrations, reason):
    """Delete registrations with everything attached, and record one entry with counts only (never names)."""
    ids = list(registrations.values_list("pk", flat=True))
    # Records merged into these are the same person: they go too (else they would resurface).
    frontier = ids
    while frontier:
        frontier = list(
            Registration.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids += frontier
    if not ids:
        return {"registrations": 0, "members": 0, "consents": 0, "devices": 0}
    with transaction.atomic():
        figures = {
            "registrations": len(ids),
            "members": HouseholdMember.objects.filter(registration_id__in=ids).count(),
            "consents": Consent.objects.filter(registration_id__in=ids).count(),
            "devices": DeviceToken.objects.filter(registration_id__in=ids).count(),
        }
        for start in range(0, len(ids), 500):
            Registration.objects.filter(pk__in=ids[start : start + 500]).delete()
        audit.record(
            AuditAction.DELETE,
            object_type="nationals.registration",
            object_repr=_(
                "%(registrations)s registrations, %(members)s household members, %(consents)s consents, %(devices)s devices"
            )
            % figures,
            reason=reason % figures if "%(" in reason else reason,
        )
    return figures


def search_registrations(
    queryset, q="", post=None, country=None, area=None, stay_type="", language="", need="", expiring=False
):
    """The one filter of registrations, for the list page, its export and the API."""
    if q:
        for word in q.split()[:5]:
            queryset = queryset.filter(Q(given_names__icontains=word) | Q(family_name__icontains=word))
    if post is not None:
        queryset = queryset.filter(organisation=post)
    if country is not None:
        queryset = queryset.filter(country=country)
    if area is not None:
        queryset = queryset.filter(area=area)
    if stay_type:
        queryset = queryset.filter(stay_type=stay_type)
    if language:
        queryset = queryset.filter(Q(primary_language=language) | Q(languages__icontains=f'"{language}"'))
    if need:
        queryset = queryset.filter(special_needs__icontains=f'"{need}"')
    if expiring:
        today = timezone.localdate()
        queryset = queryset.filter(
            expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=reminder_days())
        )
    return queryset


# --- expiry, reminders, purge -----------------------------------------------------


def reminder_days():
    return settings.REGISTRATION_REMINDER_DAYS


def renew(registration, today=None):
    """Extend a just-in-case registration: a retention period after the trip, and never less than one from today."""
    today = today or timezone.localdate()
    registration.expires_on = max(
        default_expiry(registration, today), today + datetime.timedelta(days=retention_days())
    )
    registration.reminded_on = None
    registration.save()
    return registration.expires_on


def ui_language(registration):
    """The interface language to write to the person in (``lifeline.core.languages.ui_language``)."""
    from lifeline.core import languages

    return languages.ui_language(registration.languages or [])


def app_language(request, registration=None):
    """The language of what the server says to the app: the languages the request names (its ``lang``
    parameter, then its Accept-Language: the app sends the language its screen is in), then the person's
    registration, then the default; the choice is ``lifeline.core.languages.ui_language``'s."""
    from lifeline.core import languages

    wanted = languages.request_languages(request)
    if registration is not None:
        wanted += list(registration.languages or [])
    return languages.ui_language(wanted)


def explicit_language(request):
    """Whether the request names a language itself (``lang`` or Accept-Language): then the registration is not read."""
    return bool(request.GET.get("lang") or request.headers.get("Accept-Language"))


# --- what the person says about themselves ---------------------------------------------


def report_status(registration_id, status, idempotency_key=None, via="app", at=None):
    """Record "I am safe" or "I need help" given without a check-in asking: the person's latest
    status, for their post (registration page) and any crisis board that lists them, audited.

    Answers to an open check-in go through ``crises.services.record_answer`` instead. A retry with
    the same idempotency key returns the first report and changes nothing. Returns (report, created)."""
    if status not in ReportedStatus.values:
        raise ValueError(f"not a status: {str(status)[:40]}")
    if idempotency_key is not None:
        earlier = StatusReport.objects.filter(
            registration_id=registration_id, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            report = StatusReport.objects.create(
                registration_id=registration_id,
                status=status,
                via=via,
                at=at or timezone.now(),
                idempotency_key=idempotency_key,
            )
    except IntegrityError:  # the same retry arrived twice at once: the other one won
        earlier = StatusReport.objects.filter(
            registration_id=registration_id, idempotency_key=idempotency_key
        ).first()
        if earlier is None:
            raise
        return earlier, False
    return report, True


def latest_status(registration):
    """The newest thing the person said about their safety: a check-in answer or a report of their
    own. A dict (status, label, at, via, asked) or None."""
    from lifeline.crises.models import CheckInAnswer, CheckInStatus

    found = []
    report = StatusReport.objects.filter(registration=registration).first()
    if report is not None:
        found.append((report.at, report.status, report.via, False))
    answer = CheckInAnswer.objects.filter(registration=registration).order_by("-at", "-id").first()
    if answer is not None:
        found.append((answer.at, answer.answer, answer.via, True))
    if not found:
        return None
    at, status, via, asked = max(found, key=lambda row: row[0])
    return {"status": status, "label": CheckInStatus(status).label, "at": at, "via": via, "asked": asked}


def with_reported_status(rows, registration_field="registration"):
    """``rows`` annotated with the newest status each person reported without being asked
    (``reported_status``, ``reported_at``), for lists such as a crisis's check-in board."""
    newest = StatusReport.objects.filter(registration_id=OuterRef(f"{registration_field}_id")).order_by(
        "-at", "-id"
    )
    return rows.annotate(
        reported_status=Subquery(newest.values("status")[:1]),
        reported_at=Subquery(newest.values("at")[:1]),
    )


def send_reminders(today=None):
    """Email each person whose registration expires within the reminder period, once. Returns how many."""
    today = today or timezone.localdate()
    due = (
        Registration.objects.active()
        .filter(
            kind=Kind.JUST_IN_CASE,
            reminded_on__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=reminder_days()),
        )
        .exclude(email="")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        with translation.override(ui_language(registration)):
            subject = _("Your registration with the embassy expires on %(date)s") % {
                "date": registration.expires_on.isoformat()
            }
            body = _(
                "Dear %(name)s,\n\nYour registration expires on %(date)s. After that day it is deleted and we cannot "
                "reach you in an emergency. To keep it, open the app and choose “Renew”, or contact your embassy or "
                "consulate.\n\nIf you have left the country, you need do nothing."
            ) % {"name": registration.given_names, "date": registration.expires_on.isoformat()}
        # Claim first, so that two workers never remind the same person twice.
        if Registration.objects.filter(pk=registration.pk, reminded_on__isnull=True).update(
            reminded_on=today
        ):
            send_mail(subject, body, None, [registration.email])
            sent += 1
    return sent


def purge_expired(today=None):
    """Delete the registrations whose expiry has passed; one audit entry with counts only."""
    today = today or timezone.localdate()
    expired = Registration.objects.filter(kind=Kind.JUST_IN_CASE, expires_on__lt=today)
    return erase(expired, "expired registrations purged: %(registrations)s")


# --- sign-in for nationals ----------------------------------------------------------

CODE_MINUTES = 10
CODE_ATTEMPTS = 5
RATE_WINDOW_MINUTES = 15
RATE_LIMIT = 3


class SignInError(Exception):
    """Refused: ``status`` is the HTTP status to answer with, the message is translated."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def normalise_address(channel, address):
    """An email (lower case) or a phone number (E.164); raises SignInError if it is neither."""
    from django.core.exceptions import ValidationError

    from lifeline.directory.tabular import normalise_channel

    address = str(address or "").strip()
    try:
        if channel == "email":
            return normalise_channel("email", address).lower()
        if channel == "sms":
            return normalise_channel("phone", address)
    except ValidationError:
        pass
    raise SignInError(
        _("This is not a valid email address or phone number in international format (+…)."), 422
    )


def _code_digest(address_index, code):
    return hmac.new(
        settings.INDEX_KEY.encode(), f"{address_index}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def send_code(channel, address, code, language):
    """Send a sign-in code by email (django.core.mail) or SMS (the messaging app's SMS channel, if configured)."""
    with translation.override(language):
        text = _("Your sign-in code is %(code)s. It is valid for %(minutes)s minutes. Do not share it.") % {
            "code": code,
            "minutes": CODE_MINUTES,
        }
        subject = _("Your sign-in code")
        not_configured = _("SMS sign-in is not configured here; use email.")
    if channel == "email":
        send_mail(subject, text, None, [address])
        return
    try:
        from lifeline.messaging.channels import get_channel
        from lifeline.messaging.channels.base import OutboundMessage

        sms = get_channel("sms")
    except Exception:  # the messaging app is absent, or cannot build its SMS channel
        sms = None
    if sms is None or not getattr(sms, "url", ""):
        raise SignInError(not_configured, 503)
    message = OutboundMessage(
        delivery_id=0,
        address=address,
        language=language,
        subject="",
        body=text,
        short=text,
        unsubscribe_url="",
    )
    result = sms.send_batch([message])[0]
    if not result.ok:
        raise SignInError(
            not_configured
            if not sms.url
            else _("The code could not be sent by SMS; try again or use email."),
            503,
        )


def request_code(channel, address, ip=None, language="en", now=None):
    """Send a one-time code; the answer never says whether the address is registered."""
    address = normalise_address(channel, address)
    now = now or timezone.now()
    index = blind_index(address)
    ip_index = blind_index(ip or "")
    since = now - datetime.timedelta(minutes=RATE_WINDOW_MINUTES)
    recent = SignInCode.objects.filter(created__gte=since)
    if (
        recent.filter(address_index=index).count() >= RATE_LIMIT
        or (ip_index and recent.filter(ip_index=ip_index).count() >= RATE_LIMIT)
        or limit_reached("signin-codes:all", "all", settings.PUBLIC_SENDS_PER_HOUR, 3600)
    ):
        raise SignInError(
            _("Too many codes were asked for. Wait %(minutes)s minutes and try again.")
            % {"minutes": RATE_WINDOW_MINUTES},
            429,
        )
    code = f"{secrets.randbelow(10**6):06d}"
    send_code(channel, address, code, language)
    SignInCode.objects.create(
        address_index=index,
        channel=channel,
        ip_index=ip_index,
        digest=_code_digest(index, code),
        created=now,
        expires=now + datetime.timedelta(minutes=CODE_MINUTES),
    )


def registration_for_address(channel, address_index):
    field = "email_index" if channel == "email" else "phone_index"
    return Registration.objects.active().filter(**{field: address_index}).order_by("-updated").first()


def verify_code(channel, address, code, label="", now=None):
    """Check a code; on success issue a device token. Returns (raw token, registered)."""
    address = normalise_address(channel, address)
    now = now or timezone.now()
    index = blind_index(address)
    wrong = _("The code is wrong or has expired. Ask for a new one.")
    with transaction.atomic():  # the attempt is counted even though the answer is a refusal
        pending = (
            SignInCode.objects.select_for_update()
            .filter(address_index=index, channel=channel, used=False, expires__gt=now)
            .order_by("-created")
            .first()
        )
        ok = (
            pending is not None
            and pending.attempts < CODE_ATTEMPTS
            and hmac.compare_digest(pending.digest, _code_digest(index, str(code or "").strip()))
        )
        if pending is not None:
            SignInCode.objects.filter(pk=pending.pk).update(
                **({"used": True} if ok else {"attempts": pending.attempts + 1})
            )
    if not ok:
        raise SignInError(wrong, 400)
    registration = registration_for_address(channel, index)
    _token, raw = DeviceToken.issue(
        registration=registration, label=label, address_index=index, channel=channel
    )
    return raw, registration is not None


def verified_channel_matches(device, phone, email):
    """The address the device proved must be one of the registration's channels."""
    value = email if device.channel == "email" else phone
    return bool(value) and blind_index(value) == device.address_index


def device_list(device):
    """The devices of the same person: of the registration, or of the verified address before registering."""
    if device.registration_id:
        return DeviceToken.objects.filter(registration_id=device.registration_id, revoked=False)
    return DeviceToken.objects.filter(
        registration__isnull=True, address_index=device.address_index, revoked=False
    )


def export_data(registration):
    """Everything held about a person, for them (JSON-ready)."""
    plain = [
        "kind",
        "source",
        "given_names",
        "family_name",
        "date_of_birth",
        "sex",
        "document_type",
        "document_number",
        "document_status",
        "phone",
        "email",
        "messaging",
        "languages",
        "city",
        "address",
        "location",
        "stay_type",
        "arrival",
        "departure",
        "review_date",
        "employer",
        "recruiter",
        "special_needs",
        "needs_details",
        "emergency_contact",
        "expires_on",
        "created",
        "updated",
    ]
    data = {name: _json(getattr(registration, name)) for name in plain}
    data.update(
        id=registration.pk,
        nationality=registration.nationality.code,
        country=registration.country.code,
        area=registration.area.pcode if registration.area_id else None,
        post=registration.organisation.name,
        household=[
            {
                "id": m.pk,
                "name": m.name,
                "relation": m.relation,
                "date_of_birth": _json(m.date_of_birth),
                "sex": m.sex,
                "nationality": m.nationality.code if m.nationality_id else None,
                "document_number": m.document_number,
                "document_status": m.document_status,
                "unaccompanied": m.unaccompanied,
                "special_needs": m.special_needs,
            }
            for m in registration.members.select_related("nationality")
        ],
        trips=[
            {
                "id": t.pk,
                "country": t.country.code,
                "area": t.area.pcode if t.area_id else None,
                "start": _json(t.start),
                "end": _json(t.end),
            }
            for t in registration.trips.select_related("country", "area")
        ],
        consents=[
            {"purpose": c.purpose, "granted": c.granted, "language": c.language, "at": _json(c.at)}
            for c in registration.consents.all()
        ],
        status_reports=[
            {"status": s.status, "via": s.via, "at": _json(s.at)} for s in registration.status_reports.all()
        ],
        devices=[
            {
                "id": d.pk,
                "label": d.label,
                "created": _json(d.created),
                "last_used": _json(d.last_used),
                "revoked": d.revoked,
            }
            for d in registration.devices.all()
        ],
    )
    return data


def _json(value):
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


# --- duplicates and merging ---------------------------------------------------------


def normalised_name(given, family):
    text = unicodedata.normalize("NFKD", f"{given} {family}".casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(sorted("".join(ch if ch.isalnum() else " " for ch in text).split()))


def find_duplicates(registrations):
    """Likely duplicate pairs among registrations (a queryset, or one registration against all active ones).

    Returns a list of (first id, second id, [reasons]) with first < second; reasons among
    "document", "phone", "email", "name_birth".
    """
    if isinstance(registrations, Registration):
        one = registrations
        others = Registration.objects.active().exclude(pk=one.pk)
        query = Q(pk__in=[])
        for field in ("document_index", "phone_index", "email_index"):
            if getattr(one, field):
                query |= Q(**{field: getattr(one, field)})
        if one.date_of_birth:
            query |= Q(date_of_birth=one.date_of_birth)
        candidates = list(others.filter(query)) + [one]
        pairs = find_duplicates_in(candidates)
        return [p for p in pairs if one.pk in p[:2]]
    return find_duplicates_in(registrations.active())


def find_duplicates_in(rows):
    groups = defaultdict(set)
    fields = (
        "pk",
        "document_index",
        "phone_index",
        "email_index",
        "given_names",
        "family_name",
        "date_of_birth",
    )
    values = (
        rows.values(*fields)
        if hasattr(rows, "values")
        else [{f: getattr(r, f) for f in fields} for r in rows]
    )
    for row in values:
        for reason, field in (
            ("document", "document_index"),
            ("phone", "phone_index"),
            ("email", "email_index"),
        ):
            if row[field]:
                groups[(reason, row[field])].add(row["pk"])
        if row["date_of_birth"]:
            groups[
                ("name_birth", normalised_name(row["given_names"], row["family_name"]), row["date_of_birth"])
            ].add(row["pk"])
    pairs = defaultdict(set)
    for key, ids in groups.items():
        if len(ids) < 2 or len(ids) > 50:  # a shared employer's phone is not fifty duplicates
            continue
        ordered = sorted(ids)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                pairs[(first, second)].add(key[0])
    return sorted((a, b, sorted(reasons)) for (a, b), reasons in pairs.items())


MERGE_FILL = (
    "family_name",
    "date_of_birth",
    "document_number",
    "phone",
    "email",
    "messaging",
    "languages",
    "area",
    "city",
    "address",
    "location",
    "arrival",
    "departure",
    "review_date",
    "employer",
    "recruiter",
    "special_needs",
    "needs_details",
    "emergency_contact",
)


# Other apps move what they hold about a person when two registrations are merged (cases, push subscriptions).
moved_elsewhere = Signal()


def merge(keep, other):
    """Merge ``other`` into ``keep``: household, consents (granted wins), devices and empty fields move; ``other``
    is marked as merged. Both sides are audited."""
    if keep.pk == other.pk:
        raise ValueError("cannot merge a registration into itself")
    with transaction.atomic():
        HouseholdMember.objects.filter(registration=other).update(registration=keep)
        Trip.objects.filter(registration=other).update(registration=keep)
        kept = {c.purpose: c for c in keep.consents.all()}
        for consent in other.consents.all():
            mine = kept.get(consent.purpose)
            if mine is None:
                Consent.objects.filter(pk=consent.pk).update(registration=keep)
            elif consent.granted and not mine.granted:
                mine.granted, mine.language, mine.at = True, consent.language, consent.at
                mine.save()
        DeviceToken.objects.filter(registration=other).update(registration=keep)
        moved_elsewhere.send(sender=Registration, keep=keep, other=other)
        filled = []
        for name in MERGE_FILL:
            attr = keep._meta.get_field(name).attname
            if not getattr(keep, attr) and getattr(other, attr):
                setattr(keep, attr, getattr(other, attr))
                filled.append(name)
        keep.save()
        other.merged_into = keep
        other.save()
        audit.record(
            AuditAction.UPDATE,
            obj=keep,
            fields=filled + ["members", "consents", "devices"],
            reason=f"merged #{other.pk} into this record",
        )
        audit.record(AuditAction.UPDATE, obj=other, fields=["merged_into"], reason=f"merged into #{keep.pk}")
    return keep


class NoPost(Exception):
    """No consular post or ministry can hold the registration."""


class Refused(Exception):
    """The write is not for this actor or not now (a 409 for the app): the message is translated."""


# Organisations that may hold registrations (a post, a ministry, a crisis cell).
HOLDING_KINDS = (
    OrganisationKind.CONSULAR_POST,
    OrganisationKind.FOREIGN_AFFAIRS,
    OrganisationKind.CRISIS_CELL,
)

NO_ASSISTANCE = _lazy("Consent to consular assistance is required: without it we cannot keep a registration.")
MEMBER_FIELDS = (
    "name",
    "relation",
    "date_of_birth",
    "sex",
    "nationality",
    "document_number",
    "document_status",
    "unaccompanied",
    "special_needs",
)
TRIP_FIELDS = ("country", "area", "start", "end")


def _add(errors, field, message):
    errors.setdefault(field, []).append(str(message))


def member_errors(member, prefix=""):
    """The rules of one household member (a dict of plain values)."""
    errors = {}
    born = member.get("date_of_birth")
    if born and born > timezone.localdate():
        _add(errors, prefix + "date_of_birth", _("This date of birth is not possible."))
    if member.get("unaccompanied"):
        age = age_on(born)
        if age is None or age >= 18:
            _add(
                errors,
                prefix + "unaccompanied",
                _("Only a child (under 18, with a date of birth) can be an unaccompanied minor."),
            )
    return errors


def trip_errors(trip, prefix=""):
    """The rules of one trip (a dict of plain values)."""
    errors = {}
    country, area = trip.get("country"), trip.get("area")
    if country is not None and area is not None and area.country_id != country.pk:
        _add(errors, prefix + "area", _("This admin area is not in the destination country."))
    if trip.get("start") and trip.get("end") and trip["end"] < trip["start"]:
        _add(errors, prefix + "end", _("The end of a trip cannot be before its start."))
    return errors


def registration_errors(values, consents=None, household=(), trips=()):
    """The rules a registration keeps whoever writes it (page, staff API, app): {field: [messages]}.

    ``values`` are the registration's plain values (countries and areas as rows); ``consents`` the
    purposes granted (None: not being changed); ``household`` and ``trips`` lists of dicts."""
    errors = {}
    if consents is not None and Purpose.ASSISTANCE not in consents:
        _add(errors, "consents", NO_ASSISTANCE)
    born = values.get("date_of_birth")
    if born and (born > timezone.localdate() or age_on(born) > 130):
        _add(errors, "date_of_birth", _("This date of birth is not possible."))
    country, area = values.get("country"), values.get("area")
    if country is not None and area is not None and area.country_id != country.pk:
        _add(errors, "area", _("This admin area is not in the country of stay."))
    if values.get("arrival") and values.get("departure") and values["departure"] < values["arrival"]:
        _add(errors, "departure", _("The departure cannot be before the arrival."))
    for index, member in enumerate(household):
        errors.update(member_errors(member, f"household[{index}]."))
    for index, trip in enumerate(trips):
        errors.update(trip_errors(trip, f"trips[{index}]."))
    return errors


def _acting(by):
    """The audit actor for a write: a staff user, or (a device) the person in the app; the client
    address and channel of the request stay as the request set them."""
    current = audit.current_actor()
    if isinstance(by, DeviceToken):
        return audit.acting_as(None, ip=current.ip, via="app")
    return audit.acting_as(by, ip=current.ip, via=current.via)


def check_writer(user, registration=None, organisation=None):
    """Refuse (PermissionDenied) a staff user who may not write this registration; an API calls it
    before parsing, so that a refused role learns nothing from the validation."""
    from django.core.exceptions import PermissionDenied

    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm, writable_organisations

    # A registration is personal data through and through: writing it takes both permissions.
    if not (
        has_perm(user, Area.NATIONALS, Action.CHANGE) and has_perm(user, Area.NATIONALS, Action.PERSONAL)
    ):
        raise PermissionDenied
    if registration is not None and not (
        Registration.objects.for_user(user, Action.CHANGE).filter(pk=registration.pk).exists()
    ):
        raise PermissionDenied
    if organisation is not None and not (
        writable_organisations(user).filter(kind__in=HOLDING_KINDS, pk=organisation.pk).exists()
    ):
        raise Invalid({"organisation": [_("Choose a post you may write for.")]})


def _sync(model, registration, rows, fields, name):
    """Make ``registration``'s members or trips exactly ``rows`` (dicts; with an ``id`` the stored one is
    updated, without one a new one is added); the stored ones not named go. Each is validated first."""
    stored = {obj.pk: obj for obj in model.objects.filter(registration=registration)}
    keep, errors = [], {}
    for index, row in enumerate(rows):
        obj = stored.get(row.get("id")) or model(registration=registration)
        for field in fields:
            if field in row:
                setattr(obj, field, row[field])
        try:
            obj.full_clean(exclude=["registration"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{name}[{index}].{field}"] = [str(m) for m in messages]
        keep.append(obj)
    return keep, [obj for pk, obj in stored.items() if pk not in {o.pk for o in keep}], errors


def _write(
    by, registration, values, consents, household, trips, language, organisation, within, version=None
):
    """The one write of a registration with its household and trips: every rule is checked before
    anything is saved, all of it is saved in one transaction, audited as ``by``. With a ``version``
    (``core/versions``), the stored row is locked and must still be that version, else
    ``ChangedMeanwhile`` and nothing is saved."""
    errors = registration_errors(values, consents, household or (), trips or ())
    if errors:
        raise Invalid(errors)
    for name, value in values.items():
        setattr(registration, name, value)
    if organisation is None:
        organisation = assign_post(registration.country, registration.area, within=within)
        if organisation is None:
            raise NoPost(_("No consular post or ministry is set up to hold this registration."))
    registration.organisation = organisation
    try:
        registration.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update({field: [str(m) for m in messages] for field, messages in exc.message_dict.items()})
    changes = []
    for model, rows, fields, name in (
        (HouseholdMember, household, MEMBER_FIELDS, "household"),
        (Trip, trips, TRIP_FIELDS, "trips"),
    ):
        if rows is not None:
            keep, gone, found = _sync(model, registration if registration.pk else None, rows, fields, name)
            errors.update(found)
            changes.append((keep, gone))
    if errors:
        raise Invalid(errors)
    with _acting(by), transaction.atomic():
        if (
            version
            and registration.pk is not None
            and current_fingerprint(registration, lock=True) != version
        ):
            raise ChangedMeanwhile(registration)
        registration.save()
        for keep, gone in changes:
            for obj in gone:
                obj.delete()
            for obj in keep:
                obj.registration = registration
                obj.save()
        if consents is not None:
            set_consents(registration, consents, language)
        last_trip = (
            registration.trips.exclude(end=None).order_by("-end").values_list("end", flat=True).first()
        )
        if registration.kind == Kind.JUST_IN_CASE and last_trip and registration.expires_on:
            later = last_trip + datetime.timedelta(days=retention_days())
            if later > registration.expires_on:  # kept until the last trip is over
                registration.expires_on = later
                registration.save(update_fields=["expires_on"])
    return registration


def register(by, values, *, consents, household=(), trips=(), language="en", idempotency_key=None):
    """Register a national, with household, trips and consents. Returns (registration, created).

    ``by`` is the staff user who records it (``values`` may name the ``organisation``, else the post
    is assigned from the place of stay within the user's foreign service), or the signed-in device of
    the person registering themselves in the app: then the address they proved must be one of the
    registration's, the devices of that address stand for the registration afterwards, and a retry
    with the same ``idempotency_key`` returns the first registration."""
    values = dict(values)
    organisation = values.pop("organisation", None)
    if isinstance(by, DeviceToken):
        if idempotency_key is not None:
            earlier = Registration.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                if earlier.pk != by.registration_id:
                    raise Refused(_("This submission key was already used."))
                return earlier, False
        if by.registration_id:
            raise Refused(_("This device is already registered: update the registration instead."))
        if not verified_channel_matches(by, values.get("phone"), values.get("email")):
            field = "email" if by.channel == "email" else "phone"
            raise Invalid({field: [_("Give the address you signed in with.")]})
        registration = Registration(source=Source.SELF, idempotency_key=idempotency_key)
        try:
            with transaction.atomic():
                _write(by, registration, values, consents, household, trips, language, None, None)
                with _acting(by):
                    bind_devices(by, registration)
        except IntegrityError:  # the same key, submitted twice at once
            earlier = Registration.objects.filter(idempotency_key=idempotency_key).first()
            if idempotency_key is None or earlier is None:
                raise
            return earlier, False
        return registration, True
    check_writer(by, organisation=organisation)
    registration = Registration()
    _write(by, registration, values, consents, household, trips, language, organisation, service_ids(by))
    return registration, True


def update_registration(
    by, registration, values, *, consents=None, household=None, trips=None, language="en", version=None
):
    """Change a registration (and, when given, replace its household, trips and consents), as ``by``:
    a staff user who may change it, or a device of the person it belongs to (whose proved address
    must stay one of the registration's; the post then follows the place of stay).

    ``version`` is the one its author read (``core/versions.fingerprint``: the page's form, the API's
    ``If-Match``): when the registration has changed since, ``ChangedMeanwhile`` and nothing changes."""
    values = dict(values)
    organisation = values.pop("organisation", None)
    if isinstance(by, DeviceToken):
        if by.registration_id != registration.pk:
            raise Refused(_("This registration belongs to someone else."))
        phone = values.get("phone", registration.phone)
        email = values.get("email", registration.email)
        if not verified_channel_matches(by, phone, email):
            field = "email" if by.channel == "email" else "phone"
            raise Invalid({field: [_("Keep the address you signed in with.")]})
        return _write(by, registration, values, consents, household, trips, language, None, None, version)
    check_writer(by, registration, organisation)
    return _write(
        by, registration, values, consents, household, trips, language, organisation, service_ids(by), version
    )


def bind_devices(device, registration):
    """After self-registration: the devices that proved the same address now stand for the registration."""
    DeviceToken.objects.filter(
        registration__isnull=True, address_index=device.address_index, revoked=False
    ).update(registration=registration)
    device.registration = registration
