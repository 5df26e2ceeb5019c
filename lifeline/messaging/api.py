"""Messaging in the JSON API: start a send, preview its audience, follow its counts.

The same services as the pages: ``start_send`` checks the audience against the
token's user (an organisation they may not reach, or nationals for an
immigration authority, is a 422 that changes nothing).
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
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
    invalid,
    organisation_for,
    require,
)
from lifeline.core.models import Action, Area
from lifeline.messaging import services
from lifeline.messaging.models import Send

AREA = Area.MESSAGING
router = Router(tags=["Messaging"])
ChannelName = Literal["push", "sms", "email", "manual"]


class TextIn(Schema):
    subject: ShortText = ""
    body: Text
    short: ShortText = ""


class SendIn(Schema):
    organisation: Id | None = None
    name: ShortText
    audience: dict = Field(
        description='An audience definition: {"kind": "subscribers", "area_ids": [...]} and so on.'
    )
    texts: dict[ShortText, TextIn] = Field(min_length=1, max_length=50)
    channels: list[ChannelName] = Field(min_length=1, max_length=4)
    fallback_languages: list[ShortText] = Field(default_factory=list, max_length=10)


class PreviewIn(Schema):
    audience: dict
    texts: dict[ShortText, TextIn] = Field(default_factory=dict, max_length=50)
    channels: list[ShortText] = Field(default_factory=list, max_length=4)


class PreviewOut(Schema):
    total: int
    reachable: int
    by_language: dict[str, int]
    by_channel: dict[str, int]
    missing_languages: dict[str, int]
    interpreters: list[dict]
    sms: dict[str, dict]
    refusal: str


class SendOut(Schema):
    id: int
    name: str
    organisation: int
    status: str
    channels: list[str]
    languages: list[str]
    total: int | None
    created: str


class CountsOut(Schema):
    status: str
    total: int
    resolved: bool
    done: int
    percent: int
    states: dict[str, int]
    channels: dict[str, dict[str, int]]
    languages: dict[str, dict[str, int]]


def _out(send):
    return {
        "id": send.pk,
        "name": send.name,
        "organisation": send.organisation_id,
        "status": send.status,
        "channels": send.channels,
        "languages": list(send.texts),
        "total": send.total,
        "created": send.created.isoformat(),
    }


def _texts(texts):
    return {code: text.dict() for code, text in texts.items()}


@router.get("/sends", response=list[SendOut])
@paginate(LimitOffsetPagination)
def list_sends(request):
    require(request, AREA, Action.VIEW)
    return Mapped(Send.objects.for_user(request.user), _out)


@router.post("/sends", response={201: SendOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_send(request, payload: SendIn):
    require(request, AREA, Action.CHANGE)
    organisation = organisation_for(request, payload.organisation, AREA)
    try:
        with transaction.atomic():
            send = services.start_send(
                organisation=organisation,
                user=request.user,
                name=payload.name,
                audience=payload.audience,
                texts=_texts(payload.texts),
                channels=payload.channels,
                fallback_languages=payload.fallback_languages,
                source="api",
            )
    except ValidationError as exc:
        return invalid({"__all__": [str(m) for m in exc.messages]})
    send.refresh_from_db()
    return Status(201, _out(send))


@router.post("/preview", response={200: PreviewOut, 422: FieldErrorsOut, 403: ErrorOut})
def preview(request, payload: PreviewIn):
    """Recipients per language and per first channel, the languages they prefer that the texts lack,
    interpreters for those, SMS parts per language, and why a send would be refused (with ``channels``)."""
    require(request, AREA, Action.CHANGE)
    try:
        channels = services.clean_channels(payload.channels) if payload.channels else None
        return services.preview_audience(
            payload.audience, _texts(payload.texts), user=request.user, channels=channels
        )
    except ValidationError as exc:
        return invalid({"__all__": [str(m) for m in exc.messages]})


@router.get("/sends/{pk}", response={200: SendOut, 404: ErrorOut})
def get_send(request, pk: Id):
    return _out(get_object_or_404(Send.objects.for_user(request.user), pk=pk))


@router.get("/sends/{pk}/counts", response={200: CountsOut, 404: ErrorOut})
def send_counts(request, pk: Id):
    """Live counts by state, channel and language (the dashboard's numbers)."""
    return services.counts(get_object_or_404(Send.objects.for_user(request.user), pk=pk))
