"""Community profiles in the JSON API: the same write services (``communities/services``), scopes,
versions and audit as the pages; the schemas only parse."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    Mapped,
    Number,
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
from lifeline.communities import services
from lifeline.communities.forms import CommunityFilterForm
from lifeline.communities.models import CommunityProfile, Housing, Level, Sector, Vulnerability
from lifeline.communities.tabular import CommunitySchema
from lifeline.core.forms import CountryField
from lifeline.core.models import Action, Area, Organisation
from lifeline.directory.models import KeyContact
from lifeline.geo.models import AdminArea

AREA = Area.COMMUNITIES
router = Router(tags=["community profiles"])

TEXT_FIELDS = (
    "name",
    "ethnicity",
    "literacy_notes",
    "size_source",
    "locations_note",
    "housing",
    "vulnerability_notes",
    "networks",
    "trusted_channels",
    "media",
    "apps",
    "religious_needs",
    "dietary_needs",
    "cultural_needs",
    "fear_of_enforcement",
    "past_emergency_experience",
    "consular_presence",
)
NUMBER_FIELDS = (
    "literacy_rate",
    "estimated_size",
    "female_pct",
    "children_pct",
    "elderly_pct",
    "phone_use_pct",
    "smartphone_pct",
)


class CommunityIn(Schema):
    organisation: Id | None = None
    name: ShortText
    origin_countries: list[ShortText] = []  # ISO 3166 codes (alpha-2 or alpha-3)
    ethnicity: ShortText = ""
    languages: list[ShortText] = []  # ISO 639 codes
    literacy_rate: Number | None = None
    literacy_notes: ShortText = ""
    estimated_size: Number | None = None
    size_source: ShortText = ""
    size_date: datetime.date | None = None
    female_pct: Number | None = None
    children_pct: Number | None = None
    elderly_pct: Number | None = None
    areas: list[ShortText] = []  # P-codes
    locations_note: ShortText = ""
    sectors: list[Literal[tuple(Sector.values)]] = []  # type: ignore[valid-type]
    housing: Literal[("",) + tuple(Housing.values)] = ""  # type: ignore[valid-type]
    vulnerabilities: list[Literal[tuple(Vulnerability.values)]] = []  # type: ignore[valid-type]
    vulnerability_notes: Text = ""
    networks: Text = ""
    focal_points: list[Id] = []  # key contact ids
    reached_by: list[Id] = []  # key contact ids
    trusted_channels: ShortText = ""
    media: ShortText = ""
    phone_use_pct: Number | None = None
    smartphone_pct: Number | None = None
    apps: ShortText = ""
    religious_needs: ShortText = ""
    dietary_needs: ShortText = ""
    cultural_needs: ShortText = ""
    fear_of_enforcement: Literal[tuple(Level.values)] = Level.UNKNOWN  # type: ignore[valid-type]
    past_emergency_experience: Text = ""
    consular_presence: ShortText = ""
    note: ShortText = ""  # what changed: kept with the version this save records


class CommunityOut(Schema):
    id: int
    organisation: int
    version: int
    name: str
    origin_countries: list[str]
    ethnicity: str
    languages: list[str]
    literacy_rate: int | None
    literacy_notes: str
    estimated_size: int | None
    size_source: str
    size_date: datetime.date | None
    female_pct: int | None
    children_pct: int | None
    elderly_pct: int | None
    areas: list[str]
    locations_note: str
    sectors: list[str]
    housing: str
    vulnerabilities: list[str]
    vulnerability_notes: str
    networks: str
    focal_points: list[int]
    reached_by: list[int]
    trusted_channels: str
    media: str
    phone_use_pct: int | None
    smartphone_pct: int | None
    apps: str
    religious_needs: str
    dietary_needs: str
    cultural_needs: str
    fear_of_enforcement: str
    past_emergency_experience: str
    consular_presence: str


class CommunityFilter(Schema):
    q: ShortText = ""
    area: ShortText = ""  # P-code
    language: ShortText = ""  # ISO 639 code
    origin: ShortText = ""  # ISO 3166 code
    no_focal_point: bool = False


def _out(profile):
    return {
        "id": profile.pk,
        "organisation": profile.organisation_id,
        "version": profile.version,
        **{f: getattr(profile, f) for f in TEXT_FIELDS + NUMBER_FIELDS + ("size_date",)},
        "sectors": list(profile.sectors or []),
        "vulnerabilities": list(profile.vulnerabilities or []),
        "origin_countries": sorted(c.code for c in profile.origin_countries.all()),
        "languages": sorted(lang.code for lang in profile.languages.all()),
        "areas": sorted(a.pcode for a in profile.areas.all()),
        "focal_points": sorted(c.pk for c in profile.focal_points.all()),
        "reached_by": sorted(c.pk for c in profile.reached_by.all()),
    }


def _values(request, payload: CommunityIn, instance=None):
    """The payload as plain values for ``services.save_profile``, and what in it names nothing."""
    errors = {}
    organisation_id = owner_id(request, payload.organisation, instance)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if organisation_id and organisation is None:
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    values = payload.dict()
    values.pop("note")
    try:
        countries = CountryField(multiple=True, model=True, required=False)
        values["origin_countries"] = list(countries.clean(", ".join(payload.origin_countries)))
    except ValidationError as exc:
        values["origin_countries"], errors["origin_countries"] = [], [str(m) for m in exc.messages]
    values["languages"], errors["languages"] = language_rows(payload.languages)
    values["areas"], errors["areas"] = area_rows(payload.areas)
    for name in ("focal_points", "reached_by"):
        ids = getattr(payload, name)
        found = KeyContact.objects.in_bulk(ids)
        if missing := [pk for pk in ids if pk not in found]:
            message = ModelMultipleChoiceField.default_error_messages["invalid_choice"]
            errors[name] = [str(message) % {"value": missing[0]}]
        values[name] = [found[pk] for pk in ids if pk in found]
    values["organisation"] = organisation
    return values, {name: found for name, found in errors.items() if found}


def _save(request, payload, instance=None, response=None):
    version = matched_version(request, instance) if instance is not None else ""
    values, errors = _values(request, payload, instance)
    if errors:  # with the rules' answers on the rest, as the page gives them all at once
        return invalid({**services.profile_errors(request.user, instance, values), **errors})
    try:
        profile = services.save_profile(request.user, instance, values, note=payload.note, version=version)
    except services.Invalid as exc:
        return invalid(exc.errors)
    if response is not None:
        etag(response, profile)
    return Status((200 if instance else 201), _out(profile))


def _filtered(request, filters: CommunityFilter, shared=True):
    """The profiles the filters select, through the page's filter form; a value naming nothing selects nothing.

    Read as the pages read them (``readable_by``: shared knowledge included);
    ``shared=False`` keeps to the user's own scope (the export, which names focal points)."""
    manager = CommunityProfile.objects
    queryset = manager.readable_by(request.user) if shared else manager.for_user(request.user)
    data = filters.dict()
    if filters.area:
        data["area"] = AdminArea.objects.filter(pcode=filters.area).values_list("pk", flat=True).first()
        if data["area"] is None:
            return queryset.none()
    form = CommunityFilterForm(data)
    if not form.is_valid():
        return queryset.none()
    return services.search_communities(queryset, **form.cleaned_data).order_by("name", "pk")


