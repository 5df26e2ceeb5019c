"""Crises and check-ins in the staff API: the same scopes, services and audit as the pages.

A crisis is declared through ``services.save_crisis``, as on the page (the same rules
for polygons, circles, areas and countries); the schema only reads the payload. Figures, campaigns and answers go through
``lifeline.crises.services``. Only the lead (and organisations above it) change a
crisis; posts of the same ministry whose jurisdiction meets it read it.
"""

import datetime
import json
import math
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.forms import FloatField, ModelChoiceField
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    Mapped,
    ShortText,
    Text,
    area_ids,
    invalid,
    owner_id,
    require,
)
from lifeline.core.errors import Invalid
from lifeline.core.models import Action, Area, Organisation
from lifeline.core.permissions import get_for_user, people_q
from lifeline.crises import services
from lifeline.crises.models import CheckInCampaign, CheckInRequest, CheckInStatus, Crisis, CrisisType, Phase
from lifeline.geo.models import AdminArea, Country

AREA = Area.CRISES
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]  # ISO 3166 alpha-2
router = Router(tags=["Crises and check-ins"])


class CrisisOut(Schema):
    id: int
    name: str
    type: str
    phase: str
    status: str
    organisation: int
    country: str
    started: datetime.datetime
    closed: datetime.datetime | None
    description: str
    geometry: dict[str, Any] | None
    circle_lat: float | None
    circle_lon: float | None
    circle_radius_km: float | None
    areas: list[str]
    countries: list[str]
    member_count: int
    counted: datetime.datetime | None


class CrisisIn(Schema):
    name: ShortText
    type: Literal[tuple(CrisisType.values)]  # type: ignore[valid-type]
    phase: Literal[tuple(Phase.values)] = Phase.PRECAUTIONARY  # type: ignore[valid-type]
    organisation: Id | None = None
    country: CountryCode
    description: Text = ""
    geometry: dict[str, Any] | None = None
    circle_lat: float | None = None
    circle_lon: float | None = None
    circle_radius_km: float | None = None
    areas: list[ShortText] = Field(default=[], max_length=500)
    countries: list[CountryCode] = Field(default=[], max_length=300)


def _to_dict(crisis):
    return {
        "id": crisis.pk,
        "name": crisis.name,
        "type": crisis.type,
        "phase": crisis.phase,
        "status": crisis.status,
        "organisation": crisis.organisation_id,
        "country": crisis.country.code,
        "started": crisis.started,
        "closed": crisis.closed,
        "description": crisis.description,
        "geometry": json.loads(crisis.geometry) if crisis.geometry else None,
        "circle_lat": crisis.circle_lat,
        "circle_lon": crisis.circle_lon,
        "circle_radius_km": crisis.circle_radius_km,
        "areas": [a.pcode for a in crisis.areas.all()],
        "countries": [c.code for c in crisis.countries.all()],
        "member_count": crisis.member_count,
        "counted": crisis.counted,
    }


def _crises(request):
    return (
        Crisis.objects.for_user(request.user).select_related("country").prefetch_related("areas", "countries")
    )


@router.get("", response=list[CrisisOut])
@paginate(LimitOffsetPagination)
def list_crises(request, status: Literal["active", "closed"] | None = None):
    require(request, AREA, Action.VIEW)
    queryset = _crises(request)
    if status:
        queryset = queryset.filter(status=status)
    return Mapped(queryset, _to_dict)


@router.get("/{int:crisis_id}", response={200: CrisisOut, 404: ErrorOut})
def get_crisis(request, crisis_id: Id):
    require(request, AREA, Action.VIEW)
    return _to_dict(get_object_or_404(_crises(request), pk=crisis_id))


@router.post("", response={201: CrisisOut, 422: FieldErrorsOut})
def create_crisis(request, payload: CrisisIn):
    require(request, AREA, Action.CHANGE)
    countries = {
        c.code: c
        for c in Country.objects.filter(
            code__in=[payload.country.upper(), *[c.upper() for c in payload.countries]]
        )
    }
    found_areas, missing = area_ids(payload.areas)
    errors = {}
    if payload.country.upper() not in countries:
        errors["country"] = ["unknown ISO 3166 code"]
    unknown = [c for c in payload.countries if c.upper() not in countries]
    if unknown:
        errors["countries"] = [f"unknown: {', '.join(unknown)}"]
    if missing:
        errors["areas"] = [f"unknown P-codes: {', '.join(missing)}"]
    if errors:
        return invalid(errors)
    organisation_id = owner_id(request, payload.organisation)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if organisation_id and organisation is None:
        return invalid({"organisation": [str(ModelChoiceField.default_error_messages["invalid_choice"])]})
    try:  # read as the page reads an upload: at most 5 MB
        geometry = services.read_geojson(json.dumps(payload.geometry)) if payload.geometry else None
    except ValidationError as exc:
        return invalid({"geometry": [str(m) for m in exc.messages]})
    not_numbers = {
        name: [str(FloatField.default_error_messages["invalid"])]
        for name in ("circle_lat", "circle_lon", "circle_radius_km")
        if getattr(payload, name) is not None and not math.isfinite(getattr(payload, name))
    }
    if not_numbers:
        return invalid(not_numbers)
    by_pk = AdminArea.objects.in_bulk(found_areas)
    values = {
        "name": payload.name.strip(),
        "type": payload.type,
        "phase": payload.phase,
        "organisation": organisation,
        "country": countries[payload.country.upper()],
        "description": payload.description.strip(),
        "geometry": geometry,
        "circle_lat": payload.circle_lat,
        "circle_lon": payload.circle_lon,
        "circle_radius_km": payload.circle_radius_km,
        "areas": [by_pk[pk] for pk in dict.fromkeys(found_areas)],
        "countries": list(dict.fromkeys(countries[c.upper()] for c in payload.countries)),
    }
    try:
        crisis = services.save_crisis(request.user, None, values)
    except Invalid as exc:
        return invalid(exc.errors)
    return Status(201, _to_dict(crisis))


