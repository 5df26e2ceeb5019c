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
from collections import defaultdict
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import shapely
from django.core.exceptions import EmptyResultSet
from django.db.models import Count
from django.utils.translation import gettext as _

from lifeline.core.models import Action, Area
from lifeline.core.permissions import _is_immigration_user, has_perm, organisation_ids_for
from lifeline.geo.models import AdminArea
from lifeline.risk.models import HazardLayer, HazardZone, PresenceFigure, PresenceKind

EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: cylindrical equal-area

HOST, HOME = "host", "home"


class ExposureRow(NamedTuple):
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
    sources: list


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
        HazardZone.objects.filter(layer__in=layer_qs).values_list(
            "id", "layer__name", "hazard", "level", "geometry"
        )
    )
    geoms = shapely.from_geojson([r[4] for r in rows], on_invalid="ignore") if rows else np.array([])
    return rows, np.asarray(geoms)


def _fetch(queryset, fields):
    """The ``fields`` of ``queryset`` as a float array, read with a plain cursor (no model rows)."""
    from django.db import connections

    try:
        sql, params = queryset.order_by().values_list(*fields).query.sql_with_params()
    except EmptyResultSet:
        return np.zeros((0, len(fields)))
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return np.array(rows, dtype=float).reshape(-1, len(fields))


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
        from lifeline.risk.models import PresenceDataset

        for pk, source, date in PresenceDataset.objects.filter(kind=PresenceKind.SUBNATIONAL).values_list(
            "pk", "source", "date"
        ):
            labels[pk] = _label(source, date)
        total = _fetch(figures.filter(sex=""), ("dataset_id", "area_id", "origin_id", "count"))
        split = _fetch(figures.exclude(sex=""), ("dataset_id", "area_id", "origin_id", "count"))
        if len(total) or len(split):
            # one key per dataset, area and origin: its both-sexes figure, else men plus women
            size = np.array(
                [max(int(col.max()) for col in (total[:, i], split[:, i]) if len(col)) + 1 for i in range(3)]
            )

            def encode(data):
                return (data[:, 0].astype(np.int64) * size[1] + data[:, 1].astype(np.int64)) * size[2] + data[
                    :, 2
                ].astype(np.int64)

            keys_t, keys_s = encode(total), encode(split)
            unique_t, inverse_t = np.unique(keys_t, return_inverse=True)
            sums_t = np.bincount(inverse_t, weights=total[:, 3], minlength=len(unique_t))
            unique_s, inverse_s = np.unique(keys_s, return_inverse=True)
            sums_s = np.bincount(inverse_s, weights=split[:, 3], minlength=len(unique_s))
            only_split = ~np.isin(unique_s, unique_t)
            keys = np.concatenate([unique_t, unique_s[only_split]])
            values = np.concatenate([sums_t, sums_s[only_split]])
            parts.append((keys // size[2] % size[1], keys % size[2], keys // (size[1] * size[2]), values))
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
        parts.append(
            (
                data[:, 0].astype(np.int64),
                data[:, 1].astype(np.int64),
                data[:, 2].astype(np.int64),
                data[:, 3],
            )
        )
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
    point and nationality in the database, read with a plain cursor (no model rows)."""
    from django.db import connections

    queryset = registrations_for(user)
    if country is not None:
        queryset = queryset.filter(country=country)
    grouped = queryset.order_by().values_list("nationality_id", "lon", "lat").annotate(n=Count("id"))
    try:
        sql, params = grouped.query.sql_with_params()
    except EmptyResultSet:
        rows = []
    else:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    if not rows:
        return np.array([], dtype=np.int64), np.array([]), np.array([]), np.array([])
    data = np.array(rows, dtype=float)
    return data[:, 0].astype(np.int64), data[:, 1], data[:, 2], data[:, 3]


def _leaves(area_rows):
    """Indexes of the areas no other loaded area lies inside: where a registration's point is counted."""
    parents = {r[3] for r in area_rows if r[3] is not None}
    return np.array([i for i, r in enumerate(area_rows) if r[0] not in parents], dtype=np.int64)


def _encode(area, origin, zone, origins, zones):
    return (area.astype(np.int64) * origins + origin) * zones + zone


def _decode(keys, origins, zones):
    return keys // (origins * zones), (keys // zones) % origins, keys % zones


def _source_masks(inverse, sources, size):
    """For each key, the set of its sources as a bit mask over the sources' positions (any
    number of sources: Python integers past 63)."""
    distinct, position = np.unique(sources, return_inverse=True)
    if len(distinct) <= 63:
        masks = np.zeros(size, dtype=np.int64)
        np.bitwise_or.at(masks, inverse, np.left_shift(np.int64(1), position.astype(np.int64)))
        return masks.tolist(), distinct.tolist()
    masks = [0] * size
    for index, bit in zip(inverse.tolist(), position.tolist(), strict=True):
        masks[index] |= 1 << bit
    return masks, distinct.tolist()


def compute(user, country=None, layers=None):
    """The exposure table for ``user`` (``country``: a geo Country, or None for every country),
    as ExposureRow tuples ordered by P-code."""
    from lifeline.geo.models import Country

    area_rows, area_ids, area_geoms = _areas(country)
    zone_rows, zone_geoms = _zones(user, country, layers)
    if not len(area_rows) or not len(zone_rows):
        return []
    order = np.argsort(area_ids)
    area_rows = [area_rows[i] for i in order]
    area_ids, area_geoms = area_ids[order], area_geoms[order]
    origin_codes = dict(Country.objects.values_list("id", "code"))
    n_origins, n_zones = max(origin_codes, default=0) + 1, len(zone_rows)
    pa, pz, ps = shares(area_geoms, zone_geoms)
    result = []

    pair_keys = pa * n_zones + pz
    pair_order = np.argsort(pair_keys)
    pair_keys, pair_shares = pair_keys[pair_order], np.round(ps[pair_order], 4)

    def emit(keys, lows, highs, basis, source_texts):
        areas_, origins_, zones_ = _decode(keys, n_origins, n_zones)
        wanted = areas_ * n_zones + zones_
        at = np.clip(np.searchsorted(pair_keys, wanted), 0, max(len(pair_keys) - 1, 0))
        found = pair_shares[at] if len(pair_keys) else np.zeros(len(wanted))
        share_list = (
            np.where(pair_keys[at] == wanted, found, 0.0).tolist() if len(pair_keys) else found.tolist()
        )
        make = ExposureRow
        for a, o, z, share, lo, hi, texts in zip(
            areas_.tolist(), origins_.tolist(), zones_.tolist(), share_list,
            np.rint(lows).astype(np.int64).tolist(), np.rint(highs).astype(np.int64).tolist(), source_texts, strict=True,
        ):  # fmt: skip
            area, zone = area_rows[a], zone_rows[z]
            result.append(
                make(
                    area[0],
                    area[1],
                    area[2],
                    origin_codes[o],
                    zone[1],
                    zone[2],
                    zone[3],
                    share,
                    lo,
                    hi,
                    basis,
                    texts,
                )
            )

    # host: presence estimates weighted by the share of each area the zone covers
    p_area, p_origin, p_source, p_people, labels = _host_presence(user, country, area_ids)
    if len(pa) and len(p_area):
        by_area = np.argsort(pa, kind="stable")
        pa_s, pz_s, ps_s = pa[by_area], pz[by_area], ps[by_area]
        starts = np.searchsorted(pa_s, np.arange(len(area_ids)))
        counts = np.bincount(pa_s, minlength=len(area_ids))
        repeat = counts[p_area]
        row = np.repeat(np.arange(len(p_area)), repeat)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        pair = starts[p_area[row]] + offset
        exposed = p_people[row] * ps_s[pair]
        keys = _encode(p_area[row], p_origin[row], pz_s[pair], n_origins, n_zones)
        unique, inverse = np.unique(keys, return_inverse=True)
        low = np.full(len(unique), np.inf)
        high = np.zeros(len(unique))
        np.minimum.at(low, inverse, exposed)
        np.maximum.at(high, inverse, exposed)
        masks, distinct = _source_masks(inverse, p_source[row], len(unique))
        texts = {}
        for mask in set(masks):
            texts[mask] = sorted(
                {labels.get(source, "") for bit, source in enumerate(distinct) if mask >> bit & 1} - {""}
            )
        emit(unique, low, high, HOST, [texts[m] for m in masks])

    # home: registrations inside each zone, by the area that holds them; each distinct coarse point
    # is tested once
    r_nat, r_lon, r_lat, r_count = _registrations(user, country)
    if len(r_nat):
        cells, cell_of = np.unique(
            np.round(r_lon * 100) * 100000 + np.round(r_lat * 100), return_inverse=True
        )
        first = np.zeros(len(cells), dtype=np.int64)
        first[cell_of] = np.arange(len(cell_of))
        points = shapely.points(r_lon[first], r_lat[first])
        point_idx, zone_idx = shapely.STRtree(zone_geoms).query(points, predicate="within")
        if len(point_idx):
            leaves = _leaves(area_rows)
            holder_of = np.full(len(cells), -1, dtype=np.int64)
            exposed_points = np.unique(point_idx)
            inside_pts, inside_area = shapely.STRtree(area_geoms[leaves]).query(
                points[exposed_points], predicate="within"
            )
            holder_of[exposed_points[inside_pts]] = leaves[inside_area]
            # every registration row × every zone its point lies in
            by_point = np.argsort(point_idx, kind="stable")
            point_sorted, zone_sorted = point_idx[by_point], zone_idx[by_point]
            zone_count = np.bincount(point_sorted, minlength=len(cells))
            zone_start = np.searchsorted(point_sorted, np.arange(len(cells)))
            repeat = zone_count[cell_of]
            row = np.repeat(np.arange(len(cell_of)), repeat)
            offset = np.arange(len(row)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
            zones_of_row = zone_sorted[zone_start[cell_of[row]] + offset]
            holders = holder_of[cell_of[row]]
            keep = holders >= 0
            if keep.any():
                keys = _encode(holders[keep], r_nat[row][keep], zones_of_row[keep], n_origins, n_zones)
                unique, inverse = np.unique(keys, return_inverse=True)
                sums = np.bincount(inverse, weights=r_count[row][keep], minlength=len(unique))
                label = [_label(_("Registrations"), datetime.date.today())]
                emit(unique, sums, sums, HOME, [label] * len(unique))
    result.sort(key=attrgetter("pcode"))
    return result


def _label(source, date):
    return f"{source} ({date.isoformat()})" if date else str(source)


def by_area(rows):
    """For the map: per area, ``(low, high)`` people exposed to at least one zone. Per origin,
    ``low`` is the largest low figure of any single zone and ``high`` the sum of every zone's high
    figure (people in overlapping zones counted each time: an upper bound); presence estimates and
    registrations of the same origin describe the same people, so the larger of the two is taken.
    The origins are then added up."""
    worst, total = defaultdict(int), defaultdict(int)
    for row in rows:
        key = (row.area_id, row.origin, row.basis)
        worst[key] = max(worst[key], row.low)
        total[key] += row.high
    per_origin = defaultdict(lambda: [0, 0])
    for (area_id, origin, _basis), value in worst.items():
        figures = per_origin[(area_id, origin)]
        figures[0] = max(figures[0], value)
    for (area_id, origin, _basis), value in total.items():
        figures = per_origin[(area_id, origin)]
        figures[1] = max(figures[1], value)
    summary = defaultdict(lambda: (0, 0))
    for (area_id, _origin), (low, high) in per_origin.items():
        summary[area_id] = (summary[area_id][0] + low, summary[area_id][1] + high)
    return dict(summary)


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
        (_("Languages of the origin group"), "#meta+languages"),
    ]


def origin_language_codes(origins):
    """{origin: "code code …"}: the languages of each origin group, most spoken first, from the
    table of languages of origin groups (``languages.languages_of_origins``, one query)."""
    from lifeline.risk.languages import languages_of_origins

    origins = set(origins)
    table = languages_of_origins(origins)
    return {origin: " ".join(row.language for row in table.get(origin, [])) for origin in origins}


def table_rows(rows):
    from lifeline.risk.models import HazardClass, HazardType

    hazards, levels = dict(HazardType.choices), dict(HazardClass.choices)
    bases = {HOST: _("presence estimates"), HOME: _("registrations")}
    rows = list(rows)
    languages = origin_language_codes(row.origin for row in rows)
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
            languages[row.origin],
        ]


def export(rows, fmt="csv", hxl=False):
    from lifeline.core.tabular import write_table

    header = [str(name) for name, _tag in columns()]
    head = [header, [tag for _name, tag in columns()]] if hxl else [header]
    return write_table(
        [*head, *table_rows(rows)], fmt, sheet="exposure", title=_("Exposure"), bold_header=fmt == "xlsx"
    )