@router.get("", response=list[CommunityOut])
@paginate(LimitOffsetPagination)
def list_communities(request, filters: Query[CommunityFilter]):
    require(request, AREA, Action.VIEW)
    queryset = _filtered(request, filters).prefetch_related(
        "origin_countries", "languages", "areas", "focal_points", "reached_by"
    )
    return Mapped(queryset, _out)


@router.post("", response={201: CommunityOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_community(request, payload: CommunityIn):
    require(request, AREA, Action.CHANGE)
    return _save(request, payload)


@router.get("/export", response={200: None, 403: ErrorOut})
def export_communities(
    request, filters: Query[CommunityFilter], format: Literal["csv", "xlsx"] = "csv", hxl: bool = False
):
    require(request, AREA, Action.VIEW)
    return run_export(
        request, CommunitySchema(), AREA, _filtered(request, filters, shared=False), format, hxl
    )


@router.post("/import", response={200: ReportOut, 400: ReportOut, 403: ErrorOut})
def import_communities(
    request, file: File[UploadedFile], organisation: Form[Id | None] = None, dry_run: Form[bool] = False
):
    # Focal points and contacts who reach a community are matched by name among the
    # key contacts of the organisation imported into; every written profile gets a version.
    return run_import(request, CommunitySchema(), AREA, file, organisation, dry_run)


@router.get("/{pk}", response={200: CommunityOut, 404: ErrorOut})
def get_community(request, pk: Id, response: HttpResponse):
    profile = get_object_or_404(CommunityProfile.objects.readable_by(request.user), pk=pk)
    etag(response, profile)
    return Status(200, _out(profile))


@router.put(
    "/{pk}", response={200: CommunityOut, 404: ErrorOut, 412: ErrorOut, 422: FieldErrorsOut, 403: ErrorOut}
)
def update_community(request, pk: Id, payload: CommunityIn, response: HttpResponse):
    require(request, AREA, Action.CHANGE)
    profile = get_object_or_404(CommunityProfile.objects.for_user(request.user, Action.CHANGE), pk=pk)
    return _save(request, payload, instance=profile, response=response)


@router.delete("/{pk}", response={204: None, 404: ErrorOut, 403: ErrorOut, 409: ErrorOut})
def delete_community(request, pk: Id):
    require(request, AREA, Action.CHANGE)
    profile = get_object_or_404(CommunityProfile.objects.for_user(request.user, Action.CHANGE), pk=pk)
    try:
        services.delete_profile(request.user, profile)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(204, None)
