from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core.errors import Invalid
from lifeline.core.models import Action, Area
from lifeline.core.names import country_label, country_name
from lifeline.core.permissions import get_for_user, has_perm, require
from lifeline.core.registry_views import paginate
from lifeline.core.tabular import table_response, write_table
from lifeline.geo.models import AdminArea, Country
from lifeline.geo.names import area_name
from lifeline.risk import exposure, services
from lifeline.risk import gaps as gaps_module
from lifeline.risk.forms import CountryFilterForm, OriginLanguageForm
from lifeline.risk.models import (
    GdacsEvent,
    GdacsProposal,
    HazardClass,
    HazardLayer,
    HazardType,
    HazardZone,
    OriginLanguage,
)


def _country(request):
    form = CountryFilterForm(request.GET or None)
    return form, (form.cleaned_data["country"] if form.is_valid() else "")


@login_required
def gaps_page(request):
    """Per area: the languages a warning needs, most people first, and what is missing for each."""
    require(request.user, Area.RISK, Action.VIEW)
    form, country = _country(request)
    fmt = request.GET.get("format")
    rows = gaps_module.gaps(request.user, country=country)
    if fmt in ("csv", "xlsx"):
        require(request.user, Area.RISK, Action.EXPORT)
        data = write_table(
            gaps_module.table(rows), fmt, sheet=_("Gaps"), title=_("Gaps per area"), bold_header=True
        )
        return table_response(data, fmt, "gaps")
    return render(
        request,
        "risk/gaps.html",
        {"form": form, "rows": rows, "can_export": has_perm(request.user, Area.RISK, Action.EXPORT)},
    )


@login_required
def languages_page(request):
    """The table of languages of origin groups, one country at a time."""
    require(request.user, Area.RISK, Action.VIEW)
    form, country = _country(request)
    queryset = OriginLanguage.objects.filter(country=country) if country else OriginLanguage.objects.none()
    return render(
        request,
        "risk/languages.html",
        {
            "form": form,
            "country": country,
            "country_name": country_label(country) if country else "",
            "rows": queryset,
            "can_change": has_perm(request.user, Area.RISK, Action.CHANGE),
        },
    )


@login_required
def language_edit(request, pk=None):
    require(request.user, Area.RISK, Action.CHANGE)
    row = get_object_or_404(OriginLanguage, pk=pk) if pk else None
    if request.method == "POST" and row is not None and request.POST.get("do") == "delete":
        services.delete_origin_language(request.user, row)
        messages.success(request, _("Removed from the table."))
        return redirect(f"{redirect('risk:languages').url}?country={row.country}")
    initial = {"country": request.GET.get("country", "")}
    if row is not None:
        initial = {
            "country": row.country,
            "language": row.language,
            "share": row.share,
            "status": row.status,
            "source": row.source,
        }
    form = OriginLanguageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_origin_language(request.user, form.cleaned_data, row)
        except Invalid as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{redirect('risk:languages').url}?country={saved.country}")
    return render(request, "risk/language_form.html", {"form": form, "row": row})


@login_required
def events_page(request):
    """GDACS events as last read, current ones first."""
    require(request.user, Area.RISK, Action.VIEW)
    queryset = GdacsEvent.objects.order_by("-is_current", "-from_date", "-event_id")
    return render(request, "risk/events.html", paginate(request, queryset))


@login_required
@require_POST
def proposal_action(request, pk):
    """Act on a GDACS proposal: open a check-in (a crisis over the event), review the advice, or dismiss."""
    from lifeline.advice.models import TravelAdvice

    require(request.user, Area.CRISES, Action.CHANGE)
    proposal = get_for_user(GdacsProposal, request.user, pk, Action.CHANGE)
    do = request.POST.get("do")
    if do == "dismiss":
        services.dismiss_proposal(request.user, proposal)
        return redirect("crises:list")
    if do == "advice":
        advice = (
            TravelAdvice.objects.for_user(request.user)
            .filter(country__code__in=proposal.event.countries)
            .order_by("area_id", "pk")
            .first()
        )
        if advice is None:
            try:
                return redirect("advice:manage")
            except PermissionDenied:  # pragma: no cover
                raise Http404 from None
        return redirect("advice:detail", pk=advice.pk)
    if do != "checkin":
        raise Http404
    crisis = services.open_checkin(request.user, proposal)
    messages.success(
        request,
        _("Check-in opened from the GDACS event: %(n)s registrations inside.") % {"n": crisis.member_count},
    )
    return redirect("crises:detail", pk=crisis.pk)


# --- the exposure map ------------------------------------------------------------------------------
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


def _map_country(request):
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
def map_page(request):
    require(request.user, AREA, Action.VIEW)
    country, choices = _map_country(request)
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
    return render(request, "risk/map.html", context)


@login_required
def export(request, fmt):
    require(request.user, AREA, Action.EXPORT)
    country, _choices = _map_country(request)
    rows = exposure.compute(request.user, country) if country else []
    data = exposure.export(rows, fmt, hxl=request.GET.get("hxl") == "1")
    return table_response(data, fmt, f"exposure-{country.code if country else 'all'}")
