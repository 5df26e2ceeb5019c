"""Loading boundaries: OCHA common operational datasets (P-codes) and country outlines."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.geo.models import AdminArea, Country

# Field names seen in OCHA COD boundary files, newest naming first.
CODE_FIELDS = ("ADM{n}_PCODE", "admin{n}Pcod", "ADM{n}_PCOD", "pcode")
NAME_FIELDS = ("ADM{n}_EN", "admin{n}Na_1", "admin{n}Name_en", "ADM{n}_NAME", "name")
LOCAL_FIELDS = ("ADM{n}_AR", "admin{n}Name", "ADM{n}_REF")
# Other columns ADM{n}_XX of a COD file that are names in language XX (ADM1_FR, ADM1_ES …).
NOT_LANGUAGES = frozenset({"EN", "AR", "REF", "PCODE", "PCOD", "ALT1EN", "ALT2EN", "ALT1AR", "ALT2AR"})


def _names(properties, level, name):
    """{language: name} from the ADM{n}_XX columns (XX a language: FR, ES, PT …) that differ from ``name``."""
    from lifeline.core.languages import normalise

    prefix = f"ADM{level}_"
    found = {}
    for key, value in properties.items():
        suffix = str(key)[len(prefix) :] if str(key).startswith(prefix) else ""
        if not suffix or suffix.upper() in NOT_LANGUAGES or not 2 <= len(suffix) <= 3 or not suffix.isalpha():
            continue
        tag, text = normalise(suffix.lower()), str(value or "").strip()
        if tag and text and text != name:
            found[tag] = text
    return found


def _pick(properties, candidates, level):
    for template in candidates:
        key = template.format(n=level)
        if properties.get(key):
            return str(properties[key]).strip()
    return ""


@transaction.atomic
def import_boundaries(geojson: dict, country: Country, level=1, parent_level_fields=None):
    """Create or update admin areas from a GeoJSON FeatureCollection; returns (created, updated)."""
    if geojson.get("type") != "FeatureCollection":
        raise ValidationError(_("Expected a GeoJSON FeatureCollection."))
    created = updated = 0
    for index, feature in enumerate(geojson.get("features", []), start=1):
        properties = feature.get("properties") or {}
        pcode = _pick(properties, CODE_FIELDS, level)
        name = _pick(properties, NAME_FIELDS, level)
        if not pcode or not name:
            raise ValidationError(_("Feature %(n)s has no P-code or name.") % {"n": index})
        area, is_new = AdminArea.objects.get_or_create(
            pcode=pcode, defaults={"country": country, "name": name, "level": level}
        )
        area.name, area.level, area.country = name, level, country
        area.name_local = (
            _pick(properties, LOCAL_FIELDS, level) if _pick(properties, LOCAL_FIELDS, level) != name else ""
        )
        area.names = {**(area.names or {}), **_names(properties, level, name)}
        if feature.get("geometry"):
            area.set_geometry(feature["geometry"])
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
            geometry = shape(json.loads(area.geometry)).simplify(BOUNDARY_TOLERANCE, preserve_topology=True)
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
