"""Rules about crises and check-ins that pages, API, commands, tasks and the bench all call.

Targeting (``registrations_in``) is the hot path: candidates are read in SQL by
country and the area's bounding box on the coarse, indexed lat/lon, as plain
tuples; shapely tests them all at once; admin areas and whole countries add
their registrations. ``materialise`` stores the answer in ``CrisisMember`` so
that everything else joins on it.
"""

import json
import math

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.geometry import Polygon, mapping, shape
from shapely.ops import unary_union

from lifeline.core import languages
from lifeline.core.db import hot_cursor
from lifeline.core.fields import blind_index
from lifeline.core.languages import ui_language
from lifeline.core.models import Organisation
from lifeline.core.names import language_name
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


def parse_area(text):
    """A Polygon or MultiPolygon from GeoJSON text (a geometry, Feature or FeatureCollection).

    Raises ValidationError with a message for the person who drew or uploaded it."""
    if len(text) > MAX_GEOJSON_BYTES:
        raise ValidationError(_("The GeoJSON is larger than 5 MB."))
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError(_("This is not valid GeoJSON (it is not even valid JSON).")) from None
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


def save_crisis(form):
    """Save the crisis form and recount who is inside when the area changed."""
    area_fields = {
        "geometry",
        "circle_lat",
        "circle_lon",
        "circle_radius_km",
        "country",
        "areas",
        "countries",
        "organisation",
    }
    with transaction.atomic():
        crisis = form.save()
        if form.instance.counted is None or area_fields & set(form.changed_data):
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


