"""Rules about crises and check-ins that pages, API, commands, tasks and the bench all call.

Targeting (``registrations_in``) is the hot path: candidates are read in SQL by
country and the area's bounding box on the coarse, indexed lat/lon, as plain
tuples; shapely tests them all at once; admin areas and whole countries add
their registrations. ``materialise`` stores the answer in ``CrisisMember`` so
that everything else joins on it.
"""

import json
import math
from typing import NamedTuple

import numpy as np
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.geometry import Polygon, mapping, shape
from shapely.ops import unary_union

from lifeline.core import languages
from lifeline.core.audit import object_label
from lifeline.core.db import hot_cursor
from lifeline.core.fields import blind_index
from lifeline.core.languages import ui_language
from lifeline.core.models import Organisation
from lifeline.core.names import language_name
from lifeline.crises import answering
from lifeline.crises.models import (
    CheckInAnswer,
    CheckInCampaign,
    CheckInRequest,
    CheckInStatus,
    Crisis,
    CrisisMember,
    JustInTimeSubmission,
    Status,
    Via,
    ministry_tree,
)
from lifeline.geo.models import AdminArea
from lifeline.nationals.models import HouseholdMember, Purpose, Registration, SpecialNeed, StayType

MAX_GEOJSON_BYTES = 5 * 1024 * 1024
EARTH_KM_PER_DEGREE = 111.32


# --- the affected area ----------------------------------------------------------


def read_geojson(text):
    """GeoJSON text read as JSON (what ``area_of`` takes); ValidationError when it cannot be."""
    if len(text) > MAX_GEOJSON_BYTES:
        raise ValidationError(_("The GeoJSON is larger than 5 MB."))
    try:
        return json.loads(text)
    except ValueError:
        raise ValidationError(_("This is not valid GeoJSON (it is not even valid JSON).")) from None


def area_of(data):
    """A Polygon or MultiPolygon from GeoJSON read as JSON (a geometry, Feature or FeatureCollection).

    Raises ValidationError with a message for the person who drew or uploaded it."""
    polygons = []
    _collect(data, polygons, depth=0)
    if not polygons:
        raise ValidationError(_("The GeoJSON holds no polygon."))
    geometry = unary_union(polygons) if len(polygons) > 1 else polygons[0]
    if geometry.is_empty or geometry.area == 0 or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The polygons do not enclose an area."))
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValidationError(
            _("Coordinates must be longitude, latitude in degrees (longitude first, as GeoJSON says).")
        )
    return geometry


def parse_area(text):
    """A Polygon or MultiPolygon from GeoJSON text (``read_geojson``, then ``area_of``)."""
    return area_of(read_geojson(text))


def _collect(obj, polygons, depth):
    if depth > 2 or not isinstance(obj, dict):
        raise ValidationError(_("This is not a GeoJSON geometry, Feature or FeatureCollection."))
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise ValidationError(_("This FeatureCollection has no list of features."))
        for feature in features:
            _collect(feature, polygons, depth + 1)
    elif kind == "Feature":
        _collect(obj.get("geometry"), polygons, depth + 1)
    elif kind in ("Polygon", "MultiPolygon"):
        try:
            geometry = shape(obj)
        except Exception:  # shapely raises several types for malformed coordinates
            raise ValidationError(_("A polygon has malformed coordinates.")) from None
        if not geometry.is_valid:
            raise ValidationError(_("A polygon is not valid: its edges cross or it is not closed."))
        polygons.append(geometry)
    else:
        raise ValidationError(
            _("Only polygons can be an affected area; this GeoJSON holds a %(type)s.")
            % {"type": str(kind)[:40]}
        )


def geometry_text(geometry):
    return json.dumps(mapping(geometry), separators=(",", ":"))


