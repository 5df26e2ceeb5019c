"""Endpoints for the nationals' app, mounted under /api/app/.

Public (no auth): the consular posts for "nearest post", and the two sign-in steps.
Everything else takes ``Authorization: Device <token>`` from sign-in. A person
reads, exports and deletes their own registration here; consent withdrawn for
consular assistance deletes it. Submissions carry an ``idempotency_key`` so that
a retried self-registration never creates two.
"""

import datetime
import uuid
from typing import Literal

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from lifeline.api.common import ErrorOut, FieldErrorsOut, Id, Line, ShortText, Text, form_errors
from lifeline.core import audit, languages
from lifeline.core.http import client_ip
from lifeline.core.names import country_name, language_name
from lifeline.geo.models import AdminArea, Country
from lifeline.nationals import services
from lifeline.nationals.auth import DeviceAuth, RegisteredDeviceAuth, speak_to
from lifeline.nationals.forms import MemberFormSet, RegistrationForm
from lifeline.nationals.models import (
    DocumentStatus,
    DocumentType,
    Purpose,
    Registration,
    Relation,
    ReportedStatus,
    Source,
    SpecialNeed,
    StayType,
)

router = Router(tags=["App for nationals"])


def _language(request, given=""):
    """The language a person's answer is recorded in: the one they gave, else the one the app speaks."""
    return languages.base(languages.normalise(given) or translation.get_language() or languages.ENGLISH)


def invalid(errors):
    """The 422 answer to what the forms refused, in the person's language: ``errors`` is {field: [messages]}."""
    return Status(422, {"detail": _("Some answers are missing or not valid."), "errors": errors})


def _ip(request):
    return client_ip(request)


# --- consular posts ---------------------------------------------------------------


class PostOut(Schema):
    id: int
    name: str
    short_name: str
    country: str
    jurisdiction: list[str]
    address: str
    email: str
    phone: str
    emergency_phone: str
    office_hours: str
    latitude: float | None
    longitude: float | None
    public_notes: str
    distance_km: float | None


class PostQuery(Schema):
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    country: ShortText = ""  # ISO 3166 alpha-2
    lang: ShortText = ""
    limit: int = Field(default=20, ge=1, le=200)


@router.get("/posts", auth=None, response={200: list[PostOut], 422: ErrorOut})
def posts(request, query: Query[PostQuery]):
    """Consular posts, nearest first from a point (haversine), or those covering a country."""
    speak_to(request)  # no sign-in here: the ``lang`` asked for, else Accept-Language
    country = None
    if query.country:
        country = Country.objects.filter(code=query.country.upper()).first()
        if country is None:
            return Status(422, {"detail": _("Unknown country code: %(code)s.") % {"code": query.country}})
    language = _language(request, query.lang)
    rows = services.nearest_posts(query.lat, query.lon, country)[: query.limit]
    return Status(
        200,
        [
            {
                "id": post.pk,
                "name": post.name,
                "short_name": post.short_name,
                "country": post.country.code,
                "jurisdiction": [c.code for c in post.jurisdiction_countries.all()],
                "address": post.address,
                "email": post.email,
                "phone": post.phone,
                "emergency_phone": details.emergency_phone if details else "",
                "office_hours": details.hours_in(language) if details else "",
                "latitude": details.latitude if details else None,
                "longitude": details.longitude if details else None,
                "public_notes": details.public_notes if details else "",
                "distance_km": round(distance, 1) if distance is not None else None,
            }
            for post, details, distance in rows
        ],
    )


# --- sign-in ------------------------------------------------------------------------


class SignInIn(Schema):
    channel: Literal["email", "sms"]
    address: ShortText
    language: ShortText = ""


class MessageOut(Schema):
    detail: str


class VerifyIn(Schema):
    channel: Literal["email", "sms"]
    address: ShortText
    code: str = Field(max_length=12)
    device_label: ShortText = ""


class TokenOut(Schema):
    token: str
    registered: bool


@router.post("/signin", auth=None, response={200: MessageOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut})
def signin(request, payload: SignInIn):
    """Send a one-time code. The answer is the same whether or not the address is registered."""
    language = _language(request, payload.language)
    try:
        services.request_code(payload.channel, payload.address, ip=_ip(request), language=language)
    except services.SignInError as exc:
        return Status(exc.status, {"detail": str(exc)})
    return Status(200, {"detail": _("If this address can receive messages, a code is on its way.")})


