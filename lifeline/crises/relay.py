"""Relay between the two streams: when another authority's alert is imported, the posts whose
registered nationals are inside its area are offered a check-in, with how many people and their languages."""

import json
from collections import Counter, defaultdict

import numpy as np
import shapely
from django.db import transaction
from django.dispatch import receiver
from shapely.geometry import Polygon, mapping
from shapely.ops import unary_union

from lifeline.alerts.services import alert_received
from lifeline.crises.models import CheckInProposal, Crisis, CrisisType
from lifeline.crises.services import _rows, circle_polygon, materialise
from lifeline.nationals.models import Registration


def alert_shape(alert):
    """The union of the alert's CAP polygons and circles (shapely, lon/lat), or None."""
    parts = []
    for info in alert.info.all():
        for area in info.areas.all():
            for text in area.polygons or []:
                points = [tuple(float(v) for v in pair.split(",")) for pair in str(text).split()]
                if len(points) >= 4:
                    parts.append(Polygon([(lon, lat) for lat, lon in points]).buffer(0))
            for text in area.circles or []:
                centre, _space, radius = str(text).strip().partition(" ")
                lat, lon = (float(v) for v in centre.split(","))
                if float(radius) > 0:
                    parts.append(circle_polygon(lat, lon, float(radius)))
    return unary_union(parts) if parts else None


def alert_area_ids(alert):
    return sorted(
        {a.pk for info in alert.info.all() for area in info.areas.all() for a in area.admin_areas.all()}
    )


def nationals_inside(alert):
    """{post id: (registrations, Counter of first languages)} for the active registrations inside the alert's area."""
    return nationals_in(alert_shape(alert), alert_area_ids(alert))


def nationals_in(geometry, area_ids=()):
    """{post id: (registrations, Counter of first languages)} for the active registrations inside
    ``geometry`` (shapely, lon/lat) or in one of the admin areas: the targeting every relay uses
    (imported CAP alerts, GDACS events). Counted from the rows read for the test itself: no list
    of ids goes back to the database."""
    base = Registration.objects.active().order_by()
    found = {}  # registration id -> (post id, first language)
    if geometry is not None:
        minx, miny, maxx, maxy = geometry.bounds
        rows = _rows(
            base.filter(lat__gte=miny, lat__lte=maxy, lon__gte=minx, lon__lte=maxx).values_list(
                "id", "lat", "lon", "organisation_id", "primary_language"
            )
        )
        if rows:
            shapely.prepare(geometry)
            inside = shapely.contains_xy(
                geometry, np.array([r[2] for r in rows]), np.array([r[1] for r in rows])
            )
            found.update((r[0], (r[3], r[4])) for r, hit in zip(rows, inside) if hit)
    if area_ids:
        rows = _rows(
            base.filter(area_id__in=area_ids).values_list("id", "organisation_id", "primary_language")
        )
        found.update((r[0], (r[1], r[2])) for r in rows)
    by_post = defaultdict(Counter)
    for post_id, language in found.values():
        by_post[post_id][language or "?"] += 1
    return {post: (sum(counts.values()), counts) for post, counts in by_post.items()}


def propose_checkins(alert):
    """One proposal per post with nationals inside; returns them."""
    headline = (alert.headline or alert.identifier or "")[:255]
    proposals = []
    for post_id, (people, languages) in nationals_inside(alert).items():
        proposal, _created = CheckInProposal.objects.update_or_create(
            alert=alert,
            organisation_id=post_id,
            defaults={"headline": headline, "people": people, "languages": dict(languages.most_common())},
        )
        proposals.append(proposal)
    return proposals


@receiver(alert_received)
def on_alert(sender, alert, **kwargs):
    propose_checkins(alert)


def declare_from(proposal, user=None):
    """Declare a crisis over the alert's area, led by the proposal's post; returns it (members counted)."""
    alert = proposal.alert
    geometry = alert_shape(alert)
    area_ids = alert_area_ids(alert)
    first = (
        Registration.objects.filter(organisation=proposal.organisation)
        .values_list("country_id", flat=True)
        .first()
    )
    with transaction.atomic():
        crisis = Crisis.objects.create(
            organisation=proposal.organisation,
            name=proposal.headline or str(alert),
            type=CrisisType.NATURAL_HAZARD,
            country_id=first or proposal.organisation.country_id,
            geometry=json.dumps(mapping(geometry)) if geometry is not None else "",
            description=f"{alert.sender} {alert.identifier}",
        )
        if area_ids:
            crisis.areas.set(area_ids)
        proposal.crisis = crisis
        proposal.save(update_fields=["crisis", "updated"])
    materialise(crisis)
    return crisis