def record_answer(
    request, answer, via, note="", location="", user=None, idempotency_key=None, at=None, key_checked=False
):
    """Record one answer (time-stamped, audited) and make it the request's status.

    A retry with the same idempotency key returns the first answer and changes nothing.
    Returns (answer, created)."""
    if answer not in ANSWERS:
        raise ValidationError(_("Not an answer: %(answer)s") % {"answer": str(answer)[:40]})
    if idempotency_key is not None and not key_checked:  # (the app's endpoint has just looked)
        existing = CheckInAnswer.objects.filter(
            registration_id=request.registration_id, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False
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
        return CheckInAnswer.objects.get(
            registration_id=request.registration_id, idempotency_key=idempotency_key
        ), False
    if applied:
        request.status, request.answered_at, request.via, request.note = answer, entry.at, via, note
    _mark_answered(request)
    return entry, True


def _mark_answered(request):
    """The campaign's message to this person is answered (the sending dashboard counts answers)."""
    from lifeline.messaging.audiences import key
    from lifeline.messaging.services import mark_answered

    send_id = CheckInCampaign.objects.filter(pk=request.campaign_id).values_list("send_id", flat=True).first()
    if send_id is not None:
        mark_answered(send_id, key("registration", request.registration_id))


# --- answers from the app: the check-in hot path --------------------------------------------


_OPEN_REQUEST_FROM = (
    "FROM crises_checkinrequest r "
    "JOIN crises_checkincampaign c ON c.id = r.campaign_id JOIN crises_crisis k ON k.id = c.crisis_id "
    "WHERE r.registration_id = %(registration)s AND c.closed IS NULL AND k.status = %(active)s"
)


def _open_request_sql(
    columns, registration_id, request_id=None, campaign_id=None, registration_sql="%(registration)s"
):
    """``SELECT columns`` of the newest open request of a person (or the one named), in plain SQL
    with named parameters: the check-in hot path. The same rule as ``open_requests`` (a test holds
    them together). ``registration_sql`` may name the person in SQL instead of by ``registration_id``."""
    params = {"active": Status.ACTIVE}
    if registration_id is not None:
        params["registration"] = registration_id
    sql = f"SELECT {columns} {_OPEN_REQUEST_FROM.replace('%(registration)s', registration_sql)}"
    if request_id is not None:
        sql, params["narrow"] = sql + " AND r.id = %(narrow)s", request_id
    elif campaign_id is not None:
        sql, params["narrow"] = sql + " AND c.id = %(narrow)s", campaign_id
    return sql + " ORDER BY c.started DESC, r.id DESC LIMIT 1", params


def open_request_id(registration_id, request_id=None, campaign_id=None):
    """The id of the newest open request of a person (or of the one named), or None."""
    sql, params = _open_request_sql("r.id", registration_id, request_id, campaign_id)
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return found[0] if found else None


# One statement does what ``record_answer`` does for an answer from the app: find the open request,
# insert the answer (unless its idempotency key is known), write its audit entry, make it the
# request's status and mark the campaign's message answered. One round trip and one commit, so a
# surge of check-ins costs the database as little as an answer can (``accept_answer``). The fast
# lane's version also finds the device by its token first (``accept_answer_with_token``).
_ACCEPT_SQL = """
WITH {device}target AS ({target}),
answer AS (
    INSERT INTO crises_checkinanswer (request_id, registration_id, answer, via, note, location, at, idempotency_key)
    SELECT t.id, {registration}, %(answer)s, %(via)s, %(note)s, %(location)s, %(at)s, %(key)s FROM target t
    ON CONFLICT (registration_id, idempotency_key) DO NOTHING
    RETURNING id, request_id, registration_id
),
audit AS (
    INSERT INTO core_auditentry (at, actor_id, actor_name, organisation_id, action, object_type, object_id, object_repr,
                                 fields, reason, ip, via)
    SELECT %(audit_at)s, %(actor_id)s, %(actor_name)s, %(organisation_id)s, %(action)s, %(object_type)s, a.id::text,
           '#' || a.id || ' (registration #' || a.registration_id || ')', %(fields)s, '', %(ip)s, %(audit_via)s
    FROM answer a
),
status AS (
    UPDATE crises_checkinrequest q SET status = %(answer)s, answered_at = %(at)s, via = %(via)s, note = %(request_note)s
    FROM answer a WHERE q.id = a.request_id AND (q.answered_at IS NULL OR q.answered_at <= %(at)s)
),
delivered AS (
    UPDATE messaging_delivery d SET state = %(answered)s, done_at = %(at)s
    WHERE d.send_id = (SELECT send_id FROM target) AND d.recipient_key = {recipient} AND EXISTS (SELECT 1 FROM answer)
)
{result}
"""


def _accept_params(answer, idempotency_key, note, location):
    from lifeline.core.audit import entry_values
    from lifeline.core.models import AuditAction
    from lifeline.messaging.models import State as DeliveryState

    if answer not in ANSWERS:
        raise ValidationError(_("Not an answer: %(answer)s") % {"answer": str(answer)[:40]})
    entry = entry_values(AuditAction.CREATE, fields=_ANSWER_FIELDS, object_type="crises.checkinanswer")
    prep = CheckInAnswer._meta.get_field("note").get_db_prep_save
    return {
        "answer": answer,
        "via": Via.APP,
        "at": timezone.now(),
        "key": idempotency_key,
        "note": prep(note, connection),
        "location": prep(location, connection),
        "request_note": CheckInRequest._meta.get_field("note").get_db_prep_save(note, connection),
        "audit_at": entry["at"],
        "actor_id": entry["actor_id"],
        "actor_name": entry["actor_name"],
        "organisation_id": entry["organisation_id"],
        "action": entry["action"],
        "object_type": entry["object_type"],
        "fields": json.dumps(entry["fields"]),
        "ip": entry["ip"],
        "audit_via": entry["via"],
        "answered": DeliveryState.ANSWERED,
    }


def _accepted(pk, request_id, registration_id, params, note, location):
    row = CheckInAnswer(
        pk=pk,
        request_id=request_id,
        registration_id=registration_id,
        answer=params["answer"],
        via=Via.APP,
        note=note,
        location=location,
        at=params["at"],
        idempotency_key=params["key"],
    )
    row._state.adding = False
    return row


def _earlier(registration_id, idempotency_key):
    """(the answer with this key, False): a retry, or (None, False): nothing open to answer."""
    return CheckInAnswer.objects.filter(
        registration_id=registration_id, idempotency_key=idempotency_key
    ).first(), False


def accept_answer(
    registration_id, answer, idempotency_key, request_id=None, campaign_id=None, note="", location=""
):
    """An answer from the app to the person's open request (or the one named): (answer, created),
    or (None, False) when there is nothing open to answer.

    The same effect as ``record_answer`` (a test holds them together). On PostgreSQL it is one
    prepared statement; elsewhere, ``record_answer`` itself. A retry with the same key returns the
    first answer and changes nothing, even once the campaign has closed."""
    from lifeline.messaging.audiences import key as recipient_key

    if connection.vendor != "postgresql":
        if answer not in ANSWERS:
            raise ValidationError(_("Not an answer: %(answer)s") % {"answer": str(answer)[:40]})
        target = open_request_id(registration_id, request_id, campaign_id)
        if target is None:
            return _earlier(registration_id, idempotency_key)
        request = CheckInRequest.objects.get(pk=target)
        return record_answer(
            request, answer, Via.APP, note=note, location=location, idempotency_key=idempotency_key
        )

    target, params = _open_request_sql("r.id, c.send_id", registration_id, request_id, campaign_id)
    params.update(_accept_params(answer, idempotency_key, note, location))
    params["recipient"] = recipient_key("registration", registration_id)
    sql = _ACCEPT_SQL.format(
        device="",
        target=target,
        registration="%(registration)s",
        recipient="%(recipient)s",
        result="SELECT id, request_id FROM answer",
    )
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        inserted = cursor.fetchone()
    if inserted is None:
        return _earlier(registration_id, idempotency_key)
    return _accepted(inserted[0], inserted[1], registration_id, params, note, location), True


def accept_answer_with_token(
    token, answer, idempotency_key, request_id=None, campaign_id=None, note="", location=""
):
    """``accept_answer`` for the device holding ``token``, the device found in the same statement:
    (device, answer, created); device is None when the token is nobody's (revoked, unknown, merged
    or not registered), and then nothing is written. The check-in fast lane's one round trip."""
    from lifeline.messaging.audiences import key_sql
    from lifeline.nationals.auth import (
        DEVICE_COLUMNS,
        DEVICE_FROM,
        device_for_token,
        device_from_row,
        token_digest,
    )

    if connection.vendor != "postgresql":
        device = device_for_token(token)
        if device is None or device.registration_id is None:
            return None, None, False
        return (
            device,
            *accept_answer(
                device.registration_id, answer, idempotency_key, request_id, campaign_id, note, location
            ),
        )

    digest = token_digest(token)
    if digest is None:
        return None, None, False
    live = "(SELECT registration_id FROM live)"
    target, params = _open_request_sql(
        "r.id, c.send_id", None, request_id, campaign_id, registration_sql=live
    )
    params.update(_accept_params(answer, idempotency_key, note, location))
    params["digest"] = digest
    sql = _ACCEPT_SQL.format(
        device=f"device AS (SELECT {DEVICE_COLUMNS} {DEVICE_FROM}), "
        "live AS (SELECT d.registration_id FROM device d WHERE d.merged_into_id IS NULL AND d.registration_id IS NOT NULL), ",
        target=target,
        registration=live,
        recipient=key_sql("registration", live),
        result="SELECT d.*, a.id, a.request_id FROM device d LEFT JOIN answer a ON true",
    )
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    columns = DEVICE_COLUMNS.count(",") + 1
    device = device_from_row(found[:columns]) if found else None
    if device is None or device.registration_id is None:
        return None, None, False
    pk, request = found[columns:]
    if pk is None:
        return (device, *_earlier(device.registration_id, idempotency_key))
    return device, _accepted(pk, request, device.registration_id, params, note, location), True


# What the audit signal records for a new answer (its fields); ``CheckInAnswer.audit_repr`` is in the SQL.
_ANSWER_FIELDS = sorted(
    f.attname
    for f in CheckInAnswer._meta.concrete_fields
    if f.name not in CheckInAnswer.audit_exclude and f.name != "id"
)


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
    return record_answer(request, answer, Via.SMS, note=str(text or "")[:1000])[0]


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


def board_rows(campaign, status=None, post=None):
    """The board's rows, "need help" first, then those who did not answer, then the unreachable;
    each with ``shown`` (``with_board_status``), which ``status`` filters on. The state of each
    person's message is read for the rows shown (``with_deliveries``)."""
    rows = with_board_status(
        campaign.requests.select_related("registration", "registration__organisation", "registration__area"),
        campaign,
    )
    if status:
        rows = rows.filter(shown=status)
    if post:
        rows = rows.filter(registration__organisation_id=post)
    return rows.annotate(urgency=URGENCY).order_by("urgency", "registration__family_name", "id")


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
