"""Travel advice in the staff API: list, write drafts, send for approval, approve.

The same write services, scopes and rules as the pages (``lifeline.advice.services``:
``save_advice`` for a new place, ``save_draft`` for a draft's level and texts), and approval by another user than
the author publishes the version and tells subscribers.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import ModelChoiceField
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from lifeline.advice import services
from lifeline.advice.models import AdviceVersion, TravelAdvice
from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    ShortText,
    Text,
    invalid,
    owner_id,
    require,
)
from lifeline.core.errors import Invalid
from lifeline.core.forms import LanguageField
from lifeline.core.models import Action, Area, Organisation
from lifeline.geo.models import AdminArea, Country

AREA = Area.ADVICE
router = Router(tags=["Travel advice"])


class TextIn(Schema):
    language: ShortText
    summary: Text
    safety: Text = ""
    hazards: Text = ""
    health: Text = ""
    laws: Text = ""
    entry: Text = ""
    emergency_numbers: Text = ""
    help: Text = ""


class TextOut(TextIn):
    pass


class DraftIn(Schema):
    organisation: Id | None = None
    country: ShortText  # ISO 3166 alpha-2
    area: ShortText | None = None  # P-code
    region: ShortText = ""
    level: int = Field(ge=1, le=4)
    last_reviewed: datetime.date | None = None
    note: ShortText = ""
    # A level change keeps the summary only when the editor confirms it still holds (else 422).
    summary_confirmed: bool = False
    texts: list[TextIn] = Field(min_length=1, max_length=50)


class VersionOut(Schema):
    id: int
    advice: int
    country: str
    place: str
    number: int
    level: int
    state: str
    last_reviewed: datetime.date
    note: str
    author: str | None
    approver: str | None
    published_at: datetime.datetime | None
    texts: list[TextOut]


class AdviceOut(Schema):
    id: int
    organisation: int
    country: str
    place: str
    latest: VersionOut | None


TEXT_FIELDS = list(TextIn.model_fields)


def _version_out(version):
    return {
        "id": version.pk,
        "advice": version.advice_id,
        "country": version.advice.country.code,
        "place": version.advice.place,
        "number": version.number,
        "level": version.level,
        "state": version.state,
        "last_reviewed": version.last_reviewed,
        "note": version.note,
        "author": version.author.get_username() if version.author else None,
        "approver": version.approver.get_username() if version.approver else None,
        "published_at": version.published_at,
        "texts": [{f: getattr(t, f) for f in TEXT_FIELDS} for t in version.texts.all()],
    }


def _version(request, pk, action=Action.VIEW):
    advice = TravelAdvice.objects.for_user(request.user, action)
    return get_object_or_404(
        AdviceVersion.objects.filter(advice__in=advice).select_related("advice__country", "advice__area"),
        pk=pk,
    )


@router.get("", response=list[AdviceOut])
def list_advice(request):
    require(request, AREA, Action.VIEW)
    found = []
    for advice in TravelAdvice.objects.for_user(request.user).select_related("country", "area")[:1000]:
        latest = (
            advice.versions.select_related("author", "approver")
            .prefetch_related("texts")
            .order_by("-number")
            .first()
        )
        found.append(
            {
                "id": advice.pk,
                "organisation": advice.organisation_id,
                "country": advice.country.code,
                "place": advice.place,
                "latest": _version_out(latest) if latest else None,
            }
        )
    return found


@router.get("/versions/{pk}", response={200: VersionOut, 404: ErrorOut})
def get_version(request, pk: Id):
    require(request, AREA, Action.VIEW)
    return _version_out(_version(request, pk))


def _place(request, payload):
    """The payload's place as plain values (``organisation``, ``country``, ``area`` rows, ``region``),
    and the advice kept for it that the user may change (None when there is none yet)."""
    country = Country.objects.filter(code=payload.country.upper()).first()
    if country is None:
        raise Invalid({"country": ["unknown ISO 3166 alpha-2 code"]})
    area = None
    if payload.area:
        area = AdminArea.objects.filter(pcode=payload.area).first()
        if area is None:
            raise Invalid({"area": ["unknown P-code"]})
    existing = services.twin(country, area, payload.region)
    if existing is not None:
        advice = TravelAdvice.objects.for_user(request.user, Action.CHANGE).filter(pk=existing.pk).first()
        if advice is None:
            raise Invalid({"country": ["another organisation keeps the advice for this place"]})
        return None, advice
    organisation_id = owner_id(request, payload.organisation)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if organisation_id and organisation is None:
        raise Invalid({"organisation": [str(ModelChoiceField.default_error_messages["invalid_choice"])]})
    return {"organisation": organisation, "country": country, "area": area, "region": payload.region}, None


@router.post("/drafts", response={201: VersionOut, 403: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut})
def create_draft(request, payload: DraftIn):
    """A new draft version for a place (the advice is created when there is none yet)."""
    require(request, AREA, Action.CHANGE)
    texts, errors = [], {}
    for index, text in enumerate(payload.texts):
        values = text.dict()
        try:
            values["language"] = LanguageField().clean(text.language)
        except ValidationError as exc:
            values["language"], errors[f"{services.TEXTS}[{index}].language"] = "", list(exc.messages)
        texts.append(values)
    try:
        with transaction.atomic():
            place, advice = _place(request, payload)
            draft = services.save_advice(request.user, place) if advice is None else None
            draft = draft or services.new_draft(advice, request.user)
            values = {
                "level": payload.level,
                "last_reviewed": payload.last_reviewed or draft.last_reviewed,
                "note": payload.note,
                "summary_confirmed": payload.summary_confirmed,
            }
            if errors:  # with the rules' answers on the rest, all at once
                raise Invalid({**services.draft_errors(draft, values, texts), **errors})
            services.save_draft(request.user, draft, values, texts)
    except Invalid as exc:
        return invalid(exc.errors)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    draft.refresh_from_db()
    return Status(201, _version_out(draft))


def _act(request, pk, action):
    require(request, AREA, Action.CHANGE)
    version = _version(request, pk, Action.CHANGE)
    try:
        action(version, request.user)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    version.refresh_from_db()
    return Status(200, _version_out(version))


@router.post("/versions/{pk}/submit", response={200: VersionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def submit_version(request, pk: Id):
    return _act(request, pk, services.submit)


@router.post(
    "/versions/{pk}/approve", response={200: VersionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def approve_version(request, pk: Id):
    """Publish: the approver must be none of those who wrote, changed or submitted the version;
    the previously published version is superseded."""
    return _act(request, pk, services.approve)
