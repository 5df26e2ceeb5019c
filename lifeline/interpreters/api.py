"""Interpreters in the JSON API: the same forms, formsets, scopes and audit as the pages.

Language pairs and availability windows are nested lists, validated by the page's
formsets. A PUT replaces the whole record, as the page's form does (a field left
out takes its default, so an omitted phone is emptied); for pairs and windows, one
already stored with the same languages (or the same day and times) is kept and
updated, every other stored one is deleted.

Phone, email and messaging handles are personal: they are null for a user without
the personal-data permission, who may not write them either, and a GET that shows
them is audited.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
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
    area_ids,
    etag,
    form_errors,
    if_match,
    invalid,
    owner_id,
    require,
    run_export,
    run_import,
)
from lifeline.core import deletion, disclosure
from lifeline.core.models import Action, Area
from lifeline.core.names import normalise_language
from lifeline.core.permissions import writable_organisations
from lifeline.directory.models import ChannelType
from lifeline.geo.models import AdminArea
from lifeline.interpreters.disclosure import INTERPRETER
from lifeline.interpreters.forms import (
    InterpreterFilterForm,
    InterpreterForm,
    InterpreterSearchForm,
    PairFormSet,
    WindowFormSet,
)
from lifeline.interpreters.models import (
    Engagement,
    Interpreter,
    Modality,
    Proficiency,
    Specialisation,
    Vetting,
    Weekday,
)
from lifeline.interpreters.services import find_interpreters, save_interpreter, search_interpreters
from lifeline.interpreters.tabular import InterpreterSchema

AREA = Area.INTERPRETERS
router = Router(tags=["interpreters"])

PERSONAL = INTERPRETER.personal  # phone, email, messaging: interpreters/disclosure.py
PLAIN_FIELDS = (
    "full_name",
    "city",
    "travel_range_km",
    "always_available",
    "engagement",
    "vetting",
    "vetted_on",
    "code_of_conduct_signed",
    "consent_stored",
    "consent_contact",
    "consent_date",
    "last_verified",
    "active",
    "notes",
)
DATE_FIELDS = ("vetted_on", "code_of_conduct_signed", "consent_date", "last_verified")
PAIR_FIELDS = (
    "source",
    "target",
    "both_directions",
    "proficiency",
    "dialect",
    "script",
    "certified",
    "certification",
)
# The formsets' prefixes on the page, and the payload fields they hold.
FORMSETS = (("pairs", "pairs"), ("windows", "availability"))


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


# --- payload → the page's POST data ---------------------------------------------


def _pair_values(pair):
    """A pair's form values, from the payload (codes as given) or from a stored LanguagePair."""
    values = {f: getattr(pair, f) for f in PAIR_FIELDS}
    if not isinstance(pair, PairIn):
        values.update(source=pair.source.code, target=pair.target.code)
    return values


def _pair_key(pair):
    """The languages of a pair, normalised (``tl`` is ``fil``), to match a payload pair with a stored one."""
    values = _pair_values(pair)
    return tuple(normalise_language(values[f]) or values[f].strip() for f in ("source", "target"))


def _window_key(window):
    return (window.weekday, window.start.isoformat(), window.end.isoformat())


def _window_values(window):
    return {"weekday": window.weekday, "start": window.start.isoformat(), "end": window.end.isoformat()}


def _formset_data(prefix, items, stored, key, values):
    """POST data for an inline formset that leaves the stored rows as ``items`` lists them.

    A stored row with the same key as an item is kept (and updated), the other stored rows
    are deleted, the other items are added. Returns the data and, per form, the index of
    its item in the payload (None for a deleted row)."""
    remaining, kept, added = list(stored), [], []
    for index, item in enumerate(items):
        match = next((obj for obj in remaining if key(obj) == key(item)), None)
        if match is None:
            added.append(index)
        else:
            remaining.remove(match)
            kept.append((match, index))
    rows = kept + [(obj, None) for obj in remaining] + [(None, index) for index in added]
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(kept) + len(remaining)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, (obj, index) in enumerate(rows):
        form_values = values(items[index] if index is not None else obj)
        if obj is not None:
            data[f"{prefix}-{n}-id"] = str(obj.pk)
        if index is None:
            form_values["DELETE"] = True
        data.update({f"{prefix}-{n}-{name}": value for name, value in form_values.items()})
    return data, [index for _obj, index in rows]