@router.post("/signin/verify", auth=None, response={200: TokenOut, 400: ErrorOut, 422: ErrorOut})
def signin_verify(request, payload: VerifyIn):
    try:
        raw, registered = services.verify_code(
            payload.channel, payload.address, payload.code, payload.device_label
        )
    except services.SignInError as exc:
        return Status(exc.status, {"detail": str(exc)})
    return Status(200, {"token": raw, "registered": registered})


# --- the person's own registration --------------------------------------------------


class Handle(Schema):
    type: Literal["whatsapp", "telegram", "signal", "viber"]
    value: Line


class ContactIn(Schema):
    name: ShortText = ""
    relation: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""


class MemberIn(Schema):
    name: ShortText
    relation: Literal[tuple(Relation.values)]  # type: ignore[valid-type]
    date_of_birth: datetime.date | None = None
    document_status: Literal[tuple(DocumentStatus.values)] = DocumentStatus.UNKNOWN  # type: ignore[valid-type]
    unaccompanied: bool = False
    special_needs: list[Literal[tuple(SpecialNeed.values)]] = []  # type: ignore[valid-type]


class RegistrationIn(Schema):
    idempotency_key: uuid.UUID | None = None
    given_names: ShortText
    family_name: ShortText = ""
    date_of_birth: datetime.date | None = None
    nationality: ShortText  # ISO 3166 alpha-2
    document_type: Literal[tuple(DocumentType.values)] = DocumentType.PASSPORT  # type: ignore[valid-type]
    document_number: ShortText = ""
    document_status: Literal[tuple(DocumentStatus.values)] = DocumentStatus.UNKNOWN  # type: ignore[valid-type]
    phone: ShortText = ""
    email: ShortText = ""
    messaging: list[Handle] = Field(default=[], max_length=10)
    languages: list[ShortText] = Field(default=[], max_length=10)
    country: ShortText  # ISO 3166 alpha-2
    area: ShortText = ""  # P-code
    city: ShortText = ""
    address: Text = ""
    location: ShortText = ""  # "lat,lon"
    stay_type: Literal[tuple(StayType.values)] = StayType.RESIDENT_WORKER  # type: ignore[valid-type]
    arrival: datetime.date | None = None
    departure: datetime.date | None = None
    review_date: datetime.date | None = None
    employer: ShortText = ""
    recruiter: ShortText = ""
    special_needs: list[Literal[tuple(SpecialNeed.values)]] = []  # type: ignore[valid-type]
    needs_details: Text = ""
    emergency_contact: ContactIn = ContactIn()
    household: list[MemberIn] = Field(default=[], max_length=30)
    consents: list[Literal[tuple(Purpose.values)]] = []  # type: ignore[valid-type]


PLAIN = (
    "given_names",
    "family_name",
    "document_type",
    "document_number",
    "document_status",
    "phone",
    "email",
    "city",
    "address",
    "location",
    "stay_type",
    "employer",
    "recruiter",
    "needs_details",
)
DATES = ("date_of_birth", "arrival", "departure", "review_date")


def form_data(payload, instance=None):
    """The payload as the registration page's POST data (form and household formset), plus unknown codes."""
    data = {name: getattr(payload, name) for name in PLAIN}
    for name in DATES:
        value = getattr(payload, name)
        data[name] = value.isoformat() if value else ""
    codes = {
        c.code.upper(): c.pk
        for c in Country.objects.filter(code__in=[payload.nationality.upper(), payload.country.upper()])
    }
    errors = {}
    for name in ("nationality", "country"):
        data[name] = codes.get(getattr(payload, name).upper(), "")
        if not data[name]:
            errors[name] = [_("Unknown country code: %(code)s.") % {"code": getattr(payload, name)}]
    data["area"] = ""
    if payload.area:
        data["area"] = AdminArea.objects.filter(pcode=payload.area).values_list("pk", flat=True).first() or ""
        if not data["area"]:
            errors["area"] = [_("Unknown P-code: %(code)s.") % {"code": payload.area}]
    data["messaging"] = "\n".join(f"{h.type}:{h.value}" for h in payload.messaging)
    data["languages"] = ", ".join(payload.languages)
    data["special_needs"] = list(payload.special_needs)
    data["consents"] = list(payload.consents)
    contact = payload.emergency_contact
    data.update(
        contact_name=contact.name,
        contact_relation=contact.relation,
        contact_phone=contact.phone,
        contact_email=contact.email,
    )
    # The household is replaced as a whole: every stored member is deleted, the payload's are added.
    stored = list(instance.members.all()) if instance is not None else []
    rows = [(m, None) for m in stored] + [(None, m) for m in payload.household]
    data.update({"members-TOTAL_FORMS": str(len(rows)), "members-INITIAL_FORMS": str(len(stored))})
    for n, (obj, member) in enumerate(rows):
        prefix = f"members-{n}-"
        if obj is not None:
            data.update(
                {
                    prefix + "id": str(obj.pk),
                    prefix + "name": obj.name,
                    prefix + "relation": obj.relation,
                    prefix + "DELETE": "on",
                }
            )
        else:
            data.update(
                {
                    prefix + "name": member.name,
                    prefix + "relation": member.relation,
                    prefix + "date_of_birth": member.date_of_birth.isoformat()
                    if member.date_of_birth
                    else "",
                    prefix + "document_status": member.document_status,
                    prefix + "special_needs": list(member.special_needs),
                }
            )
            if member.unaccompanied:
                data[prefix + "unaccompanied"] = "on"
    return data, errors, len(stored)