def circle_polygon(lat, lon, radius_km, sides=64):
    """A circle as a polygon, in a local flat projection (good enough at crisis scale)."""
    angles = np.linspace(0, 2 * math.pi, sides, endpoint=False)
    dlat = radius_km / EARTH_KM_PER_DEGREE
    dlon = radius_km / (EARTH_KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return Polygon(np.column_stack([lon + dlon * np.cos(angles), lat + dlat * np.sin(angles)]))


def crisis_shape(crisis):
    """The drawn or uploaded polygon and the circle, as one geometry; None when the crisis has neither."""
    parts = []
    if crisis.geometry:
        parts.append(shape(json.loads(crisis.geometry)))
    if crisis.circle_radius_km and crisis.circle_lat is not None and crisis.circle_lon is not None:
        parts.append(circle_polygon(crisis.circle_lat, crisis.circle_lon, crisis.circle_radius_km))
    if not parts:
        return None
    return unary_union(parts) if len(parts) > 1 else parts[0]


# --- targeting --------------------------------------------------------------------


def _rows(queryset):
    """Run a values_list queryset and return its raw tuples (no per-row model or converter work)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _ids(queryset):
    return _ids_of(queryset.values_list("id"))


def registrations_in(crisis):
    """Ids (sorted numpy int64) of the active registrations of the crisis's ministry inside its area."""
    base = Registration.objects.filter(
        merged_into__isnull=True, organisation_id__in=ministry_tree(crisis.organisation_id)
    )
    parts = [np.empty(0, dtype=np.int64)]
    geometry = crisis_shape(crisis)
    if geometry is not None:
        minx, miny, maxx, maxy = geometry.bounds
        rows = _rows(
            base.filter(
                country_id=crisis.country_id, lat__gte=miny, lat__lte=maxy, lon__gte=minx, lon__lte=maxx
            )
            .order_by()
            .values_list("id", "lat", "lon")
        )
        if rows:
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            lats = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
            lons = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
            shapely.prepare(geometry)
            parts.append(ids[shapely.contains_xy(geometry, lons, lats)])
    area_ids = list(crisis.areas.values_list("id", flat=True))
    if area_ids:
        within = list(AdminArea.objects.filter(parent_id__in=area_ids).values_list("id", flat=True))
        parts.append(_ids(base.filter(area_id__in=area_ids + within).order_by()))
    country_ids = list(crisis.countries.values_list("id", flat=True))
    if country_ids:
        parts.append(_ids(base.filter(country_id__in=country_ids).order_by()))
    return np.unique(np.concatenate(parts))


def materialise(crisis):
    """Store who is inside the crisis area (CrisisMember) and the count; returns the count."""
    ids = registrations_in(crisis)
    with transaction.atomic():
        stored = _ids_of(
            CrisisMember.objects.filter(crisis=crisis)
            .order_by("registration_id")
            .values_list("registration_id")
        )
        if not np.array_equal(stored, ids):
            CrisisMember.objects.filter(crisis=crisis)._raw_delete(CrisisMember.objects.db)
            _insert_members(crisis.pk, ids)
        now = timezone.now()
        Crisis.objects.filter(pk=crisis.pk).update(member_count=len(ids), counted=now)
    crisis.member_count, crisis.counted = len(ids), now
    return len(ids)


def _ids_of(values_list):
    rows = _rows(values_list)
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _insert_members(crisis_id, ids):
    """Bulk insert of (crisis, registration) pairs: one COPY stream on PostgreSQL, executemany elsewhere."""
    table = connection.ops.quote_name(CrisisMember._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (crisis_id, registration_id) FROM STDIN") as copy:
                for start in range(0, len(ids), 50_000):
                    copy.write("".join(f"{crisis_id}\t{i}\n" for i in ids[start : start + 50_000].tolist()))
        else:
            cursor.executemany(
                f"INSERT INTO {table} (crisis_id, registration_id) VALUES (%s, %s)",
                [(crisis_id, i) for i in ids.tolist()],
            )


def members(crisis):
    """The registrations inside the crisis area, as a queryset joined on the materialised set."""
    return Registration.objects.filter(
        id__in=CrisisMember.objects.filter(crisis=crisis).values("registration_id")
    )


# --- live figures -----------------------------------------------------------------


def _eighteen_years_ago(today):
    try:
        return today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 18, day=28)


def figures(crisis):
    """Nationals and household members inside the area, by post, area, stay, language, children, needs."""
    regs = members(crisis)
    household = HouseholdMember.objects.filter(registration__in=regs)

    def grouped(field, label):
        nationals = dict(regs.values_list(field).annotate(n=Count("id")).order_by())
        others = dict(household.values_list(f"registration__{field}").annotate(n=Count("id")).order_by())
        keys = sorted(
            set(nationals) | set(others), key=lambda k: (-(nationals.get(k, 0) + others.get(k, 0)), str(k))
        )
        return [
            {
                "key": "" if k is None else str(k),
                "label": label(k),
                "nationals": nationals.get(k, 0),
                "members": others.get(k, 0),
            }
            for k in keys
        ]

    post_names = dict(
        Organisation.objects.filter(id__in=regs.values("organisation_id")).values_list("id", "name")
    )
    area_names = dict(AdminArea.objects.filter(id__in=regs.values("area_id")).values_list("id", "name"))
    stay_labels = dict(StayType.choices)
    need_labels = dict(SpecialNeed.choices)

    needs = {}
    for column, queryset in (("nationals", regs), ("members", household)):
        for value, n in queryset.values_list("special_needs").annotate(n=Count("id")).order_by():
            for need in value or []:
                needs.setdefault(need, {"nationals": 0, "members": 0})[column] += n
    cutoff = _eighteen_years_ago(timezone.localdate())
    children = household.filter(date_of_birth__gt=cutoff)
    nationals, members_total = regs.count(), household.count()
    return {
        "nationals": nationals,
        "household_members": members_total,
        "people": nationals + members_total,
        "by_post": grouped("organisation", lambda k: post_names.get(k, "")),
        "by_area": grouped("area", lambda k: area_names.get(k, _("Admin area not known"))),
        "by_stay_type": grouped("stay_type", lambda k: str(stay_labels.get(k, k))),
        "by_language": grouped("primary_language", lambda k: language_name(k) if k else _("Not given")),
        "children": {
            "unaccompanied": household.filter(unaccompanied=True).count(),
            "members_under_18": children.count(),
            "registered_under_18": regs.filter(date_of_birth__gt=cutoff).count(),
        },
        "special_needs": [
            {"key": k, "label": str(need_labels.get(k, k)), **v}
            for k, v in sorted(needs.items(), key=lambda kv: -sum(kv[1].values()))
        ],
        "counted": crisis.counted,
    }


# --- declaring and closing ------------------------------------------------------------


# The values of a crisis that ``save_crisis`` writes: ``organisation`` an Organisation row,
# ``country`` a Country row, ``areas`` a list of level-1 AdminArea rows, ``countries`` a list of
# Country rows, ``geometry`` GeoJSON read as JSON (a dict) or None, the circle three numbers or None.
CRISIS_FIELDS = (
    "name",
    "type",
    "phase",
    "organisation",
    "country",
    "description",
    "geometry",
    "circle_lat",
    "circle_lon",
    "circle_radius_km",
    "areas",
    "countries",
)
CRISIS_MANY = ("areas", "countries")
# A change to any of these changes who is inside: the crisis is counted again.
AREA_FIELDS = {
    "geometry",
    "circle_lat",
    "circle_lon",
    "circle_radius_km",
    "country",
    "areas",
    "countries",
    "organisation",
}


def _acting(by):
    from lifeline.core import audit

    current = audit.current_actor()
    return audit.acting_as(by, ip=current.ip, via=current.via)


def check_crisis_writer(by, crisis=None):
    """Refuse (PermissionDenied) a user who may not declare or change crises, or this one."""
    from django.core.exceptions import PermissionDenied

    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm

    if not has_perm(by, Area.CRISES, Action.CHANGE):
        raise PermissionDenied
    if (
        crisis is not None
        and crisis.pk is not None
        and not Crisis.objects.for_user(by, Action.CHANGE).filter(pk=crisis.pk).exists()
    ):
        raise PermissionDenied


def _invalid_choice(value):
    from django.forms import ModelMultipleChoiceField

    return str(ModelMultipleChoiceField.default_error_messages["invalid_choice"]) % {"value": value}


def crisis_errors(by, crisis, values):
    """The rules of a crisis's values, {field: [messages]} ({} when they hold): led by an
    organisation the user may write to; admin areas of the first level; the affected area a
    polygon that encloses an area (``area_of``), a whole circle inside the world's coordinates,
    and at least one of polygon, circle, admin areas or countries; and the model's own rules
    (lengths, choices). Rules that span fields are named ``__all__``."""
    from django.forms import ModelChoiceField

    from lifeline.core.permissions import writable_organisations

    errors = {}
    required = [_("This field is required.")]
    if not str(values.get("name") or "").strip():
        errors["name"] = required
    organisation = values.get("organisation")
    if organisation is None:
        errors["organisation"] = required
    elif not writable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    if values.get("country") is None:
        errors["country"] = required
    geometry = values.get("geometry")
    if geometry is not None:
        try:
            area_of(geometry)
        except ValidationError as exc:
            errors["geometry"] = [str(m) for m in exc.messages]
    bounds = {
        "circle_lat": (lambda v: -90 <= v <= 90, _("Latitude is between -90 and 90.")),
        "circle_lon": (lambda v: -180 <= v <= 180, _("Longitude is between -180 and 180.")),
        "circle_radius_km": (lambda v: 0 < v <= 2000, _("The radius is more than 0 and at most 2,000 km.")),
    }
    for name, (holds, message) in bounds.items():
        value = values.get(name)
        if value is not None and not holds(value):
            errors[name] = [message]
    outside = [str(a.pk) for a in values.get("areas") or () if a.level != 1]
    if outside:
        errors["areas"] = [_invalid_choice(outside[0])]
    candidate = Crisis()
    if crisis is not None:
        candidate.pk = crisis.pk
    _apply_crisis(candidate, {k: v for k, v in values.items() if k != "geometry"})
    try:
        candidate.full_clean(exclude=[*errors, "geometry"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update({field: [str(m) for m in found] for field, found in exc.message_dict.items()})
    # A number refused above counts as not given, as it did when the form checked it.
    circle = [
        None if n in errors else values.get(n) for n in ("circle_lat", "circle_lon", "circle_radius_km")
    ]
    whole = []
    if any(v is not None for v in circle) and not all(v is not None for v in circle):
        whole.append(_("A circle needs a centre latitude, a centre longitude and a radius."))
    has_area = (
        geometry is not None
        or all(v is not None for v in circle)
        or values.get("areas")
        or values.get("countries")
    )
    if not has_area and not errors and not whole:
        whole.append(
            _("Give the affected area: a polygon, a file, a circle, admin areas or whole countries.")
        )
    ordered = {name: errors[name] for name in CRISIS_FIELDS if name in errors}
    ordered.update({k: v for k, v in errors.items() if k not in ordered})
    if whole:
        ordered["__all__"] = whole
    return ordered


def _apply_crisis(crisis, values):
    """Copy ``values`` onto ``crisis`` (not its many-to-many links); the geometry stored as text."""
    for name in CRISIS_FIELDS:
        if name in CRISIS_MANY or name not in values:
            continue
        value = values[name]
        if name == "geometry":
            value = geometry_text(area_of(value)) if value is not None else ""
        elif name == "description":
            value = value or ""
        setattr(crisis, name, value)


def _area_of_stored(crisis):
    """What decides who is inside, as the database holds it for ``crisis`` (None when unsaved)."""
    if crisis is None or crisis.pk is None:
        return None
    stored = Crisis.objects.filter(pk=crisis.pk).first()
    if stored is None:
        return None
    return (
        stored.geometry,
        stored.circle_lat,
        stored.circle_lon,
        stored.circle_radius_km,
        stored.country_id,
        stored.organisation_id,
        sorted(stored.areas.values_list("pk", flat=True)),
        sorted(stored.countries.values_list("pk", flat=True)),
        stored.counted is None,
    )


def save_crisis(by, crisis, values, *, version=""):
    """Declare (``crisis`` None) or change a crisis, as ``by``: every rule checked before anything
    is saved (``crisis_errors``), then saved with its admin areas and countries in one transaction,
    counted again (``materialise``) when it was never counted or its area changed, and audited as
    ``by``. ``values`` are plain values (see ``CRISIS_FIELDS``). ``version`` is the one its author
    read (``core/versions``): when the crisis has changed since, ``ChangedMeanwhile`` and nothing
    changes. Refused input raises ``Invalid``. Returns the crisis."""
    from lifeline.core.errors import Invalid
    from lifeline.core.versions import ChangedMeanwhile, current_fingerprint

    check_crisis_writer(by, crisis)
    errors = crisis_errors(by, crisis, values)
    if errors:
        raise Invalid(errors)
    with _acting(by), transaction.atomic():
        stale = version and crisis is not None and crisis.pk is not None
        if stale and current_fingerprint(crisis, lock=True) != version:
            raise ChangedMeanwhile(crisis)
        before = _area_of_stored(crisis)
        crisis = crisis if crisis is not None else Crisis()
        _apply_crisis(crisis, values)
        crisis.save()
        for name in CRISIS_MANY:
            if name in values:
                getattr(crisis, name).set(values[name])
        if before is None or before[-1] or before != _area_of_stored(crisis):
            materialise(crisis)
    return crisis


def close_crisis(crisis):
    now = timezone.now()
    with transaction.atomic():
        crisis.status, crisis.closed = Status.CLOSED, now
        crisis.save()
        for campaign in crisis.campaigns.filter(closed__isnull=True):
            campaign.closed = now
            campaign.save()
    return crisis


# --- check-in campaigns -------------------------------------------------------------------


def start_campaign(crisis, messages, user=None, send=True):
    """Ask everyone inside the area "are you safe?": one request each, then send (after commit, in the background)."""
    messages = {k: v.strip() for k, v in messages.items() if v and v.strip()}
    if not crisis.is_active:
        raise ValidationError(_("This crisis is closed."))
    if not messages:
        raise ValidationError(_("Write the message in at least one language."))
    with transaction.atomic():
        materialise(crisis)
        campaign = CheckInCampaign.objects.create(crisis=crisis, messages=messages, created_by=user)
        # One portable INSERT ... SELECT over the materialised set: no id list leaves the database.
        table, members_table = CheckInRequest._meta.db_table, CrisisMember._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (campaign_id, registration_id, status, via, note) "
                f"SELECT %s, registration_id, %s, '', '' FROM {members_table} WHERE crisis_id = %s",
                [campaign.pk, CheckInStatus.NO_ANSWER, crisis.pk],
            )
    if send:
        from lifeline.crises.tasks import dispatch_campaign_task

        transaction.on_commit(lambda: dispatch_campaign_task.delay(campaign.pk))
    return campaign


DEFAULT_CHECKIN = gettext_noop("Are you safe? Please answer in the app or reply SAFE or HELP.")


def saved_texts(crisis):
    """The texts the composer starts from: the crisis's last campaign's, else the default question in
    the languages the catalogs have it in (never English standing in another language's box)."""
    last = crisis.campaigns.order_by("-started", "-id").first()
    if last is not None and last.messages:
        return dict(last.messages)
    return {}


def default_text(code):
    """The default check-in question in ``code``, or "" if no catalog has it in that language."""
    with translation.override(ui_language([code])):
        text = _(DEFAULT_CHECKIN)
        if languages.base(translation.get_language()) != languages.base(code):
            return ""
    return text if (text != DEFAULT_CHECKIN or languages.base(code) == "en") else ""


def composer_languages(crisis, messages=None):
    """What the check-in composer starts from: the first languages of the people a campaign started now
    would reach (the ``crisis`` audience, paged by the send's own resolver and counted by
    ``messaging.services.preview_audience``, choosing languages as the send does), most read first.

    Each row: ``code`` ("" for people who gave no language), ``name``, ``people``, ``has_text`` (a text in
    ``messages`` serves them), ``fallback`` (of them, those none of whose languages has a text: they would
    get ``gets``, a fallback language). Returns (rows, totals) with totals ``people`` and ``fallback``."""
    from lifeline.messaging.services import preview_audience

    written = {code: text for code, text in (messages or {}).items() if text and str(text).strip()}
    preview = preview_audience(
        {"kind": "crisis", "crisis": crisis.pk}, {c: {"body": t} for c, t in written.items()}
    )
    rows = []
    for code, people in preview["by_first_language"].items():
        known = "" if code == "—" else code
        gets = languages.pick_language(written, [known] if known else [])
        rows.append(
            {
                "code": known,
                "name": language_name(known) if known else _("No language given"),
                "people": people,
                "has_text": bool(known) and languages.match(known, list(written)) is not None,
                "fallback": preview["fallback"].get(code, 0),
                "gets": language_name(gets) if gets else "",
            }
        )
    rows.sort(key=lambda row: (-row["people"], row["code"] == "", str(row["name"])))
    totals = {"people": preview["total"], "fallback": sum(preview["fallback"].values())}
    return rows, totals


def campaign_texts(campaign):
    """The check-in in each language it is written in, with how to answer, for every channel."""
    texts = {}
    for code, message in campaign.messages.items():
        with translation.override(ui_language([code])):
            subject = _("Are you safe? %(crisis)s") % {"crisis": campaign.crisis.name}
            footer = _(
                "Answer in the app: I am safe / I need help / I am not in the area. Or reply SAFE or HELP by SMS."
            )
        texts[code] = {
            "subject": subject,
            "body": f"{message}\n\n{footer}",
            "short": f"{message} SAFE/HELP"[:300],
        }
    return texts


def dispatch_campaign(campaign):
    """Send a campaign through the messaging engine: push to the app, else SMS, else email, in each person's language.

    The requests are already the app's inbox; this reaches those who agreed to crisis messages.
    Returns the messaging send."""
    from lifeline.messaging.models import Send
    from lifeline.messaging.services import start_send

    send_id = CheckInCampaign.objects.filter(pk=campaign.pk).values_list("send_id", flat=True).first()
    if send_id is not None:  # a retried task never sends twice
        return Send.objects.get(pk=send_id)
    send = start_send(
        organisation=campaign.crisis.organisation,
        user=None,
        name=str(campaign)[:200],
        audience={"kind": "campaign", "campaign": campaign.pk},
        texts=campaign_texts(campaign),
        channels=["push", "sms", "email"],
        source=f"campaign:{campaign.pk}",
    )
    CheckInCampaign.objects.filter(pk=campaign.pk).update(send=send)
    campaign.send = send
    return send


def open_requests(registration_ids):
    """Requests still open (campaign not closed, crisis active) for these registrations, newest first."""
    return (
        CheckInRequest.objects.filter(
            registration_id__in=registration_ids,
            campaign__closed__isnull=True,
            campaign__crisis__status=Status.ACTIVE,
        )
        .select_related("campaign", "campaign__crisis", "campaign__send")
        .order_by("-campaign__started", "-id")
    )


ANSWERS = [c for c in CheckInStatus.values if c != CheckInStatus.NO_ANSWER]


class Recorded(NamedTuple):
    """What ``record_answer`` did: the answer (None: nothing open to answer), whether it is new
    (False: a retry with a known key returned the first answer, or nothing was recorded) and, for an
    answer found by a device's token, the device (None: the token is nobody's)."""

    answer: CheckInAnswer | None
    created: bool
    device: object = None


def record_answer(
    answer,
    via,
    *,
    request=None,
    registration_id=None,
    token=None,
    request_id=None,
    campaign_id=None,
    note="",
    location="",
    user=None,
    idempotency_key=None,
    at=None,
):
    """Record one answer to "are you safe?". Every path calls this: staff on the board and the staff
    API, the nationals' app (its API and the fast lane in front of it), SMS keywords, the demo.

    Who answers is one of ``request`` (staff log an answer to this request), ``registration_id``
    (the person's newest open request, or the one ``request_id`` or ``campaign_id`` names) or
    ``token`` (a device's: as ``registration_id``, for its live registration; a token of nobody's
    writes nothing). The answer is time-stamped (``at``, default now) and audited; it becomes the
    request's status unless a newer answer is there already; the campaign's message to the person
    is marked answered (``answering``: each app's part). A retry with the same idempotency key
    returns the first answer and changes nothing, even once the campaign has closed.

    An answer found by person or token, with no staff user and no time of its own, is written on
    PostgreSQL by one statement (one round trip, one commit), unless ``settings.CHECKIN_ONE_STATEMENT``
    is off; otherwise through the ORM. Both write the same rows (``tests/test_answer_paths.py``).
    Returns ``Recorded(answer, created, device)``."""
    if answer not in ANSWERS:
        raise ValidationError(_("Not an answer: %(answer)s") % {"answer": str(answer)[:40]})
    if [request, registration_id, token].count(None) != 2:
        raise TypeError("record_answer needs exactly one of request, registration_id and token.")
    if request is None and user is None and at is None and _one_statement():
        return _record_in_one_statement(
            answer, via, registration_id, token, request_id, campaign_id, note, location, idempotency_key
        )
    device = None
    if token is not None:
        device = answering.finder("device").orm(token)
        if device is None or device.registration_id is None:
            return Recorded(None, False)
        registration_id = device.registration_id
    if idempotency_key is not None:
        earlier = _earlier(registration_id or request.registration_id, idempotency_key)
        if earlier is not None:
            return Recorded(earlier, False, device)
    if request is None:
        request = _open_request(registration_id, request_id, campaign_id)
        if request is None:
            return Recorded(None, False, device)
    try:
        with transaction.atomic():
            entry = CheckInAnswer.objects.create(
                request=request,
                registration_id=request.registration_id,
                answer=answer,
                via=via,
                note=note,
                location=location,
                by=user,
                idempotency_key=idempotency_key,
                at=at or timezone.now(),
            )
            # The newest answer is the status: one given earlier (a call logged late) is kept, not applied.
            newest = CheckInRequest.objects.filter(pk=request.pk).filter(
                Q(answered_at__isnull=True) | Q(answered_at__lte=entry.at)
            )
            applied = newest.update(status=answer, answered_at=entry.at, via=via, note=note)
    except IntegrityError:  # the same retry arrived twice at once: the other one won
        return Recorded(_earlier(request.registration_id, idempotency_key), False, device)
    if applied:
        request.status, request.answered_at, request.via, request.note = answer, entry.at, via, note
    send_id = CheckInCampaign.objects.filter(pk=request.campaign_id).values_list("send_id", flat=True).first()
    answered = answering.Answered(
        answer_id=entry.pk,
        registration_id=entry.registration_id,
        request_id=request.pk,
        send_id=send_id,
        at=entry.at,
    )
    for part in answering.parts():
        if part.orm is not None:
            part.orm(answered)
    return Recorded(entry, True, device)


def _one_statement():
    return connection.vendor == "postgresql" and settings.CHECKIN_ONE_STATEMENT


def _earlier(registration_id, idempotency_key):
    """The answer this person already gave with this key, or None."""
    if idempotency_key is None:
        return None
    return CheckInAnswer.objects.filter(
        registration_id=registration_id, idempotency_key=idempotency_key
    ).first()


def _open_request(registration_id, request_id=None, campaign_id=None):
    """The person's newest open request (or the one named), or None: ``open_requests``, without
    the campaign, crisis and send it would read alongside (an answer needs none of them)."""
    requests = open_requests([registration_id]).select_related(None)
    if request_id is not None:
        requests = requests.filter(pk=request_id)
    elif campaign_id is not None:
        requests = requests.filter(campaign_id=campaign_id)
    return requests.first()


# --- the one statement: the check-in hot path ------------------------------------------------


def _column(model, name):
    return model._meta.get_field(name).column


def _open_request_sql(who, narrow=None):
    """``SELECT id, send_id`` of the newest open request of the person ``who`` (SQL), or of the one
    named (``narrow``: "request" or "campaign", its id in ``%(narrow)s``): the same rule as
    ``open_requests`` (a test holds them together), in plain SQL built from the models' names."""
    r, c, k = CheckInRequest, CheckInCampaign, Crisis
    rid = f"r.{r._meta.pk.column}"
    sql = (
        f"SELECT {rid} AS id, c.{_column(c, 'send')} AS send_id FROM {r._meta.db_table} r "
        f"JOIN {c._meta.db_table} c ON c.{c._meta.pk.column} = r.{_column(r, 'campaign')} "
        f"JOIN {k._meta.db_table} k ON k.{k._meta.pk.column} = c.{_column(c, 'crisis')} "
        f"WHERE r.{_column(r, 'registration')} = {who} AND c.{_column(c, 'closed')} IS NULL "
        f"AND k.{_column(k, 'status')} = %(active)s"
    )
    if narrow == "request":
        sql += f" AND {rid} = %(narrow)s"
    elif narrow == "campaign":
        sql += f" AND c.{c._meta.pk.column} = %(narrow)s"
    return sql + f" ORDER BY c.{_column(c, 'started')} DESC, {rid} DESC LIMIT 1"


def _narrow(request_id, campaign_id):
    """Which request an answer names: ("request", id), ("campaign", id) or (None, None)."""
    if request_id is not None:
        return "request", request_id
    if campaign_id is not None:
        return "campaign", campaign_id
    return None, None


def open_request_id(registration_id, request_id=None, campaign_id=None):
    """The id of the newest open request of a person (or of the one named), or None, read by the
    one statement's own SQL (on any database)."""
    narrow, narrow_id = _narrow(request_id, campaign_id)
    params = {"registration": registration_id, "active": Status.ACTIVE, "narrow": narrow_id}
    with hot_cursor() as cursor:
        cursor.execute(_open_request_sql("%(registration)s", narrow), params)
        found = cursor.fetchone()
    return found[0] if found else None


def _answer_context():
    """What the parts' statements may use (``answering.Context``): the inserted answers as ``a``."""
    a = CheckInAnswer
    aid, areg = f"a.{a._meta.pk.column}", f"a.{_column(a, 'registration')}"
    return answering.Context(
        rows="answer a",
        answer_id=aid,
        object_id=aid,
        registration_id=areg,
        request_id=f"a.{_column(a, 'request')}",
        send_id="(SELECT send_id FROM target)",
        at="%(at)s",
        repr=a.audit_repr_sql(aid, areg),
        object_type=object_label(a),
        fields=_ANSWER_FIELDS,
    )


def _build_statement(finder, narrow):
    """The one statement's text: the device (with a ``finder``), the open request, the answer
    (unless its idempotency key is known), the request's status, then every registered part. Table
    and column names are the models' own; the parts come from their apps."""
    a, q = CheckInAnswer, CheckInRequest
    aid, areg, areq = a._meta.pk.column, _column(a, "registration"), _column(a, "request")
    ctx = _answer_context()
    clauses = {}
    if finder is not None:
        clauses["device"] = finder.statement(ctx.for_part("device"))
        who = "(SELECT registration FROM device)"
    else:
        who = "%(registration)s"
    clauses["target"] = _open_request_sql(who, narrow)
    values = {
        "request": "t.id",
        "registration": who,
        "answer": "%(answer)s",
        "via": "%(via)s",
        "note": "%(note)s",
        "location": "%(location)s",
        "at": ctx.at,
        "idempotency_key": "%(key)s",
    }
    clauses["answer"] = (
        f"INSERT INTO {a._meta.db_table} ({', '.join(_column(a, n) for n in values)}) "
        f"SELECT {', '.join(values.values())} FROM target t "
        f"ON CONFLICT ({areg}, {_column(a, 'idempotency_key')}) DO NOTHING "
        f"RETURNING {aid}, {areq}, {areg}"
    )
    table, qid, answered_at = q._meta.db_table, q._meta.pk.column, _column(q, "answered_at")
    clauses["status"] = (
        f"UPDATE {table} SET {_column(q, 'status')} = %(answer)s, {answered_at} = {ctx.at}, "
        f"{_column(q, 'via')} = %(via)s, {_column(q, 'note')} = %(request_note)s "
        f"FROM {ctx.rows} WHERE {table}.{qid} = {ctx.request_id} "
        f"AND ({table}.{answered_at} IS NULL OR {table}.{answered_at} <= {ctx.at})"
    )
    for part in answering.parts():
        clauses[f"part_{part.name}"] = part.statement(ctx.for_part(part.name))
    if finder is not None:
        result = f"SELECT device.*, a.{aid}, a.{areq} FROM device LEFT JOIN answer a ON true"
    else:
        result = f"SELECT a.{aid}, a.{areq} FROM answer a"
    return "WITH " + ",\n".join(f"{name} AS ({body})" for name, body in clauses.items()) + "\n" + result


def _prefixed(name, values):
    return {f"{name}_{key}": value for key, value in values.items()}


def _record_in_one_statement(
    answer, via, registration_id, token, request_id, campaign_id, note, location, idempotency_key
):
    """``record_answer`` for an answer from the app, in one PostgreSQL statement (``_build_statement``,
    built once per shape and prepared): its values are taken here, and from each part, every time."""
    finder = answering.finder("device") if token is not None else None
    narrow, narrow_id = _narrow(request_id, campaign_id)
    at = timezone.now()
    encrypt = CheckInAnswer._meta.get_field("note").get_db_prep_save
    params = {
        "active": Status.ACTIVE,
        "narrow": narrow_id,
        "answer": answer,
        "via": via,
        "note": encrypt(note, connection),
        "location": encrypt(location, connection),
        "at": at,
        "key": idempotency_key,
        "request_note": CheckInRequest._meta.get_field("note").get_db_prep_save(note, connection),
    }
    if finder is not None:
        credential = finder.prepare(token)
        if credential is None:
            return Recorded(None, False)
        params.update(_prefixed("device", finder.values(credential)))
    else:
        params["registration"] = registration_id
    ctx = _ANSWER_CONTEXT
    for part in answering.parts():
        params.update(_prefixed(part.name, part.values(ctx)))
    sql = answering.statement((finder is not None, narrow), lambda: _build_statement(finder, narrow))
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    device = None
    if finder is not None:
        device = finder.from_row(found[: finder.columns]) if found else None
        if device is None or device.registration_id is None:
            return Recorded(None, False)
        registration_id = device.registration_id
    pk, request = found[-2:] if found else (None, None)
    if pk is None:  # a retry (its key is known), or nothing open to answer
        return Recorded(_earlier(registration_id, idempotency_key), False, device)
    row = CheckInAnswer(
        pk=pk,
        request_id=request,
        registration_id=registration_id,
        answer=answer,
        via=via,
        note=note,
        location=location,
        at=at,
        idempotency_key=idempotency_key,
    )
    row._state.adding, row._state.db = False, "default"
    return Recorded(row, True, device)


# What the audit signal records for a new answer (its fields); ``CheckInAnswer.audit_repr`` is in the SQL.
_ANSWER_FIELDS = sorted(
    f.attname
    for f in CheckInAnswer._meta.concrete_fields
    if f.name not in CheckInAnswer.audit_exclude and f.name != "id"
)
_ANSWER_CONTEXT = _answer_context()


SMS_KEYWORDS = {
    "SAFE": CheckInStatus.SAFE,
    "OK": CheckInStatus.SAFE,
    "HELP": CheckInStatus.NEED_HELP,
    "SOS": CheckInStatus.NEED_HELP,
    "AWAY": CheckInStatus.NOT_IN_AREA,
    "OUT": CheckInStatus.NOT_IN_AREA,
}


def keyword_answer(text):
    """The answer a keyword SMS gives (its first word), or None."""
    words = str(text or "").strip().split()
    return SMS_KEYWORDS.get(words[0].upper()) if words else None


def answer_by_phone(phone_e164, answer, text=""):
    """An SMS reply: answer the latest open request of the registration with this phone. Returns the answer or None."""
    index = blind_index(phone_e164)
    if not index or answer not in ANSWERS:
        return None
    ids = Registration.objects.filter(phone_index=index, merged_into__isnull=True).values("id")
    request = open_requests(ids).first()
    if request is None:
        return None
    return record_answer(answer, Via.SMS, request=request, note=str(text or "")[:1000]).answer


# What the board says of the check-in message to each person: the messaging engine's delivery
# state. "failed" is the engine's final word: every channel the person has an address for was
# tried, each up to MESSAGING_MAX_ATTEMPTS times.
DELIVERY_NONE = ""  # no message to this person (no consent to crisis messages, or not sent yet)
_KEY_PREFIX = "registration:"  # messaging.audiences.key("registration", id)


def delivery_states(campaign, registration_ids):
    """{registration id: the state of the campaign's message to them} (``messaging.models.State``),
    for a page of the board: one indexed read on (send, recipient key)."""
    from lifeline.messaging.audiences import key
    from lifeline.messaging.models import Delivery

    ids = list(registration_ids)
    if not campaign.send_id or not ids:
        return {}
    keys = {key("registration", pk): pk for pk in ids}
    rows = Delivery.objects.filter(send_id=campaign.send_id, recipient_key__in=list(keys))
    return {keys[k]: state for k, state in rows.values_list("recipient_key", "state")}


def with_deliveries(rows, campaign, size=1000):
    """Each of ``rows`` (check-in requests) with ``delivery``: the state of the message to the person."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield from _set_deliveries(chunk, campaign)
            chunk = []
    yield from _set_deliveries(chunk, campaign)


def _set_deliveries(rows, campaign):
    states = delivery_states(campaign, [row.registration_id for row in rows])
    for row in rows:
        row.delivery = states.get(row.registration_id, DELIVERY_NONE)
    return rows


def _failed(campaign):
    """The registrations whose message of this campaign failed on every channel, as an uncorrelated
    subquery (read once, then matched by hash) on the (send, state) index of the deliveries."""
    from django.db.models import BigIntegerField
    from django.db.models.functions import Cast, Substr

    from lifeline.messaging.models import Delivery, State

    return (
        Delivery.objects.filter(
            send_id=campaign.send_id, state=State.FAILED, recipient_key__startswith=_KEY_PREFIX
        )
        .annotate(failed_id=Cast(Substr("recipient_key", len(_KEY_PREFIX) + 1), BigIntegerField()))
        .values("failed_id")
    )


def _messaged(campaign):
    """The registrations the campaign's send made a message for (any state), as an uncorrelated
    subquery on the deliveries' send index; those it did not are asked in the app only."""
    from django.db.models import BigIntegerField
    from django.db.models.functions import Cast, Substr

    from lifeline.messaging.models import Delivery

    return (
        Delivery.objects.filter(send_id=campaign.send_id, recipient_key__startswith=_KEY_PREFIX)
        .annotate(messaged_id=Cast(Substr("recipient_key", len(_KEY_PREFIX) + 1), BigIntegerField()))
        .values("messaged_id")
    )


def app_only(campaign):
    """Who has not answered and was sent no message at all (no consent to crisis messages): they
    can only see the question in the app, so their "no answer" says nothing about them, and an
    officer phones them first. Their status stays "no answer" (``board_status``); this is the one
    expression the board's rows, cards, filter and CSV read for it (``app_only`` on each row).
    Nobody is flagged before the send has resolved its audience ("not sent yet")."""
    send = campaign.send if campaign.send_id else None
    if send is None or send.resolved is None:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(
        Q(status=CheckInStatus.NO_ANSWER) & ~Q(registration_id__in=_messaged(campaign)),
        output_field=BooleanField(),
    )


def board_status(campaign):
    """The status the board shows: the latest answer, except that someone who has not answered and
    whose message failed on every channel is "unreachable", never "no answer" (nothing arrived)."""
    if not campaign.send_id:
        return F("status")
    return Case(
        When(
            Q(status=CheckInStatus.NO_ANSWER) & Q(registration_id__in=_failed(campaign)),
            then=Value(CheckInStatus.UNREACHABLE),
        ),
        default="status",
    )


def with_board_status(requests, campaign):
    """``requests`` annotated with ``shown`` (``board_status``): the one status the board's rows,
    cards, filter and follow-up list all read."""
    return requests.annotate(shown=board_status(campaign))


def board_counts(campaign, people=None):
    """Requests by the status the board shows (``board_status``); ``people`` (a filter from
    core.permissions.people_q) limits whom they count."""
    requests = campaign.requests.filter(people) if people is not None else campaign.requests.all()
    shown = with_board_status(requests, campaign)
    counts = dict(shown.values_list("shown").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in CheckInStatus.values}


URGENCY = Case(
    When(shown=CheckInStatus.NEED_HELP, then=Value(0)),
    When(shown=CheckInStatus.NO_ANSWER, then=Value(1)),
    When(shown=CheckInStatus.UNREACHABLE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def board_rows(campaign, status=None, post=None, only_app=False):
    """The board's rows, "need help" first, then those who did not answer (those asked in the app
    only, ``app_only``, first among them: they are phoned first), then the unreachable; each with
    ``shown`` (``with_board_status``), which ``status`` filters on, and ``app_only``, which
    ``only_app`` filters on. The state of each person's message is read for the rows shown
    (``with_deliveries``)."""
    rows = with_board_status(
        campaign.requests.select_related("registration", "registration__organisation", "registration__area"),
        campaign,
    ).annotate(app_only=app_only(campaign))
    if status:
        rows = rows.filter(shown=status)
    if post:
        rows = rows.filter(registration__organisation_id=post)
    if only_app:
        rows = rows.filter(app_only=True)
    return rows.annotate(urgency=URGENCY).order_by("urgency", "-app_only", "registration__family_name", "id")


def board_app_only_count(campaign, people=None):
    """How many of the board's "no answer" were asked in the app only (``app_only``); ``people`` as
    in ``board_counts``."""
    requests = campaign.requests.filter(people) if people is not None else campaign.requests.all()
    return requests.annotate(app_only=app_only(campaign)).filter(app_only=True).count()


def households(registration_ids):
    """{registration id: [its household members]} for the people on a page of the board."""
    found = {}
    for member in HouseholdMember.objects.filter(registration_id__in=registration_ids).order_by(
        "registration_id", "id"
    ):
        found.setdefault(member.registration_id, []).append(member)
    return found


# --- just-in-time registration ---------------------------------------------------------


def register_just_in_time(crisis, data, key, language="en"):
    """Create a just-in-time registration from the crisis's public form; the form's key makes it idempotent.

    Returns (registration, created)."""
    from lifeline.nationals.models import Consent, Kind, Source
    from lifeline.nationals.services import assign_post

    if not crisis.is_active:
        raise ValidationError(_("This crisis is closed."))
    existing = (
        JustInTimeSubmission.objects.filter(key=key, crisis=crisis).select_related("registration").first()
    )
    if existing is not None:
        return existing.registration, False
    area = data.get("area")
    country = area.country if area is not None else crisis.country
    tree = ministry_tree(crisis.organisation_id)
    post = assign_post(country, area, within=tree) or crisis.organisation
    try:
        with transaction.atomic():
            registration = Registration(
                organisation=post,
                kind=Kind.JUST_IN_TIME,
                source=Source.JUST_IN_TIME,
                given_names=data["given_names"],
                family_name=data.get("family_name", ""),
                nationality=data["nationality"],
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                languages=[language],
                country=country,
                area=area,
                city=data.get("city", ""),
                location=data.get("location", ""),
                special_needs=data.get("special_needs", []),
            )
            registration.save()
            for purpose in (Purpose.ASSISTANCE, Purpose.CRISIS_MESSAGES):
                Consent.objects.create(registration=registration, purpose=purpose, language=language)
            JustInTimeSubmission.objects.create(
                crisis=crisis,
                key=key,
                registration=registration,
                need_help=bool(data.get("need_help")),
                household_size=data.get("household_size") or 1,
                children=data.get("children") or 0,
            )
            if crisis.counted is not None:
                CrisisMember.objects.get_or_create(crisis=crisis, registration=registration)
                Crisis.objects.filter(pk=crisis.pk).update(member_count=members(crisis).count())
    except IntegrityError:  # the same form sent twice at once
        return JustInTimeSubmission.objects.get(key=key).registration, False
    return registration, True
