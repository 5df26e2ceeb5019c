"""Assistance cases in the staff API: the same services, scopes and audit as the pages.

Summary, location, the person's contact, notes and messages are personal: a user
without the personal-data permission gets them as null and may not write them.
A GET of one case is audited as a view of personal data.
"""

import datetime
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lifeline.api.common import ErrorOut, Id, Mapped, ShortText, Text, organisation_for, require
from lifeline.cases import services
from lifeline.cases.models import Case, CaseSource, CaseTeam, Category, Priority
from lifeline.cases.models import Status as CaseStatus
from lifeline.cases.services import CaseError
from lifeline.core import disclosure
from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user

AREA = Area.CASES
router = Router(tags=["Assistance cases"])


class CaseFilter(Schema):
    status: Literal[("", "open") + tuple(CaseStatus.values)] = ""  # type: ignore[valid-type]
    category: Literal[("",) + tuple(Category.values)] = ""  # type: ignore[valid-type]
    priority: Literal[("",) + tuple(Priority.values)] = ""  # type: ignore[valid-type]
    post: Id | None = None
    mine: bool = False
    overdue: bool = False
    q: ShortText = ""  # a reference, or words of the person's name (``cases.services.search``)


class NoteOut(Schema):
    id: int
    author: str | None
    text: str
    created: datetime.datetime


class MessageOut(Schema):
    id: int
    direction: str
    author: str | None
    text: str
    created: datetime.datetime
    read_at: datetime.datetime | None


class CaseOut(Schema):
    id: int
    reference: str
    organisation: int
    registration: int | None
    category: str
    status: str
    priority: str
    priority_reason: str
    source: str
    area: str | None
    due_at: datetime.datetime
    overdue: bool
    assigned_to: str | None
    team: str | None
    possible_duplicate_of: str | None
    created: datetime.datetime
    # Personal: null without the permission, and in lists.
    summary: str | None = None
    location: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    notes: list[NoteOut] | None = None
    messages: list[MessageOut] | None = None


class CaseIn(Schema):
    organisation: Id | None = None
    registration: Id | None = None
    contact_name: ShortText = ""
    contact_phone: ShortText = ""
    source: Literal[tuple(CaseSource.values)] = CaseSource.STAFF  # type: ignore[valid-type]
    category: Literal[tuple(Category.values)]  # type: ignore[valid-type]
    summary: Text
    location: ShortText = ""
    priority: Literal[tuple(Priority.values)] = Priority.NORMAL  # type: ignore[valid-type]
    priority_reason: ShortText = ""


class TransitionIn(Schema):
    status: Literal[tuple(CaseStatus.values)]  # type: ignore[valid-type]


class TextIn(Schema):
    text: Text


class TriageIn(Schema):
    priority: Literal[tuple(Priority.values)]  # type: ignore[valid-type]
    reason: ShortText = ""


class AssignIn(Schema):
    officer: Id | None = None  # a user id of the case's post; null clears
    team: Id | None = None  # a case team of the case's post; null clears


def _out(case, personal=False):
    data = {
        "id": case.pk,
        "reference": case.reference,
        "organisation": case.organisation_id,
        "registration": case.registration_id,
        "category": case.category,
        "status": case.status,
        "priority": case.priority,
        "priority_reason": case.priority_reason,
        "source": case.source,
        "area": case.area.pcode if case.area_id else None,
        "due_at": case.due_at,
        "overdue": case.is_overdue,
        "assigned_to": case.assigned_to.get_username() if case.assigned_to_id else None,
        "team": case.team.name if case.team_id else None,
        "created": case.created,
        "possible_duplicate_of": case.possible_duplicate_of.reference
        if case.possible_duplicate_of_id
        else None,
    }
    if personal:
        data.update(
            summary=case.summary,
            location=case.location,
            contact_name=case.contact_name,
            contact_phone=case.contact_phone,
            notes=[
                {
                    "id": n.pk,
                    "author": n.author.get_username() if n.author_id else None,
                    "text": n.text,
                    "created": n.created,
                }
                for n in case.notes.select_related("author")
            ],
            messages=[
                {
                    "id": m.pk,
                    "direction": m.direction,
                    "author": m.author.get_username() if m.author_id else None,
                    "text": m.text,
                    "created": m.created,
                    "read_at": m.read_at,
                }
                for m in case.messages.select_related("author")
            ],
        )
    return data


