"""Registrations of nationals abroad in the staff JSON API: the same form, scopes, masking and audit as the pages.

What is personal, and who may see it, is nationals/disclosure.py (core/disclosure.py):
lists show names, the town and special needs only to roles it allows (empty for others),
and every page listed is audited. A GET of one registration masks the personal fields
(null) for others and is audited. A PUT replaces the whole
registration, household included; it is held to the version its client read when it sends the
GET's ``ETag`` back as ``If-Match`` (412 when the registration changed meanwhile, ``core/versions``).
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lifeline.api.common import (
    ErrorOut,
    FieldErrorsOut,
    Id,
    Mapped,
    ShortText,
    etag,
    invalid,
    matched_version,
    require,
)
from lifeline.core import audit, defaults, disclosure
from lifeline.core.models import Action, Area, AuditAction, Organisation
from lifeline.core.names import normalise_language
from lifeline.geo.models import AdminArea, Country
from lifeline.nationals import services
from lifeline.nationals.app_api import RegistrationIn, parsed
from lifeline.nationals.disclosure import LISTED
from lifeline.nationals.models import HouseholdMember, Kind, Registration, Source, SpecialNeed, StayType
from lifeline.nationals.views import _visible_posts

AREA = Area.NATIONALS
router = Router(tags=["Nationals abroad"])


class StaffRegistrationIn(RegistrationIn):
    organisation: Id | None = None  # empty: assigned from the place of stay
    source: Literal[Source.WALK_IN, Source.PHONE, Source.IMPORT] = Source.WALK_IN  # type: ignore[valid-type]
    kind: Literal[tuple(Kind.values)] = Kind.JUST_IN_CASE  # type: ignore[valid-type]


class SummaryOut(Schema):
    id: int
    organisation: int
    personal: bool
    given_names: str
    family_name: str
    country: str
    area: str | None
    city: str
    stay_type: str
    languages: list[str]
    special_needs: list[str]
    document_status: str
    expires_on: datetime.date | None


class DetailOut(Schema):
    id: int
    organisation: int
    personal: bool
    data: dict


class Filters(Schema):
    q: ShortText = ""
    post: Id | None = None
    country: ShortText = ""  # ISO 3166 alpha-2
    area: ShortText = ""  # P-code
    stay_type: Literal[("",) + tuple(StayType.values)] = ""  # type: ignore[valid-type]
    language: ShortText = ""
    need: Literal[("",) + tuple(SpecialNeed.values)] = ""  # type: ignore[valid-type]
    expiring: bool = False


def _summary(r, see):
    """One listed person; the personal fields (nationals/disclosure.py) empty for a role that may not see them."""
    shown = {
        "given_names": r.given_names,
        "family_name": r.family_name,
        "city": r.city,
        "special_needs": list(r.special_needs or []),
    }
    blank = {"given_names": "", "family_name": "", "city": "", "special_needs": []}
    return {
        "id": r.pk,
        "organisation": r.organisation_id,
        "personal": see.allowed,
        **(shown if see.allowed else {key: blank[key] for key in shown}),
        "country": r.country.code,
        "area": r.area.pcode if r.area_id else None,
        "stay_type": r.stay_type,
        "languages": list(r.languages or []),
        "document_status": r.document_status,
        "expires_on": r.expires_on,
    }


def _audit_listed(see):
    """Audit a page of the list: one entry per person whose details were shown, else one for the page."""

    def seen(rows):
        if not rows:
            return
        if not see.allowed:
            audit.record(
                AuditAction.VIEW,
                object_type="nationals.registration",
                object_repr=_("%(n)s records, names masked") % {"n": len(rows)},
                reason=_("list of registrations (API)"),
            )
            return
        see.audit_listing(rows, reason=_("list of registrations (API)"), fields=LISTED)

    return seen


def _detail(registration, see):
    data = services.export_data(registration)
    data.pop("devices", None)
    data = see.masked(data)
    if not see.allowed:
        member = disclosure.to(see.user, HouseholdMember)
        data["household"] = [member.masked(m) for m in data.get("household") or []]
    return {
        "id": registration.pk,
        "organisation": registration.organisation_id,
        "personal": see.allowed,
        "data": data,
    }


@router.get("", response=list[SummaryOut])
@paginate(LimitOffsetPagination)
def list_registrations(request, filters: Query[Filters]):
    require(request, AREA, Action.VIEW)
    see = disclosure.to(request.user, Registration)
    queryset = Registration.objects.for_user(request.user).active().select_related("country", "area")
    values = filters.dict()
    values["post"] = None
    if filters.post is not None:
        values["post"] = _visible_posts(request.user).filter(pk=filters.post).first() or -1
    values["country"] = (
        Country.objects.filter(code=filters.country.upper()).first() if filters.country else None
    )
    values["area"] = AdminArea.objects.filter(pcode=filters.area).first() if filters.area else None
    values["language"] = (normalise_language(filters.language) or "-") if filters.language else ""
    if (
        (filters.country and values["country"] is None)
        or (filters.area and values["area"] is None)
        or values["post"] == -1
    ):
        return Mapped(queryset.none(), lambda r: _summary(r, see))
    return Mapped(
        services.search_registrations(queryset, **values).order_by("family_name", "given_names", "pk"),
        lambda r: _summary(r, see),
        seen=_audit_listed(see),
    )


def _save(request, payload, instance=None, response=None):
    see = disclosure.to(request.user, Registration)
    if not see.allowed:
        raise PermissionDenied  # a registration is personal data through and through
    services.check_writer(request.user, instance)
    # Held to the version its client read (If-Match): 412 before anything is parsed when it is stale,
    # and checked again under the row lock when the registration is written.
    version = matched_version(request, instance) if instance is not None else ""
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation).first()
    elif instance is not None:
        organisation = instance.organisation
    country = Country.objects.filter(code=str(payload.country or "").upper()).first()
    region = defaults.phone_region(request.user, organisation, country)
    values, consents, household, trips, errors = parsed(payload, region=region)
    values.update(source=payload.source, kind=payload.kind, organisation=None)
    if payload.organisation is not None:
        values["organisation"] = organisation
        if values["organisation"] is None:
            errors.setdefault("organisation", []).append(_("Choose a post you may write for."))
    if errors:
        return invalid(errors)
    try:
        if instance is None:
            saved, _created = services.register(
                request.user, values, consents=consents, household=household, trips=trips
            )
        else:
            saved = services.update_registration(
                request.user,
                instance,
                values,
                consents=consents,
                household=household,
                trips=trips,
                version=version,
            )
    except services.Invalid as exc:
        return invalid(exc.errors)
    except services.NoPost as exc:
        return invalid({"organisation": [str(exc)]})
    if response is not None:
        etag(response, Registration._base_manager.get(pk=saved.pk))  # the version as stored
    return Status(200 if instance else 201, _detail(saved, see))


@router.post("", response={201: DetailOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_registration(request, payload: StaffRegistrationIn):
    require(request, AREA, Action.CHANGE)
    return _save(request, payload)


@router.get("/{pk}", response={200: DetailOut, 404: ErrorOut})
def get_registration(request, pk: Id, response: HttpResponse, reason: ShortText = ""):
    registration = get_object_or_404(Registration.objects.for_user(request.user), pk=pk)
    etag(response, registration)
    see = disclosure.to(request.user, registration)
    # Every opening is logged (the reason with it), with the personal fields shown if any.
    audit.record(AuditAction.VIEW, obj=registration, fields=see.shown(registration), reason=reason)
    return Status(200, _detail(registration, see))


@router.put(
    "/{pk}", response={200: DetailOut, 404: ErrorOut, 412: ErrorOut, 422: FieldErrorsOut, 403: ErrorOut}
)
def update_registration(request, pk: Id, payload: StaffRegistrationIn, response: HttpResponse):
    require(request, AREA, Action.CHANGE)
    registration = get_object_or_404(Registration.objects.for_user(request.user, Action.CHANGE), pk=pk)
    return _save(request, payload, instance=registration, response=response)


@router.delete("/{pk}", response={204: None, 404: ErrorOut, 403: ErrorOut})
def delete_registration(request, pk: Id):
    """The person withdrew: the registration and everything attached go; the log keeps counts only."""
    require(request, AREA, Action.CHANGE)
    registration = get_object_or_404(Registration.objects.for_user(request.user, Action.CHANGE), pk=pk)
    services.erase(Registration.objects.filter(pk=registration.pk), "registration withdrawn (api)")
    return Status(204, None)
