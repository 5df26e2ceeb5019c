"""Loading boundaries: OCHA common operational datasets (P-codes) and country outlines."""

import json
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.geo.models import AdminArea, Country

# Field names seen in OCHA COD boundary files (common operational datasets, COD-AB): the newer
# naming (ADM1_PCODE, ADM1_EN, ADM1_AR, ADM1_ES …) and the older one (admin1Pcod or admin1Pcode,
# admin1Name_en, or admin1Name / admin1Na_1 holding the English and the local name in either order).
CODE_FIELDS = ("ADM{n}_PCODE", "admin{n}Pcode", "admin{n}Pcod", "ADM{n}_PCOD")
NAME_FIELDS = ("ADM{n}_EN", "admin{n}Name_en", "admin{n}RefN", "ADM{n}_NAME")
LOCAL_FIELDS = ("ADM{n}_AR", "admin{n}Name_ar")
OLD_PAIR = ("admin{n}Name", "admin{n}Na_1")  # the older files' two names, English and local in either order
LANGUAGE_COLUMN = (re.compile(r"^ADM(\d)_([A-Za-z]{2,3})$"), re.compile(r"^admin(\d)Name_([a-z]{2,3})$"))
# Suffixes of ADM{n}_XX columns that are not languages.
NOT_LANGUAGES = frozenset({"REF", "PCODE", "PCOD", "NAME"})
MAX_LEVEL = 4
DISPLAY_POINTS = 500  # outlines with more points than this get a lighter copy for maps
DISPLAY_TOLERANCE = 0.002  # degrees (~200 m)


def _is_latin(text):
    return not any(ord(c) > 0x24F and c.isalpha() for c in text)


def _language_names(properties, level):
    """{language: name} from every name column of ``level`` in the file (ADM1_FR, admin1Name_es …)."""
    from lifeline.core.languages import normalise

    found = {}
    for key, value in properties.items():
        for pattern in LANGUAGE_COLUMN:
            match = pattern.match(str(key))
            if not match or int(match.group(1)) != level or match.group(2).upper() in NOT_LANGUAGES:
                continue
            tag, text = normalise(match.group(2).lower()), str(value or "").strip()
            if tag and text:
                found.setdefault(tag, text)
    pair = [str(properties.get(t.format(n=level)) or "").strip() for t in OLD_PAIR]
    latin = [t for t in pair if t and _is_latin(t)]
    other = [t for t in pair if t and not _is_latin(t)]
    if latin:
        found.setdefault("en", latin[0])
    if other:
        found.setdefault("ar", other[0])
    return found


def _pick(properties, candidates, level):
    for template in candidates:
        key = template.format(n=level)
        if properties.get(key) not in (None, ""):
            return str(properties[key]).strip()
    return ""


def detect_level(features):
    """The admin level of a COD file: the deepest level whose P-code column its first feature has."""
    properties = (features[0].get("properties") or {}) if features else {}
    for level in range(MAX_LEVEL, 0, -1):
        if _pick(properties, CODE_FIELDS, level):
            return level
    return None


def _geometry(raw):
    """A feature's geometry as a valid (multi)polygon in longitude/latitude, or an error message."""
    import shapely
    from shapely.geometry import shape

    if not raw:
        return None, ""
    try:
        geom = shape(raw)
    except Exception:  # shapely raises many kinds on malformed coordinates
        return None, _("its geometry cannot be read")
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        return None, _("its geometry is not a polygon")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return None, _("its coordinates are not longitude and latitude")
    if not geom.is_valid:  # real COD files have self-touching rings: repaired, the area kept
        geom = shapely.make_valid(geom)
        polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polygons) if polygons else None
        if geom is None or geom.is_empty:
            return None, _("its geometry is broken beyond repair")
    return geom, ""