def validated(payload, instance=None, organisations=None, extra=None):
    """(form, formset, None) if the payload is valid, else (None, None, the 422 answer).

    With ``organisations`` (the staff API) the form is the staff page's form; ``extra`` adds its fields."""
    from django.http import QueryDict

    data, errors, stored = form_data(payload, instance)
    data.update(extra or {})
    post = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            post.setlist(key, value)
        else:
            post[key] = "" if value is None else str(value)
    staff = organisations is not None
    form = RegistrationForm(post, instance=instance, staff=staff, organisations=organisations)
    members = MemberFormSet(post, instance=instance, prefix="members")
    valid = form.is_valid() & members.is_valid()
    if not valid or errors:
        errors.update(form_errors(form))
        for index, member_form in enumerate(members.forms[stored:]):
            for field, messages in member_form.errors.items():
                errors[f"household[{index}].{field}"] = [str(m) for m in messages]
        return None, None, invalid(errors)
    return form, members, None


class RowOut(Schema):
    label: str
    value: str


class SectionOut(Schema):
    key: str
    title: str
    rows: list[RowOut]


class RegistrationOut(Schema):
    id: int
    data: dict
    sections: list[SectionOut]


def _mine(registration):
    return {
        "id": registration.pk,
        "data": services.export_data(registration),
        "sections": sections(registration),
    }


def _date(value):
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _label(model, name):
    return str(capfirst(model._meta.get_field(name).verbose_name))