def _form_data(request, payload: InterpreterIn, instance=None):
    """The page's POST data (form and both formsets), the P-codes naming no area, and the payload index per form."""
    home, unknown = area_ids([payload.home_area] if payload.home_area else [])
    data = {
        f: getattr(payload, f) for f in PLAIN_FIELDS + ("phone", "email", "modalities", "specialisations")
    }
    data["organisation"] = owner_id(request, payload.organisation, instance)
    data["messaging"] = "\n".join(f"{h.type}:{h.value}" for h in payload.messaging or [])
    data["home_area"] = home[0] if home else ""
    data["travel_range_km"] = str(payload.travel_range_km)
    for key in DATE_FIELDS:
        data[key] = data[key].isoformat() if data[key] else ""
    pairs, pair_index = _formset_data(
        "pairs",
        payload.pairs,
        list(instance.pairs.select_related("source", "target")) if instance else [],
        _pair_key,
        _pair_values,
    )
    windows, window_index = _formset_data(
        "windows",
        payload.availability,
        list(instance.availability.all()) if instance else [],
        _window_key,
        _window_values,
    )
    return {**data, **pairs, **windows}, unknown, {"pairs": pair_index, "windows": window_index}


def _formset_errors(formset, name, indexes):
    """Errors of a formset keyed by payload position: ``pairs[1].source``, ``availability[0]``, ``pairs``."""
    errors = {}
    for form, index in zip(formset.forms, indexes, strict=True):
        if index is None:
            continue
        for field, messages in form.errors.items():
            errors[f"{name}[{index}]" + ("" if field == "__all__" else f".{field}")] = [
                str(m) for m in messages
            ]
    if formset.non_form_errors():
        errors[name] = [str(m) for m in formset.non_form_errors()]
    return errors


def _save(request, payload, instance=None, response=None):
    personal = disclosure.may_see(request.user, Interpreter)
    if not personal and any(getattr(payload, name) for name in PERSONAL):
        raise PermissionDenied  # who may not see personal data may not write it either
    data, unknown, indexes = _form_data(request, payload, instance)
    if instance is not None and (refused := if_match(request, instance, data)):
        return refused
    form = InterpreterForm(data, instance=instance, organisations=writable_organisations(request.user))
    formsets = {
        "pairs": PairFormSet(data, instance=instance, prefix="pairs"),
        "windows": WindowFormSet(data, instance=instance, prefix="windows"),
    }
    for formset in formsets.values():
        for each in formset.forms:
            each.empty_permitted = False  # every listed pair or window counts, even one left blank
    valid = all([form.is_valid()] + [formset.is_valid() for formset in formsets.values()])
    if unknown:
        form.add_error("home_area", f"Unknown P-code: {unknown[0]}")
        valid = False
    if not valid:
        errors = form_errors(form)
        for prefix, name in FORMSETS:
            errors.update(_formset_errors(formsets[prefix], name, indexes[prefix]))
        return invalid(errors)
    saved = save_interpreter(request.user, form, formsets["pairs"], formsets["windows"])
    if response is not None:
        etag(response, saved)
    return Status((200 if instance else 201), _out(saved, personal))


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
    area, unknown = area_ids([query.area] if query.area else [])
    data["area"] = area[0] if area else ""
    form = InterpreterSearchForm(data)
    valid = form.is_valid()
    if unknown:
        form.add_error("area", f"Unknown P-code: {unknown[0]}")
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
