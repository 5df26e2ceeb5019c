"""Registrations of nationals abroad in the staff JSON API: the same form, scopes, masking and audit as the pages.

Lists never carry personal fields; names, the town and special needs are shown
only to roles with the personal-data permission (masked for others), and every
page listed is audited. A GET of one registration shows the personal fields to
roles with that permission and is audited. A PUT replaces the whole
registration, household included.
"""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lifeline.api.common import ErrorOut, FieldErrorsOut, Id, Mapped, ShortText, invalid, require
from lifeline.core import audit
from lifeline.core.models import Action, Area, AuditAction, Organisation
from lifeline.core.names import normalise_language
from lifeline.core.permissions import has_perm
from lifeline.geo.models import AdminArea, Country
from lifeline.nationals import services
from lifeline.nationals.app_api import RegistrationIn, parsed
from lifeline.nationals.models import Kind, Registration, Source, SpecialNeed, StayType
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


# What the list shows of a person only to roles that may see personal data.
LISTED_PERSONAL = ["given_names", "family_name", "city", "special_needs"]


def _summary(r, personal=True):
    return {
        "id": r.pk,
        "organisation": r.organisation_id,
        "personal": personal,
        "given_names": r.given_names if personal else "",
        "family_name": r.family_name if personal else "",
        "country": r.country.code,
        "area": r.area.pcode if r.area_id else None,
        "city": r.city if personal else "",
        "stay_type": r.stay_type,
        "languages": list(r.languages or []),
        "special_needs": list(r.special_needs or []) if personal else [],
        "document_status": r.document_status,
        "expires_on": r.expires_on,
    }


def _audit_listed(personal):
    """Audit a page of the list: one entry per person whose details were shown, else one for the page."""

    def seen(rows):
        if not rows:
            return
        if not personal:
            audit.record(
                AuditAction.VIEW,
                object_type="nationals.registration",
                object_repr=_("%(n)s records, names masked") % {"n": len(rows)},
                reason=_("list of registrations (API)"),
            )
            return
        template = audit.EntryTemplate(AuditAction.VIEW, Registration, LISTED_PERSONAL)
        entries = []
        for row in rows:
            values = template.for_object(row)
            values["reason"] = _("list of registrations (API)")
            entries.append(values)
        audit.save_entries(entries)

    return seen


def _detail(registration, personal):
    data = services.export_data(registration)
    data.pop("devices", None)
    if not personal:
        for name in Registration.personal_fields + ("date_of_birth",):
            data[name] = None
    return {
        "id": registration.pk,
        "organisation": registration.organisation_id,
        "personal": personal,
        "data": data,
    }


@router.get("", response=list[SummaryOut])
@paginate(LimitOffsetPagination)
def list_registrations(request, filters: Query[Filters]):
    require(request, AREA, Action.VIEW)
    personal = has_perm(request.user, AREA, Action.PERSONAL)
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
        return Mapped(queryset.none(), _summary)
    return Mapped(
        services.search_registrations(queryset, **values).order_by("family_name", "given_names", "pk"),
        lambda r: _summary(r, personal),
        seen=_audit_listed(personal),
    )


def _save(request, payload, instance=None):
    services.check_writer(request.user, instance)
    values, consents, household, trips, errors = parsed(payload)
    values.update(source=payload.source, kind=payload.kind, organisation=None)
    if payload.organisation is not None:
        values["organisation"] = Organisation.objects.filter(pk=payload.organisation).first()
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
                request.user, instance, values, consents=consents, household=household, trips=trips
            )
    except services.Invalid as exc:
        return invalid(exc.errors)
    except services.NoPost as exc:
        return invalid({"organisation": [str(exc)]})
    return Status(200 if instance else 201, _detail(saved, True))


@router.post("", response={201: DetailOut, 422: FieldErrorsOut, 403: ErrorOut})
def create_registration(request, payload: StaffRegistrationIn):
    require(request, AREA, Action.CHANGE)
    return _save(request, payload)


@router.get("/{pk}", response={200: DetailOut, 404: ErrorOut})
def get_registration(request, pk: Id, reason: ShortText = ""):
    registration = get_object_or_404(Registration.objects.for_user(request.user), pk=pk)
    personal = has_perm(request.user, AREA, Action.PERSONAL)
    audit.record(
        AuditAction.VIEW,
        obj=registration,
        fields=services.personal_shown(registration) if personal else [],
        reason=reason,
    )
    return Status(200, _detail(registration, personal))


@router.put("/{pk}", response={200: DetailOut, 404: ErrorOut, 422: FieldErrorsOut, 403: ErrorOut})
def update_registration(request, pk: Id, payload: StaffRegistrationIn):
    require(request, AREA, Action.CHANGE)
    registration = get_object_or_404(Registration.objects.for_user(request.user, Action.CHANGE), pk=pk)
    return _save(request, payload, instance=registration)


@router.delete("/{pk}", response={204: None, 404: ErrorOut, 403: ErrorOut})
def delete_registration(request, pk: Id):
    """The person withdrew: the registration and everything attached go; the log keeps counts only."""
    require(request, AREA, Action.CHANGE)
    registration = get_object_or_404(Registration.objects.for_user(request.user, Action.CHANGE), pk=pk)
    services.erase(Registration.objects.filter(pk=registration.pk), "registration withdrawn (api)")
    return Status(204, None)