@router.get("/{int:crisis_id}/figures", response={200: dict[str, Any], 404: ErrorOut})
def crisis_figures(request, crisis_id: Id):
    crisis = get_for_user(Crisis, request.user, crisis_id)
    return services.figures(crisis)


@router.post("/{int:crisis_id}/recount", response={200: CrisisOut, 404: ErrorOut})
def recount(request, crisis_id: Id):
    require(request, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, crisis_id, Action.CHANGE)
    services.materialise(crisis)
    return _to_dict(crisis)


@router.post("/{int:crisis_id}/close", response={200: CrisisOut, 404: ErrorOut})
def close(request, crisis_id: Id):
    require(request, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, crisis_id, Action.CHANGE)
    return _to_dict(services.close_crisis(crisis))


class CampaignIn(Schema):
    messages: dict[ShortText, Text] = Field(min_length=1, max_length=50)


class BoardOut(Schema):
    campaign: int
    crisis: int
    started: datetime.datetime
    closed: datetime.datetime | None
    counts: dict[str, int]
    # Of "no_answer": those sent no message at all, who see the question in the app only (phone them first).
    no_answer_app_only: int = 0


def _board(campaign, user):
    people = people_q(user, AREA, "registration__organisation")
    return {
        "campaign": campaign.pk,
        "crisis": campaign.crisis_id,
        "started": campaign.started,
        "closed": campaign.closed,
        "counts": services.board_counts(campaign, people),
        "no_answer_app_only": services.board_app_only_count(campaign, people),
    }


@router.post("/{int:crisis_id}/campaigns", response={201: BoardOut, 404: ErrorOut, 422: ErrorOut})
def start_campaign(request, crisis_id: Id, payload: CampaignIn):
    require(request, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, request.user, crisis_id, Action.CHANGE)
    from lifeline.core.names import normalise_language

    messages = {}
    for code, text in payload.messages.items():
        language = normalise_language(code)
        if not language:
            return Status(422, {"detail": f"messages: not a language code: {code[:40]}"})
        messages[language] = text
    try:
        campaign = services.start_campaign(crisis, messages, request.user)
    except ValidationError as exc:
        return Status(422, {"detail": " ".join(exc.messages)})
    return Status(201, _board(campaign, request.user))


def _campaign(request, campaign_id, action=Action.VIEW):
    campaign = get_object_or_404(CheckInCampaign, pk=campaign_id)
    get_for_user(Crisis, request.user, campaign.crisis_id, action)
    return campaign


@router.get("/campaigns/{int:campaign_id}/board", response={200: BoardOut, 404: ErrorOut})
def board(request, campaign_id: Id):
    require(request, AREA, Action.VIEW)
    return _board(_campaign(request, campaign_id), request.user)


class StaffAnswerIn(Schema):
    answer: Literal[tuple(v for v in CheckInStatus.values if v != CheckInStatus.NO_ANSWER)]  # type: ignore[valid-type]
    via: Literal["phone", "staff"] = "phone"
    note: Text = ""


class AnswerOut(Schema):
    id: int
    request: int
    answer: str
    via: str
    at: datetime.datetime


@router.post(
    "/campaigns/{int:campaign_id}/requests/{int:request_id}/answer",
    response={201: AnswerOut, 404: ErrorOut, 409: ErrorOut},
)
def log_answer(request, campaign_id: Id, request_id: Id, payload: StaffAnswerIn):
    require(request, AREA, Action.CHANGE)
    campaign = _campaign(request, campaign_id, Action.CHANGE)
    checkin = get_object_or_404(
        CheckInRequest.objects.filter(people_q(request.user, AREA, "registration__organisation")),
        pk=request_id,
        campaign=campaign,
    )
    if campaign.closed is not None:
        return Status(409, {"detail": "This campaign is closed."})
    answer = services.record_answer(
        payload.answer, payload.via, request=checkin, note=payload.note, user=request.user
    ).answer
    return Status(
        201,
        {"id": answer.pk, "request": checkin.pk, "answer": answer.answer, "via": answer.via, "at": answer.at},
    )
