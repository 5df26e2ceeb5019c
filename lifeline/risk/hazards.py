"""Hazard zones: GeoJSON polygons with a hazard type and a likelihood or severity class, one layer
per imported file (its source and date). Every zone is checked with shapely before anything is
written; importing a layer of the same name again replaces its zones."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.models import AuditAction
from lifeline.geo.services import _geometry, read_geojson
from lifeline.risk.models import HazardClass, HazardLayer, HazardType, HazardZone

TYPE_KEYS = ("hazard", "type", "hazard_type", "hazardType")
CLASS_KEYS = ("class", "level", "likelihood", "severity", "hazard_class")
LABEL_KEYS = ("label", "name", "zone", "description")
CLASS_WORDS = {
    "1": HazardClass.LOW, "low": HazardClass.LOW, "minor": HazardClass.LOW, "unlikely": HazardClass.LOW,
    "2": HazardClass.MEDIUM, "medium": HazardClass.MEDIUM, "moderate": HazardClass.MEDIUM, "possible": HazardClass.MEDIUM,
    "3": HazardClass.HIGH, "high": HazardClass.HIGH, "severe": HazardClass.HIGH, "likely": HazardClass.HIGH,
    "4": HazardClass.VERY_HIGH, "very high": HazardClass.VERY_HIGH, "very_high": HazardClass.VERY_HIGH,
    "extreme": HazardClass.VERY_HIGH, "very likely": HazardClass.VERY_HIGH,
}  # fmt: skip


def _first(properties, keys):
    for key in keys:
        if properties.get(key) not in (None, ""):
            return str(properties[key]).strip()
    return ""


def read_zones(data, default_hazard=""):
    """[(hazard, class, label, shapely geometry)] from GeoJSON bytes, or ValidationError listing
    every feature that is wrong (by number)."""
    geojson = read_geojson(data)
    if not isinstance(geojson, dict) or geojson.get("type") != "FeatureCollection":
        raise ValidationError(_("Expected a GeoJSON FeatureCollection."))
    features = geojson.get("features") or []
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The file holds no features."))
    zones, errors = [], []
    for index, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        hazard = (_first(properties, TYPE_KEYS) or default_hazard).lower().replace(" ", "_")
        if hazard not in HazardType.values:
            errors.append(
                _("Feature %(n)s: “%(value)s” is not one of: %(allowed)s.")
                % {"n": index, "value": hazard, "allowed": ", ".join(HazardType.values)}
            )
        level_word = _first(properties, CLASS_KEYS).lower()
        level = CLASS_WORDS.get(level_word)
        if level is None:
            errors.append(
                _(
                    "Feature %(n)s: “%(value)s” is not a likelihood or severity class (low, medium, high, very high or 1–4)."
                )
                % {"n": index, "value": level_word}
            )
        geom, problem = _geometry((feature or {}).get("geometry"))
        if geom is None:
            errors.append(
                _("Feature %(n)s: %(problem)s.") % {"n": index, "problem": problem or _("it has no geometry")}
            )
        zones.append((hazard, level, _first(properties, LABEL_KEYS)[:200], geom))
    if errors:
        raise ValidationError(errors)
    return zones


def import_hazard_layer(
    data, organisation, name, source, date=None, country=None, default_hazard="", dry_run=False, user=None
):
    """Check every zone, then replace the layer's zones (or create the layer); returns the number of zones."""
    from shapely.geometry import mapping

    zones = read_zones(data, default_hazard)
    if dry_run:
        return len(zones)
    with transaction.atomic():
        layer, _created = HazardLayer.objects.update_or_create(
            organisation=organisation,
            name=name,
            defaults={"source": source, "date": date, "country": country},
        )
        layer.zones.all().delete()
        HazardZone.objects.bulk_create(
            HazardZone(
                layer=layer,
                hazard=hazard,
                level=level,
                label=label,
                geometry=json.dumps(mapping(geom), separators=(",", ":")),
                min_lon=geom.bounds[0],
                min_lat=geom.bounds[1],
                max_lon=geom.bounds[2],
                max_lat=geom.bounds[3],
            )
            for hazard, level, label, geom in zones
        )
        audit.record(AuditAction.IMPORT, obj=layer, user=user)
    return len(zones)
