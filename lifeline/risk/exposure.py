"""Exposure: per admin area × origin, the migrants each hazard zone reaches, with the source behind
each number and a low–high range (estimates are not counts).

- Host presence (sub-national tables, community profiles' estimates): the people an area holds,
  weighted by the share of the area the zone covers. Shares are computed on areas in an
  equal-area projection (EPSG:6933, pyproj), so that a degree near the equator and one in the
  north weigh what they cover. Where several sources give a figure for the same area and origin,
  ``low`` and ``high`` are the smallest and largest of them.
- Home registrations (counts only): the registrations whose coarse point lies inside the zone,
  counted exactly (low = high), by the area that holds the point.

Everything is read in bulk and computed with shapely 2 array operations (STRtree queries,
vectorised intersections and areas) and numpy: no per-record Python loop over the inputs.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db.models import Count
from django.utils.translation import gettext as _

from lifeline.core.models import Action, Area
from lifeline.core.permissions import _is_immigration_user, has_perm, organisation_ids_for
from lifeline.geo.models import AdminArea
from lifeline.risk.models import HazardLayer, HazardZone, PresenceFigure, PresenceKind

EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: cylindrical equal-area

HOST, HOME = "host", "home"


@dataclass
class ExposureRow:
    area_id: int
    pcode: str
    area_name: str
    origin: str  # ISO 3166 alpha-2
    layer: str
    hazard: str
    level: str
    share: float  # of the area the zone covers, 0–1
    low: int
    high: int
    basis: str  # HOST (presence estimates) or HOME (registrations)
    sources: list = field(default_factory=list)


_TRANSFORMER = None


def to_equal_area(geoms):
    """Longitude/latitude shapes → the same shapes in metres of an equal-area projection."""
    global _TRANSFORMER
    if _TRANSFORMER is None:
        from pyproj import Transformer

        _TRANSFORMER = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)

    def project(coords):
        x, y = _TRANSFORMER.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, project)


def shares(area_geoms, zone_geoms):
    """(area index, zone index, share of the area the zone covers) for every overlapping pair."""
    if not len(area_geoms) or not len(zone_geoms):
        empty = np.array([], dtype=np.int64)
        return empty, empty, np.array([], dtype=float)
    tree = shapely.STRtree(zone_geoms)
    area_idx, zone_idx = tree.query(area_geoms, predicate="intersects")
    used_areas, area_inv = np.unique(area_idx, return_inverse=True)
    used_zones, zone_inv = np.unique(zone_idx, return_inverse=True)
    projected_areas = to_equal_area(area_geoms[used_areas])
    projected_zones = to_equal_area(zone_geoms[used_zones])
    sizes = shapely.area(projected_areas)
    overlap = shapely.area(shapely.intersection(projected_areas[area_inv], projected_zones[zone_inv]))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sizes[area_inv] > 0, overlap / sizes[area_inv], 0.0)
    share = np.clip(share, 0.0, 1.0)
    keep = share > 1e-9
    return area_idx[keep], zone_idx[keep], share[keep]


def may_view(user):
    """Whether ``user`` reads risk analysis (None: the operator, from a command)."""
    return user is None or has_perm(user, Area.RISK, Action.VIEW)


def _areas(country):
    queryset = AdminArea.objects.exclude(geometry="")
    if country is not None:
        queryset = queryset.filter(country=country)
    rows = list(queryset.values_list("id", "pcode", "name", "parent_id", "geometry"))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    geoms = shapely.from_geojson([r[4] for r in rows], on_invalid="ignore") if rows else np.array([])
    return rows, ids, np.asarray(geoms)


def _zones(user, country, layers=None):
    layer_qs = HazardLayer.objects.all() if may_view(user) else HazardLayer.objects.none()
    if country is not None:
        layer_qs = layer_qs.filter(country__in=[country]) | layer_qs.filter(country__isnull=True)
    if layers:
        layer_qs = layer_qs.filter(pk__in=layers)
    rows = list(
        HazardZone.objects.filter(layer__in=layer_qs).values_list("id", "layer__name", "hazard", "level", "geometry")
    )
    geoms = shapely.from_geojson([r[4] for r in rows], on_invalid="ignore") if rows else np.array([])
    return rows, np.asarray(geoms)


def _group_sum(keys, values):
    """Sum ``values`` by the rows of ``keys`` (an n × k int array): (unique keys, sums)."""
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    return unique, np.bincount(inverse.ravel(), weights=values, minlength=len(unique))


def _host_presence(user, country, area_index):
    """(area index, origin id, source id, people) from the sub-national tables and the community
    profiles the user may read, and {source id: label}. A table's figure for an area and origin is
    its both-sexes figure, else men plus women."""
    from lifeline.communities.models import CommunityProfile

    labels = {}
    parts = []
    if may_view(user):
        figures = PresenceFigure.objects.filter(dataset__kind=PresenceKind.SUBNATIONAL, area__isnull=False)
        if country is not None:
            figures = figures.filter(destination=country)
        raw = np.array(list(figures.values_list("dataset_id", "area_id", "origin_id", "sex", "count")), dtype=object)
        from lifeline.risk.models import PresenceDataset

        for pk, source, date in PresenceDataset.objects.filter(kind=PresenceKind.SUBNATIONAL).values_list(
            "pk", "source", "date"
        ):
            labels[pk] = _label(source, date)
        if len(raw):
            keys = raw[:, :3].astype(np.int64)
            counts = raw[:, 4].astype(float)
            is_total = raw[:, 3] == ""
            total_keys, totals = _group_sum(keys[is_total], counts[is_total])
            split_keys, splits = _group_sum(keys[~is_total], counts[~is_total])
            if len(split_keys) and len(total_keys):  # men plus women only where no both-sexes figure
                have = {tuple(k) for k in total_keys.tolist()}
                mask = np.array([tuple(k) not in have for k in split_keys.tolist()], dtype=bool)
                split_keys, splits = split_keys[mask], splits[mask]
            keys = np.concatenate([k for k in (total_keys, split_keys) if len(k)]) if len(raw) else keys
            values = np.concatenate([v for v in (totals, splits) if len(v)])
            parts.append((keys[:, 1], keys[:, 2], keys[:, 0], values))
    profiles = CommunityProfile.objects.all() if user is None else CommunityProfile.objects.readable_by(user)
    profiles = profiles.filter(estimated_size__isnull=False)
    if country is not None:
        profiles = profiles.filter(areas__country=country).distinct()
    extra = []
    for profile in profiles.prefetch_related("areas", "origin_countries"):
        area_ids = [a.pk for a in profile.areas.all()]
        origin_ids = [c.pk for c in profile.origin_countries.all()]
        if not area_ids or not origin_ids:
            continue
        source = -profile.pk  # profiles' sources: negative ids, apart from the datasets'
        labels[source] = _label(profile.size_source or profile.name, profile.size_date)
        each = profile.estimated_size / len(area_ids) / len(origin_ids)
        extra += [(a, o, source, each) for a in area_ids for o in origin_ids]
    if extra:
        data = np.array(extra, dtype=float)
        parts.append((data[:, 0].astype(np.int64), data[:, 1].astype(np.int64), data[:, 2].astype(np.int64), data[:, 3]))
    if not parts:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty, np.array([]), labels
    area_ids = np.concatenate([p[0] for p in parts])
    position = np.searchsorted(area_index, area_ids)
    position = np.clip(position, 0, max(len(area_index) - 1, 0))
    found = (area_index[position] == area_ids) if len(area_index) else np.zeros(len(area_ids), dtype=bool)
    return (
        position[found],
        np.concatenate([p[1] for p in parts])[found],
        np.concatenate([p[2] for p in parts])[found],
        np.concatenate([p[3] for p in parts])[found],
        labels,
    )


def registrations_for(user):
    """Registrations whose counts the user may see: those of the organisations in the user's scope
    for risk analysis (never an immigration authority's: nationals abroad are not theirs)."""
    from lifeline.nationals.models import Registration

    if user is None:  # the operator, from a command
        return Registration.objects.filter(lat__isnull=False, lon__isnull=False)
    if not may_view(user) or _is_immigration_user(user):
        return Registration.objects.none()
    ids = organisation_ids_for(user, Area.RISK)
    queryset = Registration.objects.filter(lat__isnull=False, lon__isnull=False)
    return queryset if ids is None else queryset.filter(organisation_id__in=ids)


def _registrations(user, country):
    """(nationality id, lon, lat, count) of registrations in the user's scope, counted per coarse
    point in the database: a million registrations are a few hundred thousand points."""
    queryset = registrations_for(user)
    if country is not None:
        queryset = queryset.filter(country=country)
    rows = list(
        queryset.order_by().values_list("nationality_id", "lon", "lat").annotate(n=Count("id")).values_list(
            "nationality_id", "lon", "lat", "n"
        )
    )
    if not rows:
        return np.array([], dtype=np.int64), np.array([]), np.array([]), np.array([])
    data = np.array(rows, dtype=float)
    return data[:, 0].astype(np.int64), data[:, 1], data[:, 2], data[:, 3]


def _leaves(area_rows):
    """Indexes of the areas no other loaded area lies inside: where a registration's point is counted."""
    parents = {r[3] for r in area_rows if r[3] is not None}
    return np.array([i for i, r in enumerate(area_rows) if r[0] not in parents], dtype=np.int64)


def compute(user, country=None, layers=None):
    """The exposure table for ``user`` (``country``: a geo Country, or None for every country)."""
    from lifeline.geo.models import Country

    area_rows, area_ids, area_geoms = _areas(country)
    zone_rows, zone_geoms = _zones(user, country, layers)
    if not len(area_rows) or not len(zone_rows):
        return []
    order = np.argsort(area_ids)
    area_rows = [area_rows[i] for i in order]
    area_ids, area_geoms = area_ids[order], area_geoms[order]
    origin_codes = dict(Country.objects.values_list("id", "code"))
    result = []

    # host: presence estimates weighted by the share of each area the zone covers
    pa, pz, ps = shares(area_geoms, zone_geoms)
    p_area, p_origin, p_source, p_people, labels = _host_presence(user, country, area_ids)
    if len(pa) and len(p_area):
        by_area = np.argsort(pa, kind="stable")
        pa, pz, ps = pa[by_area], pz[by_area], ps[by_area]
        starts = np.searchsorted(pa, np.arange(len(area_ids)))
        counts = np.bincount(pa, minlength=len(area_ids))
        repeat = counts[p_area]
        row = np.repeat(np.arange(len(p_area)), repeat)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        pair = starts[p_area[row]] + offset
        exposed = p_people[row] * ps[pair]
        keys = np.column_stack([p_area[row], p_origin[row], pz[pair]])
        unique, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        low = np.full(len(unique), np.inf)
        high = np.zeros(len(unique))
        np.minimum.at(low, inverse, exposed)
        np.maximum.at(high, inverse, exposed)
        share_of = {(a, z): s for a, z, s in zip(pa.tolist(), pz.tolist(), ps.tolist(), strict=True)}
        sources = [set() for _ in range(len(unique))]
        for index, source in zip(inverse.tolist(), p_source[row].tolist(), strict=True):
            sources[index].add(labels.get(source, ""))
        for (a, o, z), lo, hi, found in zip(unique.tolist(), low.tolist(), high.tolist(), sources, strict=True):
            result.append(_row(area_rows[a], origin_codes[o], zone_rows[z], share_of[(a, z)], lo, hi, HOST, found))

    # home: registrations inside each zone, by the area that holds them
    r_nat, r_lon, r_lat, r_count = _registrations(user, country)
    if len(r_nat):
        points = shapely.points(r_lon, r_lat)
        point_idx, zone_idx = shapely.STRtree(zone_geoms).query(points, predicate="within")
        if len(point_idx):
            leaves = _leaves(area_rows)
            inside_pts, inside_area = shapely.STRtree(area_geoms[leaves]).query(points[point_idx], predicate="within")
            holder = np.full(len(point_idx), -1, dtype=np.int64)
            holder[inside_pts] = leaves[inside_area]
            keep = holder >= 0
            keys = np.column_stack([holder[keep], r_nat[point_idx][keep], zone_idx[keep]])
            if len(keys):
                unique, sums = _group_sum(keys, r_count[point_idx][keep])
                share_of = {(a, z): s for a, z, s in zip(pa.tolist(), pz.tolist(), ps.tolist(), strict=True)}
                label = _label(_("Registrations"), datetime.date.today())
                for (a, o, z), n in zip(unique.tolist(), sums.tolist(), strict=True):
                    share = share_of.get((a, z), 0.0)
                    result.append(_row(area_rows[a], origin_codes[o], zone_rows[z], share, n, n, HOME, {label}))
    result.sort(key=lambda r: (r.pcode, r.layer, r.basis, r.origin))
    return result


def _row(area, origin, zone, share, low, high, basis, sources):
    return ExposureRow(
        area_id=area[0],
        pcode=area[1],
        area_name=area[2],
        origin=origin,
        layer=zone[1],
        hazard=zone[2],
        level=zone[3],
        share=round(float(share), 4),
        low=int(round(low)),
        high=int(round(high)),
        basis=basis,
        sources=sorted(s for s in sources if s),
    )


def _label(source, date):
    return f"{source} ({date.isoformat()})" if date else str(source)


def by_area(rows):
    """For the map: per area, the people exposed to at least one zone, as a range: ``low`` is the
    largest low figure of any single zone (summed over origins), ``high`` the sum of every zone's high figure (overlapping
    zones counted each time: an upper bound)."""
    worst, total = {}, {}
    for row in rows:
        key = (row.area_id, row.origin, row.basis)
        worst[key] = max(worst.get(key, 0), row.low)
        total[key] = total.get(key, 0) + row.high
    summary = {}
    for (area_id, _origin, _basis), value in worst.items():
        low, high = summary.get(area_id, (0, 0))
        summary[area_id] = (low + value, high)
    for (area_id, _origin, _basis), value in total.items():
        low, high = summary[area_id]
        summary[area_id] = (low, high + value)
    return summary


# --- the table, as CSV or XLSX --------------------------------------------------------------------


def columns():
    """(header, HXL tag) of the exposure table."""
    return [
        (_("P-code"), "#loc+code"),
        (_("Area"), "#loc+name"),
        (_("Origin"), "#country+code+origin"),
        (_("Hazard layer"), "#event+name"),
        (_("Hazard"), "#event+type"),
        (_("Likelihood or severity"), "#severity"),
        (_("Share of the area covered"), "#indicator+pct+area"),
        (_("Exposed (low)"), "#affected+min"),
        (_("Exposed (high)"), "#affected+max"),
        (_("Basis"), "#meta+basis"),
        (_("Sources"), "#meta+source"),
    ]


def table_rows(rows):
    from lifeline.risk.models import HazardClass, HazardType

    hazards, levels = dict(HazardType.choices), dict(HazardClass.choices)
    bases = {HOST: _("presence estimates"), HOME: _("registrations")}
    for row in rows:
        yield [
            row.pcode,
            row.area_name,
            row.origin,
            row.layer,
            str(hazards.get(row.hazard, row.hazard)),
            str(levels.get(row.level, row.level)),
            round(row.share * 100, 1),
            row.low,
            row.high,
            str(bases[row.basis]),
            "; ".join(row.sources),
        ]


def export(rows, fmt="csv", hxl=False):
    from lifeline.core.tabular import write_table

    header = [str(name) for name, _tag in columns()]
    head = [header, [tag for _name, tag in columns()]] if hxl else [header]
    return write_table([*head, *table_rows(rows)], fmt, sheet="exposure", title=_("Exposure"), bold_header=fmt == "xlsx")
