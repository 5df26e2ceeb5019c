"""Alerts in the JSON API: list and read, write drafts, submit, approve, publish in an emergency, import CAP.

Drafts are written by the page's write service (``alerts/services.save_alert``: the same rules,
audit and contributors); every state change goes through ``lifeline.alerts.services`` and the
two-person workflow (``lifeline.core.approval``), so the
rule is the same here as on the pages.
The public feed and CAP messages stay at /alerts/feed.atom and /alerts/cap/…, without a token.
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from lifeline.alerts.cap import MAX_BYTES
from lifeline.alerts.forms import InfoBlockForm, LanguageTagField
from lifeline.alerts.models import (
    Alert,
    CapScope,
    Category,
    Certainty,
    Origin,
    Outcome,
    ResponseType,
    Severity,
    State,
    Urgency,
)
from lifeline.alerts.models import (
    Status as CapStatus,
)
from lifeline.alerts.services import (
    ALERT_FIELDS,
    AREA_KEY,
    INFO,
    alert_errors,
    approve,
    default_sender,
    import_cap,
    message_texts,
    publish_override,
    save_alert,
    submit,
)
from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    Mapped,
    ShortText,
    Text,
    area_rows,
    invalid,
    organisation_for,
    require,
)
from lifeline.core.errors import Invalid
from lifeline.core.models import Action, Area

AREA = Area.ALERTS
router = Router(tags=["alerts"])


def _choice(enum):
    return Literal[tuple(enum.values)]  # type: ignore[valid-type]


class Pair(Schema):
    valueName: ShortText
    value: ShortText


class AreaIn(Schema):
    area_desc: ShortText
    polygons: list[Text] = Field(default_factory=list, max_length=100)  # CAP "lat,lon lat,lon …", closed
    circles: list[ShortText] = Field(default_factory=list, max_length=100)  # "lat,lon radius_km"
    pcodes: list[ShortText] = Field(default_factory=list, max_length=500)  # admin areas


class InfoIn(Schema):
    language: ShortText  # any BCP 47 tag; normalised
    event: ShortText
    headline: ShortText
    description: Text = ""
    instruction: Text = ""
    categories: list[_choice(Category)] = Field(min_length=1)  # type: ignore[valid-type]
    response_types: list[_choice(ResponseType)] = []  # type: ignore[valid-type]
    urgency: _choice(Urgency)  # type: ignore[valid-type]
    severity: _choice(Severity)  # type: ignore[valid-type]
    certainty: _choice(Certainty)  # type: ignore[valid-type]
    audience: ShortText = ""
    effective: datetime.datetime | None = None
    onset: datetime.datetime | None = None
    expires: datetime.datetime | None = None
    sender_name: ShortText = ""
    web: ShortText = ""
    contact: ShortText = ""


class AlertIn(Schema):
    organisation: Id | None = None
    sender: ShortText = ""  # default: the organisation's
    status: _choice(CapStatus) = CapStatus.ACTUAL  # type: ignore[valid-type]
    scope: _choice(CapScope) = CapScope.PUBLIC  # type: ignore[valid-type]
    restriction: ShortText = ""
    addresses: ShortText = ""
    source: ShortText = ""
    incidents: ShortText = ""
    note: Text = ""
    info: list[InfoIn] = Field(min_length=1, max_length=50)
    area: AreaIn


class AreaOut(Schema):
    area_desc: str
    polygons: list[str]
    circles: list[str]
    geocodes: list[Pair]
    pcodes: list[str]


class InfoOut(Schema):
    language: str
    event: str
    headline: str
    description: str
    instruction: str
    categories: list[str]
    response_types: list[str]
    urgency: str
    severity: str
    certainty: str
    audience: str
    effective: datetime.datetime | None
    onset: datetime.datetime | None
    expires: datetime.datetime | None
    sender_name: str
    web: str
    contact: str
    areas: list[AreaOut]


class AlertOut(Schema):
    id: int
    organisation: int
    identifier: str | None
    sender: str
    sent: datetime.datetime | None
    status: str
    msg_type: str
    scope: str
    references: str
    state: str
    origin: str
    expires: datetime.datetime | None
    override_reason: str
    created_by: int | None
    approved_by: int | None
    info: list[InfoOut]


class ImportOut(Schema):
    outcome: str
    identifier: str
    alert: int | None
    reason: str


class ReasonIn(Schema):
    reason: ShortText


class TextsOut(Schema):
    subject: str
    body: str
    short: str


class AlertFilter(Schema):
    state: Literal[("",) + tuple(State.values)] = ""  # type: ignore[valid-type]
    status: Literal[("",) + tuple(CapStatus.values)] = ""  # type: ignore[valid-type]


INFO_FIELDS = [f for f in InfoOut.model_fields if f != "areas"]


def _out(alert):
    return {
        **{
            f: getattr(alert, f)
            for f in (
                "id",
                "identifier",
                "sender",
                "sent",
                "status",
                "msg_type",
                "scope",
                "references",
                "state",
                "origin",
                "expires",
                "override_reason",
            )
        },
        "organisation": alert.organisation_id,
        "created_by": alert.created_by_id,
        "approved_by": alert.approved_by_id,
        "info": [
            {
                **{f: getattr(info, f) for f in INFO_FIELDS},
                "areas": [
                    {
                        "area_desc": a.area_desc,
                        "polygons": a.polygons,
                        "circles": a.circles,
                        "geocodes": a.geocodes,
                        "pcodes": [admin.pcode for admin in a.admin_areas.all()],
                    }
                    for a in info.areas.all()
                ],
            }
            for info in alert.info.all()
        ],
    }


def _with_related(queryset):
    return queryset.prefetch_related("info__areas__admin_areas")


def _when(value):
    """A time as given (one without a zone is the deployment's local time)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _values(request, payload: AlertIn):
    """The payload as plain values for ``services.save_alert`` (the alert's, its blocks', its
    area's), and what in it does not read (keyed as the services name errors)."""
    organisation = organisation_for(request, payload.organisation)
    values = {name: getattr(payload, name) for name in ALERT_FIELDS if name in AlertIn.model_fields}
    values.update(organisation=organisation, sender=payload.sender or default_sender(organisation))
    infos, errors = [], {}
    for index, info in enumerate(payload.info):
        found = info.dict()
        for name in ("effective", "onset", "expires"):
            found[name] = _when(found[name])
        for name, field in (("language", LanguageTagField()), ("web", InfoBlockForm.base_fields["web"])):
            try:
                found[name] = field.clean(found[name])
            except ValidationError as exc:
                found[name], errors[f"{INFO}[{index}].{name}"] = "", list(exc.messages)
        infos.append(found)
    admin_areas, errors[f"{AREA_KEY}.pcodes"] = area_rows(payload.area.pcodes, one=True)
    area = {
        "area_desc": payload.area.area_desc,
        "polygons": [" ".join(p.split()) for p in payload.area.polygons if p.strip()],
        "circles": [" ".join(c.split()) for c in payload.area.circles if c.strip()],
        "admin_areas": admin_areas,
    }
    return values, infos, area, {name: found for name, found in errors.items() if found}


def _workflow(request, pk, step):
    require(request, AREA, Action.CHANGE)
    alert = get_object_or_404(Alert.objects.for_user(request.user, Action.CHANGE), pk=pk)
    try:
        step(alert)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(200, _out(_with_related(Alert.objects.filter(pk=alert.pk)).get()))


@router.get("", response=list[AlertOut])
@paginate(LimitOffsetPagination)
def list_alerts(request, filters: Query[AlertFilter]):
    require(request, AREA, Action.VIEW)
    queryset = Alert.objects.for_user(request.user)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return Mapped(_with_related(queryset.order_by("-created", "-id")), _out)


@router.post("", response={201: AlertOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_draft(request, payload: AlertIn):
    """A draft written in one or more languages, with one area for all of them (as on the page)."""
    require(request, AREA, Action.CHANGE)
    values, infos, area, errors = _values(request, payload)
    if errors:  # with the rules' answers on the rest, as the page gives them all at once
        return invalid({**alert_errors(request.user, None, values, infos, area), **errors})
    try:
        alert, _withdrawn = save_alert(request.user, None, values, infos, area)
    except Invalid as exc:
        return invalid(exc.errors)
    return Status(201, _out(_with_related(Alert.objects.filter(pk=alert.pk)).get()))


@router.post(
    "/import", response={201: ImportOut, 200: ImportOut, 422: ImportOut, 413: ErrorOut, 403: ErrorOut}
)
def import_message(request, file: File[UploadedFile], organisation: Form[Id | None] = None):
    """Import one CAP 1.2 or 1.1 message: 201 imported, 200 already imported, 422 rejected with the reasons."""
    require(request, AREA, Action.CHANGE)
    keeper = organisation_for(request, organisation)
    if file.size > MAX_BYTES:
        return Status(413, {"detail": "file too large"})
    result = import_cap(file.read(), keeper, origin=Origin.FILE, url=file.name or "")
    code = {Outcome.IMPORTED: 201, Outcome.DUPLICATE: 200}.get(result.outcome, 422)
    return Status(
        code,
        {
            "outcome": result.outcome,
            "identifier": result.identifier,
            "alert": result.alert.pk if result.alert else None,
            "reason": result.reason,
        },
    )


@router.get("/{pk}", response={200: AlertOut, 404: ErrorOut})
def get_alert(request, pk: Id):
    alert = get_object_or_404(_with_related(Alert.objects.for_user(request.user)), pk=pk)
    return Status(200, _out(alert))


@router.get("/{pk}/texts", response={200: dict[str, TextsOut], 404: ErrorOut})
def alert_texts(request, pk: Id):
    """What messaging sends, per language: subject, body and an SMS-length text."""
    alert = get_object_or_404(Alert.objects.for_user(request.user), pk=pk)
    return Status(200, message_texts(alert))


@router.post("/{pk}/submit", response={200: AlertOut, 404: ErrorOut, 409: ErrorOut, 403: ErrorOut})
def submit_alert(request, pk: Id):
    return _workflow(request, pk, lambda alert: submit(alert, request.user))


@router.post("/{pk}/approve", response={200: AlertOut, 404: ErrorOut, 409: ErrorOut, 403: ErrorOut})
def approve_alert(request, pk: Id):
    """Someone who neither wrote, changed nor submitted the alert approves: it is published."""
    return _workflow(request, pk, lambda alert: approve(alert, request.user))


@router.post("/{pk}/publish", response={200: AlertOut, 404: ErrorOut, 409: ErrorOut, 403: ErrorOut})
def publish_without_approval(request, pk: Id, payload: ReasonIn):
    """Emergency override: publish alone, with a reason that is audited and shown on the alert."""
    return _workflow(request, pk, lambda alert: publish_override(alert, request.user, payload.reason))