def sections(registration):
    """What is held about the person, as titled sections of label and value, in the active language
    (the page "My data" of the app shows them as they are)."""
    from lifeline.nationals.models import HouseholdMember, need_labels

    lang = translation.get_language()
    r = registration

    def rows(*pairs):
        return [
            {"label": str(label), "value": str(value)} for label, value in pairs if value not in ("", None)
        ]

    document = f"{r.get_document_type_display()}: {r.document_number}" if r.document_number else ""
    identity = rows(
        (_label(Registration, "given_names"), r.given_names),
        (_label(Registration, "family_name"), r.family_name),
        (_("Date of birth"), _date(r.date_of_birth)),
        (_("Nationality"), country_name(r.nationality.code, lang) if r.nationality_id else ""),
        (_("Document"), document),
        (_("Document status"), r.get_document_status_display() if r.document_number else ""),
        (_("Preferred languages"), ", ".join(language_name(code, lang) for code in r.languages or [])),
    )
    contact = r.emergency_contact or {}
    channels = rows(
        (_("Phone"), r.phone),
        (_("Email"), r.email),
        *[(_("Messaging handles"), f"{h.get('type', '')}: {h.get('value', '')}") for h in r.messaging or []],
        (
            _("Emergency contact at home"),
            " · ".join(
                str(v)
                for v in (
                    contact.get("name"),
                    contact.get("relation"),
                    contact.get("phone"),
                    contact.get("email"),
                )
                if v
            ),
        ),
    )
    place = rows(
        (_label(Registration, "country"), country_name(r.country.code, lang)),
        (_("Region or province"), r.area.name if r.area_id else ""),
        (_label(Registration, "city"), r.city),
        (_("Address"), r.address),
        (_("Map point"), r.location),
        (_("Your embassy or consulate"), r.organisation.name if r.organisation_id else ""),
    )
    household = rows(
        *[
            (
                m.name,
                ", ".join(
                    v
                    for v in (
                        str(m.get_relation_display()),
                        _date(m.date_of_birth),
                        str(_("Unaccompanied minor")) if m.unaccompanied else "",
                        *need_labels(m.special_needs),
                    )
                    if v
                ),
            )
            for m in HouseholdMember.objects.filter(registration=r)
        ]
    )
    stay = rows(
        (_label(Registration, "stay_type"), r.get_stay_type_display()),
        (_label(Registration, "arrival"), _date(r.arrival)),
        (_label(Registration, "departure"), _date(r.departure)),
        (_label(Registration, "review_date"), _date(r.review_date)),
        (_("Employer"), r.employer),
        (_("Recruitment agency"), r.recruiter),
        (_("Special needs"), ", ".join(str(n) for n in r.need_labels)),
        (_label(Registration, "needs_details"), r.needs_details),
        (_("Kept until"), _date(r.expires_on)),
    )
    consents = rows(
        *[
            (
                c.get_purpose_display(),
                f"{_('granted') if c.granted else _('withdrawn')} ({_date(c.at)})",
            )
            for c in r.consents.all()
        ]
    )
    latest = services.latest_status(r)
    status = rows(
        (latest["label"], formats.date_format(latest["at"], "DATETIME_FORMAT")) if latest else ("", "")
    )
    out = [
        ("identity", _("Identity"), identity),
        ("contact", _("Contact channels"), channels),
        ("address", _("Where you are staying"), place),
        ("household", _("Household and companions"), household or rows((_("Nobody recorded."), "—"))),
        ("trips", _("Trip"), stay),
        ("consents", _("Consent"), consents or rows((_("No consent recorded."), "—"))),
        ("status", _("Your latest status"), status),
    ]
    return [{"key": key, "title": str(title), "rows": found} for key, title, found in out if found]


@router.get("/me", auth=RegisteredDeviceAuth(), response={200: RegistrationOut, 401: ErrorOut})
def me(request):
    """The person's own registration, in full: it is theirs."""
    return Status(200, _mine(request.registration))


