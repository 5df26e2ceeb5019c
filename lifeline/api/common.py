"""What every API endpoint shares: token auth, safe input types, errors, import and export."""

from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import AfterValidator, Field

from lifeline.core import audit, disclosure
from lifeline.core.http import client_ip
from lifeline.core.models import Action, ApiToken, AuditAction
from lifeline.core.permissions import has_perm, writable_organisations
from lifeline.core.tabular import TableError, export_table, import_table, personal_columns, table_response
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.core.versions import ChangedMeanwhile, fingerprint


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul), Field(max_length=5000)]
ShortText = Annotated[str, AfterValidator(_no_nul), Field(max_length=300)]
Id = Annotated[int, Field(ge=1, le=2**62)]


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("line breaks are not allowed")
    return value


# A value written into a form's one-per-line text (such as ``type:value`` handles): one line only.
Line = Annotated[ShortText, AfterValidator(_one_line)]
# A whole number small enough to hand to a form, whose own validators decide the range.
Number = Annotated[int, Field(ge=-(2**62), le=2**62)]


class TokenAuth(HttpBearer):
    """Bearer tokens from My account; the request then acts, and is audited, as the token's user."""

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("user", "user__profile")
            .filter(
                digest=ApiToken.hash(token), revoked=False, expires__gt=timezone.now(), user__is_active=True
            )
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used is None or (now - found.last_used).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        audit._current.set(audit.Actor(user=found.user, ip=client_ip(request), via="api"))
        return found.user


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ReportOut(Schema):
    ok: bool
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowErrorOut]
    summary: str


def require(request, area, action):
    if not has_perm(request.user, area, action):
        raise PermissionDenied


def etag(response, instance):
    """Give ``response`` the version of ``instance`` (``core/versions``) as its ETag."""
    response["ETag"] = f'"{fingerprint(instance)}"'


def if_match(request, instance, data):
    """Hold a PUT to the version its client read: the 412 answer when ``If-Match`` names another
    version of ``instance``, else None; the version goes into the form's ``data`` so that the save
    checks it again under the row lock."""
    try:
        seen = matched_version(request, instance)
    except ChangedMeanwhile as exc:
        return Status(412, {"detail": str(exc)})
    if seen:
        data[VERSION_FIELD] = seen
    return None


def matched_version(request, instance):
    """The version a PUT's ``If-Match`` holds it to, for a write service that checks it again under
    the row lock ("" when the client names none); ``ChangedMeanwhile`` (412) when it names another
    version of ``instance``."""
    wanted = request.headers.get("If-Match", "").strip()
    if not wanted or wanted == "*":
        return ""
    seen = wanted.removeprefix("W/").strip('"')
    if seen != fingerprint(instance):
        raise ChangedMeanwhile(instance)
    return seen


def form_errors(form):
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def invalid(errors):
    """The 422 answer to a payload the forms refused: ``errors`` is {field: [messages]}."""
    return Status(422, {"detail": "invalid", "errors": errors})


def owner_id(request, requested, instance=None):
    """The organisation a record is kept by, for its form to check against the writable ones.

    The one asked for; else, on an update, the record's own; else the user's."""
    if requested is not None:
        return requested
    if instance is not None:
        return instance.organisation_id
    profile = getattr(request.user, "profile", None)
    return profile.organisation_id if profile is not None else None


def area_rows(pcodes, one=False):
    """P-codes → (the admin areas they name, in order; the errors of those that name none: [] when
    all do). ``one``: the payload's field holds a single P-code (the message names it alone)."""
    from lifeline.geo.models import AdminArea

    found = {a.pcode: a for a in AdminArea.objects.filter(pcode__in=set(pcodes))}
    unknown = [p for p in pcodes if p not in found]
    if not unknown:
        errors = []
    elif one:
        errors = [f"Unknown P-code: {unknown[0]}"]
    else:
        errors = [f"Unknown P-codes: {', '.join(unknown)}"]
    return [found[p] for p in pcodes if p in found], errors


def area_ids(pcodes):
    """P-codes → (ids of the areas found, in order, the P-codes that name no area)."""
    from lifeline.geo.models import AdminArea

    found = dict(AdminArea.objects.filter(pcode__in=set(pcodes)).values_list("pcode", "pk"))
    return [found[p] for p in pcodes if p in found], [p for p in pcodes if p not in found]


def language_rows(codes):
    """ISO 639 codes or language names → (``Language`` rows, in order, each once; the errors of those
    that name no language, in the words of the page's language field: [] when all do)."""
    from django.core.exceptions import ValidationError

    from lifeline.core.forms import LanguageCodesField

    try:
        return list(LanguageCodesField().clean(", ".join(c for c in codes if c))), []
    except ValidationError as exc:
        return [], [str(m) for m in exc.messages]


# Pagination's offset is unbounded; SQL's OFFSET is a 64-bit integer. Past this, a page is empty anyway.
MAX_OFFSET = 2**62


class Mapped:
    """A queryset seen through ``to_dict``, for pagination: it counts and slices the queryset in SQL
    and turns only the page it returns into dicts (after handing the page to ``seen``, if given)."""

    def __init__(self, queryset, to_dict, seen=None):
        self.queryset, self.to_dict, self.seen = queryset, to_dict, seen

    def all(self):
        return self

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            if (index.start or 0) > MAX_OFFSET:
                return []
            rows = list(self.queryset[index])
            if self.seen is not None:
                self.seen(rows)  # e.g. audit the page of people actually returned
            return [self.to_dict(obj) for obj in rows]
        return self.to_dict(self.queryset[index])


def organisation_for(request, organisation_id, area=None):
    """The organisation a new record (in ``area``, if given) goes to: one the user may write to."""
    organisations = writable_organisations(request.user, area)
    if organisation_id is None:
        profile = getattr(request.user, "profile", None)
        if profile is None:
            raise HttpError(422, "organisation is required")
        return profile.organisation
    found = organisations.filter(pk=organisation_id).first()
    if found is None:
        raise HttpError(422, "organisation: not one you may write to")
    return found


def run_import(request, schema, area, upload, organisation_id, dry_run):
    require(request, area, Action.CHANGE)
    organisation = organisation_for(request, organisation_id)
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise HttpError(413, "file too large")
    try:
        report = import_table(
            schema,
            upload,
            upload.name,
            organisation,
            user=request.user,
            dry_run=dry_run,
            include_personal=disclosure.may_see(request.user, schema.model),
        )
    except TableError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status((200 if report.ok else 400), report.as_dict())


def run_export(request, schema, area, queryset, fmt, hxl):
    require(request, area, Action.EXPORT)
    personal = disclosure.may_see(request.user, schema.model)
    data = export_table(schema, queryset, fmt=fmt, hxl=hxl, include_personal=personal)
    audit.record(
        AuditAction.EXPORT,
        object_type=f"{schema.model._meta.app_label}.{schema.model._meta.model_name}",
        object_repr=f"{queryset.count()} records ({fmt}, api)",
        fields=personal_columns(schema) if personal else [],
    )
    return table_response(data, fmt, schema.key)
