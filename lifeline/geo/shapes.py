"""Shapes from stored text: CAP polygons and circles, admin areas' GeoJSON boundaries (shapely, lon/lat)."""

import json

from shapely.geometry import Polygon, shape
from shapely.ops import unary_union


def cap_polygon(text):
    """A CAP <polygon> ("lat,lon lat,lon ...", closed) as a shapely polygon, or None if malformed."""
    try:
        points = [tuple(float(v) for v in pair.split(",")) for pair in str(text).split()]
        if len(points) < 4 or any(len(p) != 2 for p in points):
            return None
        polygon = Polygon([(lon, lat) for lat, lon in points]).buffer(0)
    except (ValueError, TypeError):
        return None
    return None if polygon.is_empty else polygon


def cap_circle(text):
    """A CAP <circle> ("lat,lon radius-km") as a polygon, or None if malformed."""
    from lifeline.crises.services import circle_polygon

    centre, _space, radius = str(text).strip().partition(" ")
    try:
        lat, lon = (float(v) for v in centre.split(","))
        radius = float(radius)
    except ValueError:
        return None
    return circle_polygon(lat, lon, radius) if radius > 0 else None


def cap_shape(polygons=(), circles=()):
    """The union of CAP polygons and circles, or None when there is none (or none is readable)."""
    parts = [p for p in (cap_polygon(t) for t in polygons or []) if p is not None]
    parts += [c for c in (cap_circle(t) for t in circles or []) if c is not None]
    if not parts:
        return None
    return unary_union(parts) if len(parts) > 1 else parts[0]


def area_shape(geometry_text):
    """An admin area's stored GeoJSON boundary as a shape, or None when it has none."""
    if not geometry_text:
        return None
    try:
        return shape(json.loads(geometry_text))
    except (ValueError, TypeError, AttributeError):
        return None