@router.post(
    "/me",
    auth=DeviceAuth(),
    response={200: RegistrationOut, 201: RegistrationOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def register(request, payload: RegistrationIn):
    """Self-registration from a verified device. Retrying with the same idempotency_key returns the first result."""
    device = request.device
    if payload.idempotency_key is not None:
        earlier = Registration.objects.filter(idempotency_key=payload.idempotency_key).first()
        if earlier is not None:
            if earlier.pk != device.registration_id:
                return Status(409, {"detail": _("This submission key was already used.")})
            return Status(200, _mine(earlier))
    if device.registration_id:
        return Status(
            409, {"detail": _("This device is already registered: update the registration instead.")}
        )
    if not services.verified_channel_matches(device, services_phone(payload), payload.email):
        return invalid(
            {device.channel == "email" and "email" or "phone": [_("Give the address you signed in with.")]}
        )
    form, members, error = validated(payload)
    if error is not None:
        return error
    try:
        with transaction.atomic():
            registration = services.save_registration(
                form,
                members,
                language=_language(request, (payload.languages or [""])[0]),
                source=Source.SELF,
                idempotency_key=payload.idempotency_key,
            )
            services.bind_devices(device, registration)
    except services.NoPost as exc:
        return invalid({"country": [str(exc)]})
    except IntegrityError:  # the same key, submitted twice at once
        earlier = Registration.objects.filter(idempotency_key=payload.idempotency_key).first()
        if earlier is None:
            raise
        return Status(200, _mine(earlier))
    return Status(201, _mine(registration))


def services_phone(payload):
    from lifeline.interpreters.tabular import normalise_phone

    try:
        return normalise_phone(payload.phone)
    except Exception:
        return ""


@router.put("/me", auth=RegisteredDeviceAuth(), response={200: RegistrationOut, 422: FieldErrorsOut})
def update_me(request, payload: RegistrationIn):
    registration = request.registration
    form, members, error = validated(payload, registration)
    if error is not None:
        return error
    if not services.verified_channel_matches(
        request.device, form.cleaned_data["phone"], form.cleaned_data["email"]
    ):
        return invalid(
            {
                "email" if request.device.channel == "email" else "phone": [
                    _("Keep the address you signed in with.")
                ]
            }
        )
    form.cleaned_data["organisation"] = None  # the post follows the place of stay
    registration = services.save_registration(
        form, members, language=_language(request, (payload.languages or [""])[0])
    )
    return Status(200, _mine(registration))


@router.post("/me/renew", auth=RegisteredDeviceAuth(), response={200: RegistrationOut})
def renew_me(request):
    services.renew(request.registration)
    return Status(200, _mine(request.registration))


class StatusIn(Schema):
    status: Literal[tuple(ReportedStatus.values)]  # type: ignore[valid-type]
    idempotency_key: uuid.UUID


class StatusOut(Schema):
    id: int
    status: str
    at: datetime.datetime
    duplicate: bool
    detail: str


@router.post("/status", auth=RegisteredDeviceAuth(), response={200: StatusOut, 201: StatusOut})
def report_status(request, payload: StatusIn):
    """ "I am safe" or "I need help" without a check-in asking: the person's latest status, shown to
    their post. (An answer to an open check-in goes to /api/app/checkins.) A retry with the same
    idempotency_key returns the first report (200, duplicate) and changes nothing."""
    with audit.acting_as(None, ip=_ip(request), via="app"):
        report, created = services.report_status(
            request.registration.pk, payload.status, payload.idempotency_key
        )
    if report.status == ReportedStatus.SAFE:
        detail = _("Thank you. Your embassy now knows that you are safe.")
    else:
        detail = _("Your embassy now knows that you need help. Tell them what happened.")
    return Status(
        201 if created else 200,
        {
            "id": report.pk,
            "status": report.status,
            "at": report.at,
            "duplicate": not created,
            "detail": detail,
        },
    )


class DeletedOut(Schema):
    deleted: bool
    detail: str


@router.delete("/me", auth=RegisteredDeviceAuth(), response={200: DeletedOut})
def delete_me(request):
    """Delete everything held about the person; the audit log keeps counts only."""
    services.erase(
        Registration.objects.filter(pk=request.registration.pk), "deleted by the person from the app"
    )
    return Status(
        200, {"deleted": True, "detail": _("Your registration and everything attached to it were deleted.")}
    )


@router.get("/me/export", auth=RegisteredDeviceAuth(), response={200: dict})
def export_me(request):
    """Everything held about the person, as JSON: registration, household, consents and devices."""
    return Status(200, services.export_data(request.registration))


class DeviceOut(Schema):
    id: int
    label: str
    created: datetime.datetime
    last_used: datetime.datetime | None
    current: bool


@router.get("/devices", auth=DeviceAuth(), response=list[DeviceOut])
def devices(request):
    return [
        {
            "id": d.pk,
            "label": d.label,
            "created": d.created,
            "last_used": d.last_used,
            "current": d.pk == request.device.pk,
        }
        for d in services.device_list(request.device)
    ]


@router.delete("/devices/{pk}", auth=DeviceAuth(), response={204: None, 404: ErrorOut})
def revoke_device(request, pk: Id):
    device = get_object_or_404(services.device_list(request.device), pk=pk)
    device.revoked = True
    device.save(update_fields=["revoked"])
    return Status(204, None)


class ConsentIn(Schema):
    purpose: Literal[tuple(Purpose.values)]  # type: ignore[valid-type]
    granted: bool
    language: ShortText = ""
    idempotency_key: uuid.UUID | None = None


class ConsentOut(Schema):
    purpose: str
    granted: bool
    deleted: bool
    warning: str


@router.post("/consents", auth=RegisteredDeviceAuth(), response={200: ConsentOut})
def consent(request, payload: ConsentIn):
    """Grant or withdraw consent for one purpose. Withdrawing consular assistance deletes the registration."""
    registration = request.registration
    if payload.purpose == Purpose.ASSISTANCE and not payload.granted:
        services.erase(
            Registration.objects.filter(pk=registration.pk), "consent to assistance withdrawn in the app"
        )
        warning = _(
            "You withdrew consent to consular assistance, so your registration was deleted. The embassy can no longer reach you in an emergency."
        )
        return Status(
            200, {"purpose": payload.purpose, "granted": False, "deleted": True, "warning": warning}
        )
    granted = set(registration.consents.filter(granted=True).values_list("purpose", flat=True))
    granted = granted | {payload.purpose} if payload.granted else granted - {payload.purpose}
    services.set_consents(registration, granted, _language(request, payload.language))
    return Status(
        200, {"purpose": payload.purpose, "granted": payload.granted, "deleted": False, "warning": ""}
    )
