"""Which subscribers' places an alert's area touches: the one rule the preview and the send share
(through ``audiences.subscribers``).

A subscriber's places are admin areas, a point ("where I am now") or the whole country. An alert's
area is admin areas (P-codes) and drawn polygons and circles; an alert with neither covers the whole
country. A place is touched when:

- the subscriber chose the whole country, or the alert covers the whole country;
- their area is one the alert names, inside one (a district of a named governorate) or holds one
  (the governorate of a named district);
- their area's boundary overlaps the drawn shape (more than a shared border), or holds an area that does;
- their point is inside the drawn shape or inside a named area's boundary.

Whoever issued the alert does not matter.
"""

from dataclasses import dataclass, field

from shapely.ops import unary_union

from lifeline.geo.shapes import area_shape, cap_shape


@dataclass
class Footprint:
    everywhere: bool = False
    area_ids: set = field(default_factory=set)  # subscribers' areas that the alert touches
    shape: object = None  # where a subscriber's point must be (drawn shape and named areas' boundaries)


def _descendants(ids):
    from lifeline.geo.models import AdminArea

    found, frontier = set(ids), set(ids)
    while frontier:
        children = set(AdminArea.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier = children - found
        found |= children
    return found


def _ancestors(ids):
    from lifeline.geo.models import AdminArea

    found, frontier = set(ids), set(ids)
    while frontier:
        parents = set(
            AdminArea.objects.filter(id__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - found
        found |= parents
    return found


def overlapping_areas(geometry):
    """Ids of the admin areas whose boundary overlaps ``geometry`` (a box test in SQL, then shapely)."""
    from lifeline.geo.models import AdminArea

    minx, miny, maxx, maxy = geometry.bounds
    candidates = (
        AdminArea.objects.exclude(geometry="")
        .filter(min_lon__lte=maxx, max_lon__gte=minx, min_lat__lte=maxy, max_lat__gte=miny)
        .values_list("id", "geometry")
    )
    hits = set()
    for pk, text in candidates:
        boundary = area_shape(text)
        if boundary is not None and boundary.intersects(geometry) and not boundary.touches(geometry):
            hits.add(pk)
    return hits


def footprint(definition):
    """The alert's footprint from a subscribers audience (``area_ids``, ``polygons``, ``circles``)."""
    from lifeline.geo.models import AdminArea

    named = set(definition.get("area_ids") or [])
    drawn = cap_shape(definition.get("polygons"), definition.get("circles"))
    if not named and drawn is None:
        return Footprint(everywhere=True)
    touched = _descendants(named) | _ancestors(named)
    shapes = [drawn] if drawn is not None else []
    if drawn is not None:
        touched |= _ancestors(overlapping_areas(drawn))
    for text in (
        AdminArea.objects.filter(id__in=named).exclude(geometry="").values_list("geometry", flat=True)
    ):
        boundary = area_shape(text)
        if boundary is not None:
            shapes.append(boundary)
    shape = (unary_union(shapes) if len(shapes) > 1 else shapes[0]) if shapes else None
    return Footprint(area_ids=touched, shape=shape)