def _personal(request):
    """May the user see the case's personal fields (cases/disclosure.py)?"""
    return disclosure.to(request.user, Case).allowed


def _change(request, case_id):
    require(request, AREA, Action.CHANGE)
    disclosure.require(request.user, Case)
    return get_for_user(Case, request.user, case_id, Action.CHANGE)


def _shown(request, case):
    see = disclosure.to(request.user, case)
    see.audit(case)
    return _out(case, see.allowed)


@router.get("", response=list[CaseOut])
@paginate(LimitOffsetPagination)
def list_cases(request, filters: Query[CaseFilter]):
    require(request, AREA, Action.VIEW)
    queryset = Case.objects.for_user(request.user).select_related(
        "area", "assigned_to", "team", "possible_duplicate_of"
    )
    values = filters.dict()
    post = values.pop("post")
    if post is not None:
        queryset = queryset.filter(organisation_id=post)
    queryset = services.filter_cases(queryset, request.user, **values).order_by("-created", "-id")
    return Mapped(queryset, _out)


@router.get("/{case_id}", response={200: CaseOut, 404: ErrorOut})
def get_case(request, case_id: Id):
    return _shown(request, get_for_user(Case, request.user, case_id))


@router.post("", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut})
def create_case(request, payload: CaseIn):
    require(request, AREA, Action.CHANGE)
    disclosure.require(request.user, Case)
    registration = None
    if payload.registration is not None:
        from lifeline.nationals.models import Registration

        registration = Registration.objects.for_user(request.user).filter(pk=payload.registration).first()
        if registration is None:
            return Status(422, {"detail": "registration: not found"})
    values = payload.dict(exclude={"organisation", "registration"})
    organisation = (
        organisation_for(request, payload.organisation)
        if (payload.organisation or registration is None)
        else None
    )
    try:
        case, _created = services.create_case(
            registration=registration, organisation=organisation, user=request.user, **values
        )
    except CaseError as exc:
        return Status(422, {"detail": exc.message})
    return Status(201, _out(case, True))


def _act(request, case_id, do):
    case = _change(request, case_id)
    try:
        do(case)
    except CaseError as exc:
        return Status(422, {"detail": exc.message})
    case.refresh_from_db()
    return Status(200, _out(case, True))


@router.post("/{case_id}/transition", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def transition(request, case_id: Id, payload: TransitionIn):
    return _act(
        request, case_id, lambda case: services.change_status(case, payload.status, user=request.user)
    )


@router.post("/{case_id}/notes", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def add_note(request, case_id: Id, payload: TextIn):
    return _act(request, case_id, lambda case: services.add_note(case, payload.text, user=request.user))


@router.post("/{case_id}/messages", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def send_message(request, case_id: Id, payload: TextIn):
    return _act(request, case_id, lambda case: services.send_message(case, payload.text, user=request.user))


@router.post("/{case_id}/triage", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def triage(request, case_id: Id, payload: TriageIn):
    return _act(
        request,
        case_id,
        lambda case: services.triage(case, payload.priority, payload.reason, user=request.user),
    )


@router.post("/{case_id}/assign", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def assign(request, case_id: Id, payload: AssignIn):
    def do(case):
        officer = (
            services.assignable_officers(case).filter(pk=payload.officer).first() if payload.officer else None
        )
        team = (
            CaseTeam.objects.filter(pk=payload.team, organisation_id=case.organisation_id).first()
            if payload.team
            else None
        )
        if (payload.officer and officer is None) or (payload.team and team is None):
            raise CaseError("officer or team: not of the post handling the case")
        services.assign(case, officer=officer, team=team, user=request.user)

    return _act(request, case_id, do)