def read_geojson(data: bytes):
    """The GeoJSON in ``data`` (bytes from a file or a download), or a clear reason it is not one."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        raise ValidationError(
            _("The file is a web page or XML, not GeoJSON (perhaps an error page from the download).")
        )
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text_data = data.decode("utf-16")
        else:
            text_data = data.decode("utf-8-sig")  # a leading byte order mark is read past
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    try:
        return json.loads(text_data)
    except ValueError as exc:
        raise ValidationError(_("The file is not valid JSON: %(reason)s") % {"reason": exc}) from None


def import_boundaries(geojson: dict, country: Country, level=None, dry_run=False):
    """Create or update admin areas from a COD-AB GeoJSON FeatureCollection; returns (created, updated).

    Every feature is checked before anything is written: a P-code and a name, a readable polygon,
    and for levels 2 and up a parent P-code already loaded (or in the same file). ``level`` is
    read from the file's columns when not given. Names in every language the file has are kept;
    outlines with many points also get a simplified copy for maps (the exact one is kept for
    analysis)."""
    if not isinstance(geojson, dict) or geojson.get("type") != "FeatureCollection":
        raise ValidationError(_("Expected a GeoJSON FeatureCollection."))
    features = geojson.get("features") or []
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The file holds no features."))
    level = level or detect_level(features)
    if not level:
        raise ValidationError(
            _("The file has no P-code column (ADM1_PCODE, admin1Pcode or admin1Pcod, for example).")
        )
    parents = (
        dict(AdminArea.objects.filter(country=country).values_list("pcode", "level")) if level > 1 else {}
    )
    rows, errors, seen = [], [], set()
    for index, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        pcode = _pick(properties, CODE_FIELDS, level)
        names = _language_names(properties, level)
        name = _pick(properties, NAME_FIELDS, level) or names.get("en") or next(iter(names.values()), "")
        if not pcode or not name:
            errors.append(
                _(
                    "Feature %(n)s has no P-code or name for level %(level)s (columns such as ADM%(level)s_PCODE and ADM%(level)s_EN)."
                )
                % {"n": index, "level": level}
            )
            continue
        if pcode in seen:
            errors.append(_("Feature %(n)s repeats the P-code %(pcode)s.") % {"n": index, "pcode": pcode})
        seen.add(pcode)
        geom, problem = _geometry((feature or {}).get("geometry"))
        if problem:
            errors.append(
                _("Feature %(n)s (%(pcode)s): %(problem)s.")
                % {"n": index, "pcode": pcode, "problem": problem}
            )
        parent = ""
        if level > 1:
            parent = _pick(properties, CODE_FIELDS, level - 1)
            if not parent:
                errors.append(
                    _("Feature %(n)s (%(pcode)s) names no parent area.") % {"n": index, "pcode": pcode}
                )
            elif parents.get(parent) != level - 1:
                errors.append(
                    _(
                        "Feature %(n)s (%(pcode)s): its parent %(parent)s is not loaded; load level %(level)s first."
                    )
                    % {"n": index, "pcode": pcode, "parent": parent, "level": level - 1}
                )
        local = _pick(properties, LOCAL_FIELDS, level) or names.get("ar", "")
        local = local if local != name else ""
        others = {tag: text for tag, text in names.items() if tag != "en" and text != local}
        rows.append((pcode, name, local, others, geom, parent))
    if errors:
        raise ValidationError(errors)
    if dry_run:
        existing = set(
            AdminArea.objects.filter(pcode__in=[r[0] for r in rows]).values_list("pcode", flat=True)
        )
        return len(rows) - len(existing), len(existing)
    with transaction.atomic():
        return _write_areas(rows, country, level)


def _write_areas(rows, country, level):
    import shapely
    from shapely.geometry import mapping

    parent_ids = dict(AdminArea.objects.filter(country=country, level=level - 1).values_list("pcode", "id"))
    created = updated = 0
    for pcode, name, local, others, geom, parent in rows:
        area, is_new = AdminArea.objects.get_or_create(
            pcode=pcode, defaults={"country": country, "name": name, "level": level}
        )
        area.name, area.level, area.country, area.name_local = name, level, country, local
        area.names = {**(area.names or {}), **others}
        area.parent_id = parent_ids.get(parent) if parent else None
        if geom is not None:
            area.set_geometry(mapping(geom))
            light = geom
            if shapely.get_num_coordinates(geom) > DISPLAY_POINTS:
                light = geom.simplify(DISPLAY_TOLERANCE, preserve_topology=True)
            area.display_geometry = (
                json.dumps(mapping(light), separators=(",", ":")) if light is not geom else ""
            )
        area.save()
        created += is_new
        updated += not is_new
    return created, updated


def load_country_outlines(geojson: dict):
    """Attach outlines (feature id = ISO 3166 alpha-3) to the countries that exist."""
    by_iso3 = {c.iso3: c for c in Country.objects.all()}
    for feature in geojson.get("features", []):
        country = by_iso3.get(str(feature.get("id", "")).upper())
        if country and feature.get("geometry"):
            country.geometry = json.dumps(feature["geometry"], separators=(",", ":"))
            country.save(update_fields=["geometry"])


def ensure_countries():
    """Every ISO 3166-1 country exists as a row (idempotent)."""
    import pycountry

    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=c.alpha_2, iso3=c.alpha_3) for c in pycountry.countries if c.alpha_2 not in existing
    )


# --- the map on the pages where areas are drawn (static/lifeline/areamap.js) ------------------

BOUNDARY_TOLERANCE = 0.005  # degrees (~500 m): enough to find one's way, light enough for a phone


def boundaries_geojson(max_level=1):
    """The administrative areas (up to ``max_level``) as one light FeatureCollection: the map's
    background when no tile server is set, and the outline of the areas otherwise."""
    from shapely.geometry import mapping, shape

    features = []
    for area in AdminArea.objects.filter(level__lte=max_level).exclude(geometry="").order_by("pcode"):
        try:
            geometry = shape(json.loads(area.display_geometry or area.geometry)).simplify(
                BOUNDARY_TOLERANCE, preserve_topology=True
            )
        except (ValueError, TypeError, AttributeError):
            continue  # a broken outline is left out of the background, not a reason to fail the page
        features.append(
            {
                "type": "Feature",
                "properties": {"pcode": area.pcode, "name": area.name},
                "geometry": mapping(geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def map_config(circles=True):
    """What the map widget reads from the page (a json_script element): the operator's tile server,
    the boundaries, and the drawing tool's words in the page's language."""
    from django.conf import settings

    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "boundaries": boundaries_geojson(),
        "circles": circles,
        "text": {key: str(value) for key, value in MAP_TEXT.items()},
    }


MAP_TEXT = {
    "map": gettext_lazy("Map of the area"),
    "tools": gettext_lazy("Drawing tools"),
    "polygon": gettext_lazy("Draw a polygon"),
    "circle": gettext_lazy("Draw a circle"),
    "finish": gettext_lazy("Finish the shape"),
    "undo": gettext_lazy("Delete last point"),
    "cancel": gettext_lazy("Cancel"),
    "clearAll": gettext_lazy("Delete all shapes"),
    "idle": gettext_lazy(
        "Press a drawing button, then tap the map. The shapes also appear in the box below."
    ),
    "polygonStart": gettext_lazy("Tap the map to place the first corner."),
    "polygonCont": gettext_lazy(
        "Tap the next corner. With three or more, tap the first corner or press “Finish the shape”."
    ),
    "circleStart": gettext_lazy("Tap the centre of the circle, then set its radius."),
    "radius": gettext_lazy("Radius (km)"),
    "shapes": gettext_lazy("Shapes drawn: {n}"),
    "badShapes": gettext_lazy("The box below does not hold GeoJSON the map can show."),
}
