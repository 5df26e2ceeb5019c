"""Key contacts in the JSON API: the same write services (``directory/services``), scopes and audit
as the pages; the schemas only parse."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    Line,
    ReportOut,
    ShortText,
    Text,
    area_rows,
    etag,
    invalid,
    language_rows,
    matched_version,
    owner_id,
    require,
    run_export,
    run_import,
)
from lifeline.core import disclosure
from lifeline.core.models import Action, Area, Organisation
from lifeline.directory import services
from lifeline.directory.models import (
    ChannelType,
    ContactCategory,
    ContactKind,
    KeyContact,
    TrustLevel,
)
from lifeline.directory.tabular import ContactSchema
from lifeline.geo.models import AdminArea

AREA = Area.CONTACTS
router = Router(tags=["key contacts"])


class Channel(Schema):
    type: Literal[tuple(ChannelType.values)]  # type: ignore[valid-type]
    value: Line


class ContactIn(Schema):
    organisation: Id | None = None
    name: ShortText
    kind: Literal[tuple(ContactKind.values)] = ContactKind.ORGANISATION  # type: ignore[valid-type]
    category: Literal[tuple(ContactCategory.values)] = ContactCategory.OTHER  # type: ignore[valid-type]
    affiliation: ShortText = ""
    role_title: ShortText = ""
    languages: list[ShortText] = []
    channels: list[Channel] = []
    coverage_areas: list[ShortText] = []
    coverage_note: ShortText = ""
    available_24_7: bool = False
    trust_level: Literal[tuple(TrustLevel.values)] = TrustLevel.UNKNOWN  # type: ignore[valid-type]
    capacity: ShortText = ""
    # No agreement status here: it is derived from the agreements that name the contact (plans).
    last_verified: datetime.date | None = None
    notes: Text = ""


class ContactOut(Schema):
    id: int
    organisation: int
    name: str
    kind: str
    category: str
    affiliation: str
    role_title: str
    languages: list[str]
    channels: list[Channel] | None
    coverage_areas: list[str]
    coverage_note: str
    available_24_7: bool
    trust_level: str
    capacity: str
    agreement_status: str
    agreement_date: datetime.date | None
    last_verified: datetime.date | None
    needs_verification: bool
    notes: str


class ContactFilter(Schema):
    q: ShortText = ""
    category: Literal[("",) + tuple(ContactCategory.values)] = ""  # type: ignore[valid-type]
    language: ShortText = ""
    area: ShortText = ""
    trust: Literal[("",) + tuple(TrustLevel.values)] = ""  # type: ignore[valid-type]
    h24: bool = False
    stale: bool = False


def _out(contact, personal):
    return {
        "id": contact.pk,
        "organisation": contact.organisation_id,
        **{
            f: getattr(contact, f)
            for f in (
                "name",
                "kind",
                "category",
                "affiliation",
                "role_title",
                "coverage_note",
                "available_24_7",
                "trust_level",
                "capacity",
                "agreement_status",
                "agreement_date",
                "last_verified",
                "needs_verification",
                "notes",
            )
        },
        "languages": [lang.code for lang in contact.languages.all()],
        "coverage_areas": [a.pcode for a in contact.coverage_areas.all()],
        "channels": contact.channels if personal else None,
    }


def _values(request, payload: ContactIn, instance=None):
    """The payload as plain values for ``services.save_contact``, and what in it names nothing."""
    errors = {}
    organisation_id = owner_id(request, payload.organisation, instance)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if organisation_id and organisation is None:
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    languages, errors["languages"] = language_rows(payload.languages)
    areas, errors["coverage_areas"] = area_rows(payload.coverage_areas)
    values = payload.dict()
    values.update(
        organisation=organisation,
        languages=languages,
        channels=[{"type": c.type, "value": c.value} for c in payload.channels],
        coverage_areas=areas,
    )
    return values, {name: found for name, found in errors.items() if found}


def _save(request, payload, instance=None, response=None):
    version = matched_version(request, instance) if instance is not None else ""
    values, errors = _values(request, payload, instance)
    if errors:  # with the rules' answers on the rest, as the page gives them all at once
        return invalid(
            services.in_order({**services.contact_errors(request.user, instance, values), **errors})
        )
    try:
        contact = services.save_contact(request.user, instance, values, version=version)
    except services.Invalid as exc:
        return invalid(exc.errors)
    if response is not None:
        etag(response, contact)
    return Status((200 if instance else 201), _out(contact, True))


@router.get("", response=list[ContactOut])
@paginate(LimitOffsetPagination)
def list_contacts(request, filters: Query[ContactFilter]):
    require(request, AREA, Action.VIEW)
    queryset = KeyContact.objects.for_user(request.user).prefetch_related("languages", "coverage_areas")
    area = AdminArea.objects.filter(pcode=filters.area).first() if filters.area else None
    if filters.area and area is None:
        return KeyContact.objects.none()
    data = filters.dict()
    data["area"] = area
    return [_out(c, False) for c in services.search_contacts(queryset, **data).order_by("name", "pk")]


@router.post("", response={201: ContactOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_contact(request, payload: ContactIn):
    require(request, AREA, Action.CHANGE)
    return _save(request, payload)


@router.get("/export", response={200: None, 403: ErrorOut})
def export_contacts(
    request, filters: Query[ContactFilter], format: Literal["csv", "xlsx"] = "csv", hxl: bool = False
):
    require(request, AREA, Action.VIEW)
    queryset = KeyContact.objects.for_user(request.user)
    data = filters.dict()
    data["area"] = AdminArea.objects.filter(pcode=filters.area).first() if filters.area else None
    return run_export(request, ContactSchema(), AREA, services.search_contacts(queryset, **data), format, hxl)


@router.post("/import", response={200: ReportOut, 400: ReportOut, 403: ErrorOut})
def import_contacts(
    request, file: File[UploadedFile], organisation: Form[Id | None] = None, dry_run: Form[bool] = False
):
    return run_import(request, ContactSchema(), AREA, file, organisation, dry_run)


@router.get("/{pk}", response={200: ContactOut, 404: ErrorOut})
def get_contact(request, pk: Id, response: HttpResponse):
    contact = get_object_or_404(KeyContact.objects.for_user(request.user), pk=pk)
    etag(response, contact)
    see = disclosure.to(request.user, contact)  # directory/disclosure.py
    see.audit(contact)
    return Status(200, _out(contact, see.allowed))


@router.put(
    "/{pk}", response={200: ContactOut, 404: ErrorOut, 412: ErrorOut, 422: FieldErrorsOut, 403: ErrorOut}
)
def update_contact(request, pk: Id, payload: ContactIn, response: HttpResponse):
    contact = get_object_or_404(KeyContact.objects.for_user(request.user, Action.CHANGE), pk=pk)
    if contact.channels:
        disclosure.require(request.user, contact)  # no editing what one may not see
    return _save(request, payload, instance=contact, response=response)


@router.delete("/{pk}", response={204: None, 404: ErrorOut, 409: ErrorOut})
def delete_contact(request, pk: Id):
    contact = get_object_or_404(KeyContact.objects.for_user(request.user, Action.CHANGE), pk=pk)
    try:
        services.delete_contact(request.user, contact)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(204, None)
