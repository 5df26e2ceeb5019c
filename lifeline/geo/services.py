"""Loading boundaries: OCHA common operational datasets (P-codes) and country outlines."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lifeline.geo.models import AdminArea, Country

# Field names seen in OCHA COD boundary files, newest naming first.
CODE_FIELDS = ("ADM{n}_PCODE", "admin{n}Pcod", "ADM{n}_PCOD", "pcode")
NAME_FIELDS = ("ADM{n}_EN", "admin{n}Na_1", "admin{n}Name_en", "ADM{n}_NAME", "name")
LOCAL_FIELDS = ("ADM{n}_AR", "admin{n}Name", "ADM{n}_REF")


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
