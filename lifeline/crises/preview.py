"""A small server-rendered SVG of a crisis area and the (coarse) points matched inside it."""

import json
import math

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.ops import unary_union

from lifeline.crises.models import CrisisMember
from lifeline.crises.services import crisis_shape
from lifeline.nationals.models import Registration

WIDTH, HEIGHT, PAD, MAX_POINTS = 320, 220, 8, 600


def _outline(crisis):
    """Everything the area is made of: the drawn polygon and circle, and the boundaries of the admin
    areas and whole countries chosen (a crisis declared by areas alone is drawn too)."""
    parts = [crisis_shape(crisis)]
    for place in [*crisis.areas.all(), *crisis.countries.all()]:
        if place.geometry:
            try:
                parts.append(shape(json.loads(place.geometry)))
            except (ValueError, TypeError, AttributeError):
                continue  # a boundary that does not read is left out of the picture, not the crisis
    parts = [p for p in parts if p is not None and not p.is_empty]
    if not parts:
        return None
    geometry = unary_union(parts) if len(parts) > 1 else parts[0]
    minx, miny, maxx, maxy = geometry.bounds
    return geometry.simplify(max(maxx - minx, maxy - miny) / 400)  # finer than a pixel at this size


def svg(crisis):
    """The area's outline and up to MAX_POINTS matched points, or "" when there is nothing to draw."""
    geometry = _outline(crisis)
    points = list(
        Registration.objects.filter(
            id__in=CrisisMember.objects.filter(crisis=crisis).values("registration_id"), lat__isnull=False
        )
        .values_list("lon", "lat")
        .distinct()[:MAX_POINTS]
    )
    if geometry is None and not points:
        return ""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if geometry is not None:
        minx, miny, maxx, maxy = geometry.bounds
        xs += [minx, maxx]
        ys += [miny, maxy]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((miny + maxy) / 2))
    span = max((maxx - minx) * kx, maxy - miny, 1e-6)
    scale = min(WIDTH - 2 * PAD, HEIGHT - 2 * PAD) / span

    def xy(lon, lat):
        return f"{PAD + (lon - minx) * kx * scale:.1f},{HEIGHT - PAD - (lat - miny) * scale:.1f}"

    paths = []
    if geometry is not None:
        polygons = getattr(geometry, "geoms", [geometry])
        for polygon in polygons:
            if not hasattr(polygon, "exterior"):
                continue  # a line or point left by simplifying is not an area
            rings = [polygon.exterior, *polygon.interiors]
            paths.append(" ".join("M" + " L".join(xy(x, y) for x, y in ring.coords) + " Z" for ring in rings))
    shapes = format_html_join(
        "",
        '<path d="{}" fill="#1f6feb33" stroke="#1f6feb" stroke-width="1.5" fill-rule="evenodd"/>',
        ((d,) for d in paths),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2" fill="#b3261e"/>',
        (tuple(xy(lon, lat).split(",")) for lon, lat in points),
    )
    return format_html(
        '<svg class="crisis-map" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="crisis-map-title">'
        '<title id="crisis-map-title">{}</title>{}{}</svg>',
        WIDTH,
        HEIGHT,
        _("Map of the affected area; red dots are registrations inside it (%(n)s shown).")
        % {"n": len(points)},
        shapes,
        dots,
    )
