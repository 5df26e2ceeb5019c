"""Gaps per area: the languages a warning there needs (``languages.spoken_in``, for all the areas in
one batched pass: ``spoken_in_each``; most people first:
the priority order), and for each what is missing to reach its speakers (an interpreter, the
text of the alert templates, translated advice or briefings); the communities without a focal
point; whether a plan in the register covers the area."""

from dataclasses import dataclass, field

from django.db.models import Q

from lifeline.core.names import normalise_language
from lifeline.risk.languages import spoken_in_each

MAX_AREAS = 300


@dataclass
class LanguageGap:
    spoken: object  # languages.Spoken
    interpreters: int = 0
    templates_missing: list = field(default_factory=list)  # hazard labels without this language
    templates_total: int = 0
    advice: bool = False

    @property
    def gaps(self):
        return [
            name
            for name, missing in (
                ("interpreter", not self.interpreters),
                ("templates", bool(self.templates_missing)),
                ("advice", not self.advice),
            )
            if missing
        ]


@dataclass
class AreaGaps:
    area: object
    languages: list = field(default_factory=list)
    communities_without_focal_point: list = field(default_factory=list)
    plans: list = field(default_factory=list)

    @property
    def gap_count(self):
        return (
            sum(len(lang.gaps) for lang in self.languages)
            + len(self.communities_without_focal_point)
            + (0 if self.plans else 1)
        )


def _base(code):
    code = normalise_language(code) or code or ""
    return code.split("-")[0]


def areas_for(user, country=None):
    """The top-level areas of the user's jurisdiction (of ``country``, an ISO code, if given)."""
    from lifeline.core.permissions import jurisdiction
    from lifeline.geo.models import AdminArea

    areas = AdminArea.objects.select_related("country", "parent")
    scope = jurisdiction(user)
    if scope is not None:
        area_ids, country_ids = scope
        areas = areas.filter(Q(pk__in=area_ids) | Q(country_id__in=country_ids))
    if country:
        areas = areas.filter(country__code=country.upper())
    top = areas.filter(Q(parent__isnull=True) | ~Q(parent__in=areas.values("pk")))
    return list(top.order_by("country__code", "pcode")[:MAX_AREAS])


def interpreter_languages(user):
    from lifeline.interpreters.models import LanguagePair

    pairs = LanguagePair.objects.filter(interpreter__in=_interpreters(user)).values_list(
        "source__code", "target__code"
    )
    counts = {}
    for pair in pairs:
        for code in {_base(c) for c in pair}:
            counts[code] = counts.get(code, 0) + 1
    return counts


def _interpreters(user):
    from lifeline.interpreters.models import Interpreter

    return Interpreter.objects.readable_by(user).values("pk")


def template_languages():
    """{language: [hazard keys whose template has its text]} and the hazards."""
    from lifeline.alerts.hazards import HAZARDS

    having = {}
    for key, hazard in HAZARDS.items():
        for code in hazard.texts:
            having.setdefault(_base(code), set()).add(key)
    return having, HAZARDS


def advice_languages(country_ids):
    """{country id: {languages of advice texts and briefings written for it}}."""
    from lifeline.advice.models import AdviceText, BriefingText

    found = {}
    for country_id, code in AdviceText.objects.filter(
        version__advice__country_id__in=country_ids
    ).values_list("version__advice__country_id", "language"):
        found.setdefault(country_id, set()).add(_base(code))
    for country_id, code in BriefingText.objects.filter(briefing__country_id__in=country_ids).values_list(
        "briefing__country_id", "language"
    ):
        found.setdefault(country_id, set()).add(_base(code))
    return found


def gaps(user, country=None, areas=None):
    """[AreaGaps] for the user's areas (or the ones given)."""
    from lifeline.communities.models import CommunityProfile
    from lifeline.plans.models import Plan

    areas = areas_for(user, country) if areas is None else list(areas)
    interpreters = interpreter_languages(user)
    having, hazards = template_languages()
    advice = advice_languages({a.country_id for a in areas})
    profiles = CommunityProfile.objects.readable_by(user)
    plans = Plan.objects.for_user(user)
    spoken_by_area = spoken_in_each(user, areas)
    unfocused = _per_area(profiles.filter(focal_points__isnull=True), "name", areas)
    covering = _per_area(plans, "title", areas, upward=True)
    result = []
    for area in areas:
        row = AreaGaps(area)
        for spoken in spoken_by_area[area.pk]:
            code = _base(spoken.code)
            row.languages.append(
                LanguageGap(
                    spoken,
                    interpreters=interpreters.get(code, 0),
                    templates_missing=[
                        str(h.label) for k, h in hazards.items() if k not in having.get(code, ())
                    ],
                    templates_total=len(hazards),
                    advice=code in advice.get(area.country_id, set()),
                )
            )
        row.communities_without_focal_point = unfocused.get(area.pk, [])
        row.plans = covering.get(area.pk, [])
        result.append(row)
    return result


def _per_area(queryset, field, areas, upward=False):
    """{area id: [``field`` of the rows whose areas are the area or inside it (``upward``: or its
    parent)]}, in the queryset's order, each once: one query for all the areas."""
    ids = {a.pk for a in areas}
    parents = {a.parent_id: set() for a in areas if a.parent_id}
    for a in areas:
        if a.parent_id:
            parents[a.parent_id].add(a.pk)
    where = Q(areas__in=ids) | Q(areas__parent__in=ids)
    if upward and parents:
        where |= Q(areas__in=list(parents))
    found = {}
    for value, area_id, parent_id in queryset.filter(where).values_list(
        field, "areas__id", "areas__parent_id"
    ):
        targets = {area_id, parent_id} & ids
        if upward:
            targets |= parents.get(area_id, set())
        for pk in targets:
            values = found.setdefault(pk, [])
            if value not in values:
                values.append(value)
    return found


def table(rows):
    """The gaps as one table (header, then a row per area and language), for CSV and XLSX."""
    from django.utils.translation import gettext as _

    header = [
        _("Area"),
        _("P-code"),
        _("Language"),
        _("People"),
        _("Low"),
        _("High"),
        _("Sources"),
        _("Interpreters"),
        _("Alert templates without this language"),
        _("Translated advice"),
        _("Communities with no focal point"),
        _("Plans covering the area"),
    ]
    out = [header]
    for row in rows:
        communities = "; ".join(row.communities_without_focal_point)
        plans = "; ".join(row.plans)
        if not row.languages:
            out.append([row.area.name, row.area.pcode, "", "", "", "", "", "", "", "", communities, plans])
        for lang in row.languages:
            s = lang.spoken
            out.append(
                [
                    row.area.name,
                    row.area.pcode,
                    s.name,
                    s.people,
                    s.low,
                    s.high,
                    "; ".join(sorted({label for _k, label, _n in s.sources})),
                    lang.interpreters,
                    "; ".join(lang.templates_missing),
                    _("yes") if lang.advice else _("no"),
                    communities,
                    plans,
                ]
            )
    return out
