"""Check-ins from the nationals' app, mounted at /api/app/checkins.

``GET`` lists the person's open "are you safe?" requests; ``POST`` answers one.
Every answer carries an ``idempotency_key``: a retry (the app queues answers
made offline) returns the first result and changes nothing. In a surge, the
``POST`` is usually answered by the fast lane in front of Django
(``lifeline.crises.fastlane``) with the same ``answer``.
"""

import datetime
import uuid
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from lifeline.api.common import ErrorOut, Id, ShortText, Text
from lifeline.core import audit
from lifeline.core.http import client_ip
from lifeline.core.languages import direction
from lifeline.crises import services
from lifeline.crises.models import CheckInStatus, Via
from lifeline.nationals.auth import RegisteredDeviceAuth
from lifeline.nationals.models import coarse_point

router = Router(tags=["App for nationals"], auth=RegisteredDeviceAuth())


class OpenRequestOut(Schema):
    id: int
    campaign: int
    crisis: str
    message: str
    language: str
    dir: str
    asked_at: datetime.datetime
    status: str
    answered_at: datetime.datetime | None


class CheckInIn(Schema):
    request: Id | None = None
    campaign: Id | None = None
    answer: Literal[CheckInStatus.SAFE.value, CheckInStatus.NEED_HELP.value, CheckInStatus.NOT_IN_AREA.value]  # type: ignore[valid-type]
    note: Text = ""
    location: ShortText = ""
    idempotency_key: uuid.UUID


class CheckInOut(Schema):
    id: int
    request: int
    answer: str
    at: datetime.datetime
    duplicate: bool


def _out(row, duplicate):
    return {
        "id": row.pk,
        "request": row.request_id,
        "answer": row.answer,
        "at": row.at,
        "duplicate": duplicate,
    }


@router.get("", response=list[OpenRequestOut])
def open_checkins(request):
    registration = request.registration
    out = []
    for r in services.open_requests([registration.pk])[:20]:
        language = r.campaign.language_for(registration.languages) or ""
        out.append(
            {
                "id": r.pk,
                "campaign": r.campaign_id,
                "crisis": r.campaign.crisis.name,
                "message": r.campaign.messages.get(language, "") if language else "",
                "language": language,
                "dir": direction(language) if language else "",
                "asked_at": r.campaign.started,
                "status": r.status,
                "answered_at": r.answered_at,
            }
        )
    return out


def answer(payload, ip, registration_id=None, token=None, request=None):
    """What the endpoint does with a valid body from a registered device: (status, body).

    The fast lane (``lifeline.crises.fastlane``) passes the device's ``token`` instead of the
    registration, and gets (None, None) for what it leaves to the endpoint: a token that is
    nobody's, or a location to refuse (the endpoint checks the token first)."""
    location_ok = not payload.location or coarse_point(payload.location) != (None, None)
    if not location_ok and token is not None:
        return None, None
    if not location_ok:
        return 422, {"detail": _("Location: write it as latitude,longitude.")}
    options = {
        "request_id": payload.request,
        "campaign_id": payload.campaign,
        "note": payload.note,
        "location": payload.location,
    }
    who = {"token": token} if token is not None else {"registration_id": registration_id}
    with audit.acting_as(None, ip=ip, via="app"):
        row, created, device = services.record_answer(
            payload.answer, Via.APP, idempotency_key=payload.idempotency_key, **who, **options
        )
    if token is not None and device is None:
        return None, None
    if row is None:
        if token is not None and request is not None:  # the fast lane: no DeviceAuth chose the language
            from lifeline.nationals.auth import speak_to

            speak_to(request, device.registration)
        return 404, {"detail": _("No check-in is open for you.")}
    return (201 if created else 200), _out(row, not created)


@router.post("", response={200: CheckInOut, 201: CheckInOut, 404: ErrorOut, 422: ErrorOut})
def check_in(request, payload: CheckInIn):
    """Answer "are you safe?" (the newest open request, or the one named). A retry with the same
    idempotency_key returns the first result (200, duplicate) and changes nothing."""
    return Status(*answer(payload, client_ip(request), registration_id=request.registration.pk))
