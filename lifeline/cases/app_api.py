"""Assistance requests in the nationals' app, mounted at /api/app/requests (device-token auth).

A person sees only their own requests, with the messages exchanged with the post;
internal notes are never read here. A submission carries an idempotency key, so
that an app retrying on a bad network never opens the same case twice.
"""

import datetime
from typing import Annotated, Literal

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, StringConstraints

from lifeline.api.common import ErrorOut, Id, ShortText, Text
from lifeline.cases import services
from lifeline.cases.models import Case, CaseSource, Category, Direction
from lifeline.cases.services import CaseError
from lifeline.core import audit
from lifeline.core.http import client_ip
from lifeline.nationals.auth import RegisteredDeviceAuth

router = Router(tags=["App for nationals"], auth=RegisteredDeviceAuth())

IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{8,80}$")]


class RequestIn(Schema):
    category: Literal[tuple(Category.values)]  # type: ignore[valid-type]
    summary: Annotated[Text, Field(min_length=1)]
    location: ShortText = ""  # "lat,lon"
    idempotency_key: IdempotencyKey | None = None


class MessageIn(Schema):
    text: Annotated[Text, Field(min_length=1)]
    idempotency_key: IdempotencyKey | None = None


class MessageOut(Schema):
    id: int
    direction: str  # "in": from the person; "out": from the post
    text: str
    created: datetime.datetime
    read_at: datetime.datetime | None


class RequestOut(Schema):
    id: int
    reference: str
    category: str
    category_label: str
    status: str
    status_label: str
    summary: str
    location: str
    has_photo: bool
    created: datetime.datetime
    updated: datetime.datetime
    messages: list[MessageOut]


def _out(case):
    return {
        "id": case.pk,
        "reference": case.reference,
        "category": case.category,
        "category_label": str(case.get_category_display()),
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "summary": case.summary,
        "location": case.location,
        "has_photo": bool(case.photo),
        "created": case.created,
        "updated": case.updated,
        "messages": [
            {"id": m.pk, "direction": m.direction, "text": m.text, "created": m.created, "read_at": m.read_at}
            for m in case.messages.all()  # the exchange only: internal notes are another model, never read here
        ],
    }


def _own(request):
    return Case.objects.filter(registration=request.registration, merged_into__isnull=True)


def _acting(request):
    return audit.acting_as(None, ip=client_ip(request), via="app")


@router.post("", response={200: RequestOut, 201: RequestOut, 422: ErrorOut})
def submit_request(request, payload: Form[RequestIn], photo: File[UploadedFile] = None):
    """Ask the post for help. Send as multipart/form-data (with an optional JPEG or PNG ``photo``, up to 5 MB).

    A retry with the same ``idempotency_key`` returns the first request (200) and creates nothing."""
    with _acting(request):
        try:
            case, created = services.create_case(
                registration=request.registration,
                category=payload.category,
                summary=payload.summary,
                location=payload.location,
                photo=photo,
                source=CaseSource.APP,
                idempotency_key=payload.idempotency_key,
            )
        except CaseError as exc:
            return Status(422, {"detail": exc.message})
    return Status(201 if created else 200, _out(case))


@router.get("", response=list[RequestOut])
def list_requests(request):
    return [_out(case) for case in _own(request).prefetch_related("messages")]


@router.get("/{request_id}", response={200: RequestOut, 404: ErrorOut})
def get_request(request, request_id: Id):
    case = get_object_or_404(_own(request), pk=request_id)
    with _acting(request):
        services.mark_read(case, Direction.OUT)
    return _out(case)


@router.post("/{request_id}/messages", response={201: MessageOut, 404: ErrorOut, 422: ErrorOut})
def post_message(request, request_id: Id, payload: MessageIn):
    case = get_object_or_404(_own(request), pk=request_id)
    with _acting(request), transaction.atomic():
        try:
            message = services.receive_message(case, payload.text, payload.idempotency_key)
        except CaseError as exc:
            return Status(422, {"detail": exc.message})
    return Status(
        201,
        {
            "id": message.pk,
            "direction": message.direction,
            "text": message.text,
            "created": message.created,
            "read_at": None,
        },
    )
