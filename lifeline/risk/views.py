"""The risk map: exposure of migrants to hazards by admin area, the same numbers as a table, and
the table as CSV or XLSX. The page only presents ``risk.exposure``."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from lifeline.core.models import Action, Area
from lifeline.core.names import country_name
from lifeline.core.permissions import has_perm, require
from lifeline.core.tabular import table_response
from lifeline.geo.models import AdminArea, Country
from lifeline.geo.names import area_name
from lifeline.risk import exposure
from lifeline.risk.models import HazardClass, HazardLayer, HazardType, HazardZone

AREA = Area.RISK
SHOWN_ROWS = 300  # the page's table; the download has every row

MAP_TEXT = {
    "map": gettext_lazy("Map of exposure by area"),
    "exposed": gettext_lazy("Migrants exposed"),
    "none": gettext_lazy("No exposure found"),
    "hazards": gettext_lazy("Hazard zones"),
}


def _countries(user):
    """The countries with areas that have boundaries, the user's own organisation's first."""
    codes = set(AdminArea.objects.exclude(geometry="").values_list("country__code", flat=True))
    own = getattr(getattr(getattr(user, "profile", None), "organisation", None), "country", None)
    ordered = sorted(codes, key=lambda c: (own is None or c != own.code, country_name(c)))
    return [(code, country_name(code)) for code in ordered]


def _country(request):
    choices = _countries(request.user)
    wanted = (request.GET.get("country") or "").upper()
    code = wanted if wanted in dict(choices) else (choices[0][0] if choices else "")
    return Country.objects.filter(code=code).first(), choices


def _map_config(rows, country):
    from shapely.geometry import mapping

    from lifeline.geo.shapes import area_shape

    totals = exposure.by_area(rows)
    features = []
    for area in AdminArea.objects.filter(country=country).exclude(geometry="").order_by("level", "pcode"):
        shape = area_shape(area.display_geometry or area.geometry)
        if shape is None:
            continue
        low, high = totals.get(area.pk, (0, 0))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "pcode": area.pcode,
                    "name": area_name(area),
                    "level": area.level,
                    "low": low,
                    "high": high,
                },
                "geometry": mapping(shape.simplify(0.005, preserve_topology=True)),
            }
        )
    levels, hazards = dict(HazardClass.choices), dict(HazardType.choices)
    zones = []
    for zone in HazardZone.objects.filter(layer__in=_layers(country)).select_related("layer"):
        shape = area_shape(zone.geometry)
        if shape is not None:
            zones.append(
                {
                    "type": "Feature",
                    "properties": {
                        "layer": zone.layer.name,
                        "hazard": str(hazards.get(zone.hazard, zone.hazard)),
                        "level": zone.level,
                        "levelName": str(levels.get(zone.level, zone.level)),
                    },
                    "geometry": mapping(shape.simplify(0.002, preserve_topology=True)),
                }
            )
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "areas": {"type": "FeatureCollection", "features": features},
        "zones": {"type": "FeatureCollection", "features": zones},
        "text": {key: str(value) for key, value in MAP_TEXT.items()},
    }


def _layers(country):
    return HazardLayer.objects.filter(country=country) | HazardLayer.objects.filter(country__isnull=True)


@login_required
def index(request):
    require(request.user, AREA, Action.VIEW)
    country, choices = _country(request)
    rows = exposure.compute(request.user, country) if country else []
    totals = exposure.by_area(rows)
    names = {a.pk: area_name(a) for a in AdminArea.objects.filter(pk__in=totals)}
    pcodes = dict(AdminArea.objects.filter(pk__in=totals).values_list("pk", "pcode"))
    summary = sorted(
        (
            {"pcode": pcodes[pk], "name": names[pk], "low": low, "high": high}
            for pk, (low, high) in totals.items()
        ),
        key=lambda r: (-r["high"], r["pcode"]),
    )
    header = [str(name) for name, _tag in exposure.columns()]
    context = {
        "country": country,
        "countries": choices,
        "summary": summary,
        "header": header,
        "table": [
            [(value, isinstance(value, (int, float))) for value in row]
            for row in exposure.table_rows(rows[:SHOWN_ROWS])
        ],
        "rows_count": len(rows),
        "shown_rows": SHOWN_ROWS,
        "layers": _layers(country).order_by("name") if country else [],
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "map_config": _map_config(rows, country) if country else None,
    }
    return render(request, "risk/index.html", context)


@login_required
def export(request, fmt):
    require(request.user, AREA, Action.EXPORT)
    country, _choices = _country(request)
    rows = exposure.compute(request.user, country) if country else []
    data = exposure.export(rows, fmt, hxl=request.GET.get("hxl") == "1")
    return table_response(data, fmt, f"exposure-{country.code if country else 'all'}")
