"""An alert's area both ways between the map (GeoJSON) and CAP (polygon and circle strings).

The map widget (static/lifeline/areamap.js) writes GeoJSON: polygons as Polygon or MultiPolygon,
circles as a Point whose ``radius`` property is in metres (as Leaflet gives it). CAP writes
“lat,lon lat,lon …” polygons (the first point repeated at the end) and “lat,lon radius_km”
circles. The form, the API and the tests all go through these two functions.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lifeline.alerts.cap import check_circle, check_polygon

MAX_POLYGONS = 100
MAX_CIRCLES = 100
MAX_POINTS = 5000  # in one polygon: a CAP message stays small enough for every receiver
MAX_RADIUS_KM = 1000
DECIMALS = 5  # about a metre: finer than any drawing, coarse enough for short CAP text


def _number(value):
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _polygon_text(ring):
    """A GeoJSON ring [[lon, lat], …] → a CAP polygon, after shapely says it is a proper polygon."""
    from shapely.geometry import Polygon
    from shapely.validation import explain_validity

    try:
        points = [(float(p[0]), float(p[1])) for p in ring]
    except (TypeError, ValueError, IndexError) as exc:
        raise ValidationError(_("A polygon has a point that is not [longitude, latitude].")) from exc
    if len(points) > MAX_POINTS:
        raise ValidationError(_("A polygon has more than %(max)s points."), params={"max": MAX_POINTS})
    if points and points[0] != points[-1]:
        points.append(points[0])
    if len(points) < 4:
        raise ValidationError(_("A polygon needs at least three corners."))
    for lon, lat in points:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError(
                _("Coordinates must be longitude, latitude in degrees (longitude first, as GeoJSON says).")
            )
    polygon = Polygon(points)
    if not polygon.is_valid:
        if "Self-intersection" in explain_validity(polygon):
            raise ValidationError(_("A polygon crosses itself: draw its edges without crossing."))
        raise ValidationError(_("A polygon does not enclose an area."))
    if polygon.area == 0:
        raise ValidationError(_("A polygon does not enclose an area."))
    text = " ".join(f"{_number(lat)},{_number(lon)}" for lon, lat in points)
    try:
        check_polygon(text)  # the CAP rule, the same as for typed polygons
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return text


def _circle_text(geometry, properties):
    try:
        lon, lat = (float(v) for v in geometry.get("coordinates") or ())
        radius_m = float(properties.get("radius"))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _('A point is a circle only with a “radius” in metres, for example {"radius": 5000}.')
        ) from exc
    if not 0 < radius_m <= MAX_RADIUS_KM * 1000:
        raise ValidationError(
            _("A circle's radius must be more than 0 and at most %(km)s km."), params={"km": MAX_RADIUS_KM}
        )
    text = f"{_number(lat)},{_number(lon)} {_number(radius_m / 1000)}"
    try:
        check_circle(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return text


def shapes_from_geojson(data):
    """GeoJSON text (a geometry, Feature or FeatureCollection) → (CAP polygons, CAP circles).

    Polygons keep their outer ring (CAP has no holes). Raises ValidationError with a message
    for the person who drew or pasted it."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(_("The file is not valid JSON.")) from exc
    found = []  # (geometry, properties)

    def collect(node, properties, depth):
        if not isinstance(node, dict) or depth > 3:
            raise ValidationError(_("The file is not GeoJSON."))
        kind = node.get("type")
        if kind == "FeatureCollection":
            for feature in node.get("features") or []:
                collect(feature, {}, depth + 1)
        elif kind == "Feature":
            props = node.get("properties")
            collect(node.get("geometry") or {}, props if isinstance(props, dict) else {}, depth + 1)
        elif kind in ("Polygon", "MultiPolygon", "Point"):
            found.append((node, properties))
        else:
            raise ValidationError(
                _("Only polygons and circles can be used as alert areas (found “%(kind)s”)."),
                params={"kind": str(kind)[:40]},
            )

    collect(doc, {}, 0)
    polygons, circles = [], []
    for geometry, properties in found:
        if geometry["type"] == "Point":
            circles.append(_circle_text(geometry, properties))
            continue
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list):
            raise ValidationError(_("A polygon has a point that is not [longitude, latitude]."))
        parts = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
        for part in parts:
            if not isinstance(part, list) or not part:
                raise ValidationError(_("A polygon has a point that is not [longitude, latitude]."))
            polygons.append(_polygon_text(part[0]))
    if not polygons and not circles:
        raise ValidationError(_("The file holds no polygon."))
    if len(polygons) > MAX_POLYGONS:
        raise ValidationError(_("The file holds more than %(max)s polygons."), params={"max": MAX_POLYGONS})
    if len(circles) > MAX_CIRCLES:
        raise ValidationError(_("The file holds more than %(max)s circles."), params={"max": MAX_CIRCLES})
    return polygons, circles


def geojson_from_shapes(polygons=(), circles=()):
    """CAP polygons and circles → a GeoJSON FeatureCollection the map widget draws (or None)."""
    features = []
    for text in polygons:
        ring = [[lon, lat] for lat, lon in check_polygon(text)]
        features.append(
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        )
    for text in circles:
        lat, lon, radius_km = check_circle(text)
        features.append(
            {
                "type": "Feature",
                "properties": {"radius": round(radius_km * 1000, 1)},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    return {"type": "FeatureCollection", "features": features} if features else None


def merged(*lists):
    """Several lists of CAP strings as one, each shape once, in order."""
    seen, result = set(), []
    for values in lists:
        for value in values:
            if value not in seen:
                seen.add(value)
                result.append(value)
    return result
