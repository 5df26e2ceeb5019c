"""Interpreters in the JSON API: the same write service (``interpreters/services.save_interpreter``),
scopes and audit as the pages; the schemas only parse.

Language pairs and availability windows are nested lists, held to the same rules as the page's
(their errors named ``pairs[1].source``, ``availability[0]``). A PUT replaces the whole record, as
the page's form does (a field left out takes its default, so an omitted phone is emptied); for
pairs and windows, one already stored with the same languages (or the same day and times) is kept
and updated, every other stored one is deleted.

Phone, email and messaging handles are personal: they are null for a user without
the personal-data permission, who may not write them either, and a GET that shows
them is audited.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ModelChoiceField, TimeField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    Line,
    Mapped,
    Number,
    ReportOut,
    ShortText,
    Text,
    area_rows,
    etag,
    form_errors,
    invalid,
    language_rows,
    matched_version,
    owner_id,
    require,
    run_export,
    run_import,
)
from lifeline.core import deletion, disclosure
from lifeline.core.models import Action, Area, Organisation
from lifeline.directory.models import ChannelType
from lifeline.geo.models import AdminArea
from lifeline.interpreters import services
from lifeline.interpreters.disclosure import INTERPRETER
from lifeline.interpreters.forms import InterpreterFilterForm, InterpreterSearchForm
from lifeline.interpreters.models import (
    Engagement,
    Interpreter,
    Modality,
    Proficiency,
    Specialisation,
    Vetting,
    Weekday,
)
from lifeline.interpreters.services import find_interpreters, search_interpreters
from lifeline.interpreters.tabular import InterpreterSchema

AREA = Area.INTERPRETERS
router = Router(tags=["interpreters"])

PERSONAL = INTERPRETER.personal  # phone, email, messaging: interpreters/disclosure.py
# The fields shown as stored: the others are personal, lists or rows (see ``_out``).
PLAIN_FIELDS = tuple(
    f
    for f in services.FIELDS
    if f not in (*PERSONAL, "organisation", "modalities", "specialisations", "home_area")
)
PAIR_FIELDS = services.PAIR_FIELDS


class Handle(Schema):
    type: Literal[tuple(ChannelType.values)]  # type: ignore[valid-type]
    value: Line


class PairIn(Schema):
    source: ShortText  # ISO 639 code
    target: ShortText
    both_directions: bool = True
    proficiency: Literal[tuple(Proficiency.values)] = Proficiency.PROFESSIONAL  # type: ignore[valid-type]
    dialect: ShortText = ""
    script: ShortText = ""  # ISO 15924 code
    certified: bool = False
    certification: ShortText = ""


class PairOut(Schema):
    source: str
    target: str
    both_directions: bool
    proficiency: int
    dialect: str
    script: str
    certified: bool
    certification: str


class WindowIn(Schema):
    weekday: Literal[tuple(Weekday.values)]  # type: ignore[valid-type]  # 0 = Monday
    start: datetime.time
    end: datetime.time


class WindowOut(Schema):
    weekday: int
    start: datetime.time
    end: datetime.time


class InterpreterIn(Schema):
    organisation: Id | None = None
    full_name: ShortText
    # Personal fields: null (as a GET shows them to who may not see them) is the same as empty.
    phone: ShortText | None = None
    email: ShortText | None = None
    messaging: list[Handle] | None = Field(default=None, max_length=50)
    modalities: list[Literal[tuple(Modality.values)]] = []  # type: ignore[valid-type]
    specialisations: list[Literal[tuple(Specialisation.values)]] = []  # type: ignore[valid-type]
    home_area: ShortText | None = None  # P-code
    city: ShortText = ""
    travel_range_km: Number = 0
    always_available: bool = False
    engagement: Literal[tuple(Engagement.values)] = Engagement.VOLUNTEER  # type: ignore[valid-type]
    vetting: Literal[tuple(Vetting.values)] = Vetting.NOT_VETTED  # type: ignore[valid-type]
    vetted_on: datetime.date | None = None
    code_of_conduct_signed: datetime.date | None = None
    consent_stored: bool = False
    consent_contact: bool = False
    consent_date: datetime.date | None = None
    last_verified: datetime.date | None = None
    active: bool = True
    notes: Text = ""
    pairs: list[PairIn] = Field(default=[], max_length=100)
    availability: list[WindowIn] = Field(default=[], max_length=100)


class InterpreterOut(Schema):
    id: int
    organisation: int
    full_name: str
    phone: str | None
    email: str | None
    messaging: list[Handle] | None
    modalities: list[str]
    specialisations: list[str]
    home_area: str | None
    city: str
    travel_range_km: int
    always_available: bool
    engagement: str
    vetting: str
    vetted_on: datetime.date | None
    code_of_conduct_signed: datetime.date | None
    consent_stored: bool
    consent_contact: bool
    consent_date: datetime.date | None
    last_verified: datetime.date | None
    active: bool
    notes: str
    pairs: list[PairOut]
    availability: list[WindowOut]


class InterpreterFilter(Schema):
    q: ShortText = ""
    language: ShortText = ""  # code or name
    area: ShortText = ""  # P-code
    modality: Literal[("",) + tuple(Modality.values)] = ""  # type: ignore[valid-type]
    specialisation: Literal[("",) + tuple(Specialisation.values)] = ""  # type: ignore[valid-type]
    engagement: Literal[("",) + tuple(Engagement.values)] = ""  # type: ignore[valid-type]
    vetting: Literal[("",) + tuple(Vetting.values)] = ""  # type: ignore[valid-type]
    active_only: bool = False


class SearchIn(Schema):
    source: ShortText = ""  # code or name
    target: ShortText = ""
    area: ShortText = ""  # P-code
    remote_ok: bool = True
    available_now: bool = False
    specialisation: Literal[("",) + tuple(Specialisation.values)] = ""  # type: ignore[valid-type]
    modality: Literal[("",) + tuple(Modality.values)] = ""  # type: ignore[valid-type]


class MatchOut(Schema):
    id: int
    full_name: str
    score: float
    reasons: list[str]
    in_area: bool
    remote: bool
    available: bool


def _personal_shown(interpreter):
    """Names of the personal fields that hold something (and so would be shown)."""
    return INTERPRETER.held(interpreter)


def _out(interpreter, personal):
    return {
        "id": interpreter.pk,
        "organisation": interpreter.organisation_id,
        **{f: getattr(interpreter, f) for f in PLAIN_FIELDS},
        **{f: (getattr(interpreter, f) if personal else None) for f in PERSONAL},
        "modalities": list(interpreter.modalities or []),
        "specialisations": list(interpreter.specialisations or []),
        "home_area": interpreter.home_area.pcode if interpreter.home_area_id else None,
        "pairs": [
            {**{f: getattr(p, f) for f in PAIR_FIELDS}, "source": p.source.code, "target": p.target.code}
            for p in interpreter.pairs.all()
        ],
        "availability": [
            {"weekday": w.weekday, "start": w.start, "end": w.end} for w in interpreter.availability.all()
        ],
    }


def _list_out(interpreter):
    return _out(interpreter, False)  # lists never carry personal data


# --- payload → plain values ------------------------------------------------------


def _values(request, payload: InterpreterIn, instance=None):
    """The payload as plain values for ``services.save_interpreter`` (the interpreter's, its pairs'
    and its windows'), and what in it names nothing (keyed as the services name errors)."""
    errors = {}
    organisation_id = owner_id(request, payload.organisation, instance)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if organisation_id and organisation is None:
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    home, errors["home_area"] = area_rows([payload.home_area] if payload.home_area else [], one=True)
    values = {name: getattr(payload, name) for name in services.FIELDS if name in InterpreterIn.model_fields}
    values.update(
        organisation=organisation,
        phone=payload.phone or "",
        email=payload.email or "",
        messaging=[{"type": h.type, "value": h.value} for h in payload.messaging or []],
        home_area=home[0] if home else None,
    )
    pairs = []
    for index, pair in enumerate(payload.pairs):
        languages = {}
        for name in ("source", "target"):
            found, errors[f"{services.PAIRS}[{index}].{name}"] = language_rows([getattr(pair, name)])
            languages[name] = found[0] if found else None
        pairs.append({**pair.dict(), **languages})
    windows = []
    for index, window in enumerate(payload.availability):
        found = window.dict()
        for name in ("start", "end"):
            if found[name].tzinfo is not None:  # a weekly time of day has no zone, as on the page
                found[name] = None
                errors[f"{services.WINDOWS}[{index}].{name}"] = [
                    str(TimeField.default_error_messages["invalid"])
                ]
        windows.append(found)
    return values, pairs, windows, {name: found for name, found in errors.items() if found}


def _save(request, payload, instance=None, response=None):
    version = matched_version(request, instance) if instance is not None else ""
    values, pairs, windows, errors = _values(request, payload, instance)
    services.check_writer(request.user, instance, values)
    if errors:  # with the rules' answers on the rest, as the page gives them all at once
        found = services.interpreter_errors(request.user, instance, values, pairs, windows)
        return invalid({**found, **errors})
    try:
        saved = services.save_interpreter(request.user, instance, values, pairs, windows, version=version)
    except services.Invalid as exc:
        return invalid(exc.errors)
    if response is not None:
        etag(response, saved)
    return Status((200 if instance else 201), _out(saved, disclosure.may_see(request.user, Interpreter)))


def _filtered(request, filters: InterpreterFilter, shared=True):
    """The interpreters the filters select, through the page's filter form; an unknown area selects nothing.

    Read as the pages read them (``readable_by``: shared languages and availability);
    ``shared=False`` keeps to the user's own scope (the export, which carries contacts)."""
    manager = Interpreter.objects
    queryset = manager.readable_by(request.user) if shared else manager.for_user(request.user)
    data = filters.dict()
    if filters.area:
        data["area"] = AdminArea.objects.filter(pcode=filters.area).values_list("pk", flat=True).first()
        if data["area"] is None:
            return queryset.none()
    form = InterpreterFilterForm(data)
    if not form.is_valid():
        return queryset.none()
    return search_interpreters(queryset, **form.cleaned_data).order_by("full_name", "pk")


def _with_related(queryset):
    return queryset.select_related("home_area").prefetch_related(
        "pairs__source", "pairs__target", "availability"
    )


# --- endpoints ------------------------------------------------------------------


@router.get("", response=list[InterpreterOut])
@paginate(LimitOffsetPagination)
def list_interpreters(request, filters: Query[InterpreterFilter]):
    require(request, AREA, Action.VIEW)
    return Mapped(_with_related(_filtered(request, filters)), _list_out)


@router.post("", response={201: InterpreterOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_interpreter(request, payload: InterpreterIn):
    require(request, AREA, Action.CHANGE)
    return _save(request, payload)


@router.get("/search", response={200: list[MatchOut], 422: FieldErrorsOut, 403: ErrorOut})
def search(request, query: Query[SearchIn]):
    """Who can interpret from ``source`` into ``target`` (codes or names), best first, as the search page ranks them."""
    require(request, AREA, Action.VIEW)
    data = query.dict()
    area, unknown = area_rows([query.area] if query.area else [], one=True)
    data["area"] = area[0].pk if area else ""
    form = InterpreterSearchForm(data)
    valid = form.is_valid()
    for message in unknown:
        form.add_error("area", message)
        valid = False
    if not valid:
        return invalid(form_errors(form))
    matches = find_interpreters(Interpreter.objects.readable_by(request.user), **form.cleaned_data)
    return Status(
        200,
        [
            {
                "id": m.interpreter.pk,
                "full_name": m.interpreter.full_name,
                "score": m.score,
                "reasons": m.reasons,
                "in_area": m.in_area,
                "remote": m.remote,
                "available": m.available,
            }
            for m in matches
        ],
    )


@router.get("/export", response={200: None, 403: ErrorOut})
def export_interpreters(
    request, filters: Query[InterpreterFilter], format: Literal["csv", "xlsx"] = "csv", hxl: bool = False
):
    require(request, AREA, Action.VIEW)
    return run_export(
        request, InterpreterSchema(), AREA, _filtered(request, filters, shared=False), format, hxl
    )


@router.post("/import", response={200: ReportOut, 400: ReportOut, 403: ErrorOut})
def import_interpreters(
    request, file: File[UploadedFile], organisation: Form[Id | None] = None, dry_run: Form[bool] = False
):
    # Personal columns are ignored for a user who may not see personal data.
    return run_import(request, InterpreterSchema(), AREA, file, organisation, dry_run)


@router.get("/{pk}", response={200: InterpreterOut, 404: ErrorOut})
def get_interpreter(request, pk: Id, response: HttpResponse):
    interpreter = get_object_or_404(_with_related(Interpreter.objects.readable_by(request.user)), pk=pk)
    etag(response, interpreter)
    # Contact channels only within the user's own scope (interpreters/disclosure.py).
    see = disclosure.to(request.user, interpreter)
    see.audit(interpreter)
    return Status(200, _out(interpreter, see.allowed))


@router.put(
    "/{pk}", response={200: InterpreterOut, 404: ErrorOut, 412: ErrorOut, 422: FieldErrorsOut, 403: ErrorOut}
)
def update_interpreter(request, pk: Id, payload: InterpreterIn, response: HttpResponse):
    require(request, AREA, Action.CHANGE)
    interpreter = get_object_or_404(Interpreter.objects.for_user(request.user, Action.CHANGE), pk=pk)
    if _personal_shown(interpreter) and not disclosure.to(request.user, interpreter).allowed:
        raise PermissionDenied  # as the page: no editing what one may not see
    return _save(request, payload, instance=interpreter, response=response)


@router.delete("/{pk}", response={204: None, 404: ErrorOut, 403: ErrorOut, 409: ErrorOut})
def delete_interpreter(request, pk: Id):
    """The person withdrew consent: the record, their languages, availability and deployments go."""
    require(request, AREA, Action.CHANGE)
    interpreter = get_object_or_404(Interpreter.objects.for_user(request.user, Action.CHANGE), pk=pk)
    try:
        deletion.delete(interpreter)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(204, None)
