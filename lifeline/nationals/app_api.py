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

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from lifeline.api.common import ErrorOut, FieldErrorsOut, Id, Line, ShortText, Text
from lifeline.core import audit, languages
from lifeline.core.http import client_ip
from lifeline.core.names import country_name, language_name
from lifeline.geo.models import AdminArea, Country
from lifeline.geo.names import area_name
from lifeline.nationals import services
from lifeline.nationals.auth import DeviceAuth, RegisteredDeviceAuth, remember_on_device, speak_to
from lifeline.nationals.models import (
    DocumentStatus,
    DocumentType,
    Purpose,
    Registration,
    Relation,
    ReportedStatus,
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
def signin_verify(request, payload: VerifyIn, response: HttpResponse):
    try:
        raw, registered = services.verify_code(
            payload.channel, payload.address, payload.code, payload.device_label
        )
    except services.SignInError as exc:
        return Status(exc.status, {"detail": str(exc)})
    remember_on_device(response, raw)  # the app's pages show the person's organisation's branding
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
    nationality: ShortText = ""  # ISO 3166 alpha-2; empty: not known
    document_status: Literal[tuple(DocumentStatus.values)] = DocumentStatus.UNKNOWN  # type: ignore[valid-type]
    unaccompanied: bool = False
    special_needs: list[Literal[tuple(SpecialNeed.values)]] = []  # type: ignore[valid-type]


class TripIn(Schema):
    country: ShortText  # ISO 3166 alpha-2
    area: ShortText = ""  # P-code
    start: datetime.date
    end: datetime.date | None = None


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
    trips: list[TripIn] = Field(default=[], max_length=20)
    consents: list[Literal[tuple(Purpose.values)]] = []  # type: ignore[valid-type]


PLAIN = (
    "given_names",
    "family_name",
    "document_type",
    "document_number",
    "document_status",
    "city",
    "address",
    "stay_type",
    "employer",
    "recruiter",
    "needs_details",
    "date_of_birth",
    "arrival",
    "departure",
    "review_date",
)


def _parse(errors, name, field, value):
    """One value through the form field that parses it (phone, email, point, languages…)."""
    try:
        return field.clean(value)
    except ValidationError as exc:
        errors.setdefault(name, []).extend(str(m) for m in exc.messages)
        return None


def _countries(codes):
    codes = {str(c).upper() for c in codes if c}
    return {c.code: c for c in Country.objects.filter(code__in=codes)}


def _areas(pcodes):
    return {a.pcode: a for a in AdminArea.objects.filter(pcode__in=[p for p in pcodes if p])}


def parsed(payload, region=None):
    """The payload as the service takes it: (values, consents, household, trips, errors).

    ``region``: the country a phone number typed as dialled locally is read in (staff API:
    ``core/defaults.phone_region``); without it only international numbers are accepted.

    Only parsing happens here (codes to rows, phones to E.164, language names to codes); the rules
    of a registration are the service's (``services.registration_errors``), and their errors are
    added, so that the person sees everything to correct at once."""
    from django import forms as django_forms

    from lifeline.core.forms import LanguageField, split_entries
    from lifeline.interpreters.forms import MessagingField
    from lifeline.nationals.forms import PhoneField, PointField

    errors = {}
    values = {name: getattr(payload, name) for name in PLAIN}
    countries = _countries(
        [payload.nationality, payload.country]
        + [m.nationality for m in payload.household]
        + [t.country for t in payload.trips]
    )
    areas = _areas([payload.area] + [t.area for t in payload.trips])

    def country(name, code):
        found = countries.get(str(code).upper())
        if found is None:
            errors.setdefault(name, []).append(_("Unknown country code: %(code)s.") % {"code": code})
        return found

    def area(name, pcode):
        if not pcode:
            return None
        found = areas.get(pcode)
        if found is None:
            errors.setdefault(name, []).append(_("Unknown P-code: %(code)s.") % {"code": pcode})
        return found

    values["nationality"] = country("nationality", payload.nationality)
    values["country"] = country("country", payload.country)
    values["area"] = area("area", payload.area)
    values["phone"] = _parse(errors, "phone", PhoneField(region=region), payload.phone) or ""
    values["email"] = _parse(errors, "email", django_forms.EmailField(required=False), payload.email) or ""
    values["location"] = _parse(errors, "location", PointField(), payload.location) or ""
    values["messaging"] = _parse(
        errors, "messaging", MessagingField(), "\n".join(f"{h.type}:{h.value}" for h in payload.messaging)
    )
    # Languages by name in any language ("Tagalog", "árabe") or by code, most preferred first.
    values["languages"] = (
        _parse(
            errors,
            "languages",
            LanguageField(multiple=True, max_items=10, required=False),
            "\n".join(entry for item in payload.languages for entry in split_entries(item)),
        )
        or []
    )
    values["special_needs"] = sorted(set(payload.special_needs))
    contact = payload.emergency_contact
    values["emergency_contact"] = {
        key: value
        for key, value in (
            ("name", contact.name),
            ("relation", contact.relation),
            ("phone", _parse(errors, "emergency_contact.phone", PhoneField(region=region), contact.phone)),
            (
                "email",
                _parse(
                    errors, "emergency_contact.email", django_forms.EmailField(required=False), contact.email
                ),
            ),
        )
        if value
    }
    household = [
        {
            "name": m.name,
            "relation": m.relation,
            "date_of_birth": m.date_of_birth,
            "nationality": country(f"household[{index}].nationality", m.nationality)
            if m.nationality
            else None,
            "document_status": m.document_status,
            "unaccompanied": m.unaccompanied,
            "special_needs": sorted(set(m.special_needs)),
        }
        for index, m in enumerate(payload.household)
    ]
    trips = [
        {
            "country": country(f"trips[{index}].country", t.country),
            "area": area(f"trips[{index}].area", t.area),
            "start": t.start,
            "end": t.end,
        }
        for index, t in enumerate(payload.trips)
    ]
    consents = list(payload.consents)
    for field, messages in services.registration_errors(values, consents, household, trips).items():
        errors.setdefault(field, []).extend(messages)
    return values, consents, household, trips, errors


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
        (_("Region or province"), area_name(r.area, lang) if r.area_id else ""),
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
                        country_name(m.nationality.code, lang) if m.nationality_id else "",
                        str(_("Unaccompanied minor")) if m.unaccompanied else "",
                        *(str(label) for label in need_labels(m.special_needs)),
                    )
                    if v
                ),
            )
            for m in HouseholdMember.objects.filter(registration=r).select_related("nationality")
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
        *[
            (
                _("Trip to %(country)s") % {"country": country_name(t.country.code, lang)},
                " · ".join(
                    v
                    for v in (
                        area_name(t.area, lang) if t.area_id else "",
                        _("from %(start)s") % {"start": _date(t.start)},
                        _("until %(end)s") % {"end": _date(t.end)} if t.end else "",
                    )
                    if v
                ),
            )
            for t in r.trips.select_related("country", "area")
        ],
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
        ("trips", _("Stay and trips"), stay),
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
    values, consents, household, trips, errors = parsed(payload)
    if errors:
        return invalid(errors)
    try:
        registration, created = services.register(
            request.device,
            values,
            consents=consents,
            household=household,
            trips=trips,
            language=_language(request, (payload.languages or [""])[0]),
            idempotency_key=payload.idempotency_key,
        )
    except services.Refused as exc:
        return Status(409, {"detail": str(exc)})
    except services.Invalid as exc:
        return invalid(exc.errors)
    except services.NoPost as exc:
        return invalid({"country": [str(exc)]})
    return Status(201 if created else 200, _mine(registration))


@router.put("/me", auth=RegisteredDeviceAuth(), response={200: RegistrationOut, 422: FieldErrorsOut})
def update_me(request, payload: RegistrationIn):
    values, consents, household, trips, errors = parsed(payload)
    if errors:
        return invalid(errors)
    try:
        registration = services.update_registration(
            request.device,
            request.registration,
            values,
            consents=consents,
            household=household,
            trips=trips,
            language=_language(request, (payload.languages or [""])[0]),
        )
    except services.Invalid as exc:
        return invalid(exc.errors)
    except services.NoPost as exc:
        return invalid({"country": [str(exc)]})
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
