"""Which languages are spoken in an area: the one answer the alert composer, the gap lists and the
plans read (DESIGN.md: "languages spoken in an area" belongs to ``risk``).

``spoken_in(user, areas)`` adds up what its sources know, per language, with the source of each
figure and a low–high range (estimates are not counts). The sources are a list
(``settings.RISK_LANGUAGE_SOURCES``, dotted paths); each is a function ``(user, areas)`` giving
``Figure`` rows, either for a language directly (a community profile's languages, registrations
counted by first language) or for an origin group (people from a country of origin, e.g. presence
figures: ``presence_source``), which the table of languages of origin groups (``OriginLanguage``)
turns into languages. A community profile that names its languages and an origin country speaks
for that group in its areas: an origin figure for the same country there is left out (the
profile's languages override the table); see ``spoken_in`` for how the figures combine.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

CLDR_SOURCE = "CLDR territory language data"


@dataclass
class Figure:
    """What one source knows: ``people`` speaking ``language``, or ``people`` from ``origin``."""

    source: str  # a short key: "profile", "registrations", "presence", ...
    label: str  # what the reader sees: the profile's name, "registrations", a file's source and date
    people: int
    language: str = ""
    origin: str = ""  # ISO 3166 alpha-2
    low: int | None = None
    high: int | None = None
    claims: tuple = ()  # origin countries this figure speaks for (a profile's origins)


@dataclass
class Spoken:
    """A language spoken in the area: people (best estimate), a low–high range, and where from."""

    code: str
    people: int = 0
    low: int = 0
    high: int = 0
    sources: list = field(default_factory=list)  # [(source, label, people)]

    @property
    def name(self):
        from lifeline.core.names import language_name

        return language_name(self.code)

    @property
    def source_keys(self):
        return sorted({s[0] for s in self.sources})


SOURCE_LABELS = {
    "profile": _("community profile"),
    "registrations": _("registrations (counts only)"),
    "table": _("languages of the origin group"),
    "presence": _("presence tables"),
}


def _areas_q(prefix, ids):
    from django.db.models import Q

    return Q(**{f"{prefix}__in": ids}) | Q(**{f"{prefix}__parent__in": ids})


def profiles_source(user, areas):
    """The community profiles the user may read that cover one of the areas (or a child of one):
    each profile's estimated size for each of its languages; a profile with origin countries but
    no languages counts as an origin group (the table gives its languages)."""
    from lifeline.communities.models import CommunityProfile

    profiles = CommunityProfile.objects.readable_by(user)
    if areas:
        profiles = profiles.filter(_areas_q("areas", [a.pk for a in areas]))
    figures = []
    for profile in profiles.distinct().prefetch_related("languages", "origin_countries"):
        figures += _profile_figures(profile)
    return figures


def _profiles_by_area(user, areas):
    """``profiles_source`` for each area at once: {area id: [Figure]} (one query for the profiles,
    one for their languages, one for their areas, one for their origins)."""
    from lifeline.communities.models import CommunityProfile

    ids = {a.pk for a in areas}
    result = {pk: [] for pk in ids}
    profiles = CommunityProfile.objects.readable_by(user).filter(_areas_q("areas", list(ids)))
    for profile in profiles.distinct().prefetch_related("languages", "origin_countries", "areas"):
        targets = set()
        for area in profile.areas.all():
            targets |= {area.pk, area.parent_id} & ids
        figures = _profile_figures(profile)
        for pk in targets:
            result[pk].extend(figures)
    return result


def _profile_figures(profile):
    size = profile.estimated_size or 0
    origins = tuple(c.code for c in profile.origin_countries.all())
    codes = [lang.code for lang in profile.languages.all()]
    figures = [Figure("profile", profile.name, size, language=code, claims=origins) for code in codes]
    if not codes:
        figures.extend(Figure("profile", profile.name, size, origin=o) for o in origins)
    return figures


def registrations_source(user, areas):
    """Registrations of nationals abroad in the areas (or the user's jurisdiction), counted by
    first language in the database; a language with fewer than ``settings.AGGREGATE_MIN_PEOPLE``
    people is not counted at all, and an immigration authority is not told even these counts."""
    from django.db.models import Count, Q

    from lifeline.core.names import normalise_language
    from lifeline.core.permissions import _is_immigration_user, jurisdiction
    from lifeline.nationals.models import Registration

    if _is_immigration_user(user):
        return []
    registrations = Registration.objects.active().exclude(primary_language="")
    if areas:
        ids = [a.pk for a in areas]
        registrations = registrations.filter(Q(area_id__in=ids) | Q(area__parent_id__in=ids))
    else:
        scope = jurisdiction(user)
        if scope is not None:
            area_ids, country_ids = scope
            registrations = registrations.filter(Q(area_id__in=area_ids) | Q(country_id__in=country_ids))
    counted = {}
    for code, n in registrations.values_list("primary_language").annotate(n=Count("id")).order_by():
        code = normalise_language(code)
        if code:
            counted[code] = counted.get(code, 0) + n
    return [
        Figure("registrations", "registrations", n, language=code)
        for code, n in counted.items()
        if n >= settings.AGGREGATE_MIN_PEOPLE
    ]


def _registrations_by_area(user, areas):
    """``registrations_source`` for each area at once: {area id: [Figure]} (one query)."""
    from django.db.models import Count, Q

    from lifeline.core.names import normalise_language
    from lifeline.core.permissions import _is_immigration_user
    from lifeline.nationals.models import Registration

    ids = {a.pk for a in areas}
    result = {pk: [] for pk in ids}
    if _is_immigration_user(user):
        return result
    counted = {}
    rows = (
        Registration.objects.active()
        .exclude(primary_language="")
        .filter(Q(area_id__in=ids) | Q(area__parent_id__in=ids))
        .values_list("area_id", "area__parent_id", "primary_language")
        .annotate(n=Count("id"))
        .order_by()
    )
    for area_id, parent_id, code, n in rows:
        code = normalise_language(code)
        for pk in {area_id, parent_id} & ids if code else ():
            counted[(pk, code)] = counted.get((pk, code), 0) + n
    for (pk, code), n in sorted(counted.items()):
        if n >= settings.AGGREGATE_MIN_PEOPLE:
            result[pk].append(Figure("registrations", "registrations", n, language=code))
    return result


def _presence_by_area(user, areas):
    """``presence_source`` for each area at once: {area id: [Figure]} (one query per level of
    areas, one for the figures)."""
    from lifeline.risk.exposure import may_view
    from lifeline.risk.models import PresenceFigure
    from lifeline.risk.presence import subtree_tops, tables_by_area

    result = {a.pk: [] for a in areas}
    if not may_view(user):
        return result
    tops = subtree_tops(areas)
    merged = {pk: {} for pk in result}
    for area_id, by_origin in tables_by_area(PresenceFigure.objects.filter(area_id__in=tops)).items():
        for pk in tops.get(area_id, ()):
            for origin, by_dataset in by_origin.items():
                target = merged[pk].setdefault(origin, {})
                for key, count in by_dataset.items():
                    target[key] = target.get(key, 0) + count
    for pk, by_origin in merged.items():
        result[pk] = _presence_figures(by_origin)
    return result


def _presence_figures(by_origin):
    """{origin: {(source, date): people}} → one origin Figure per origin: the latest dataset's
    figure, low–high across datasets, every dataset in the label."""
    from lifeline.risk.presence import _source_label

    result = []
    for origin, by_dataset in sorted(by_origin.items()):
        datasets = sorted(by_dataset.items(), key=lambda item: (item[0][1] is not None, item[0][1]))
        counts = [n for _key, n in datasets]
        label = "; ".join(_source_label(source, date) for (source, date), _n in datasets)
        result.append(Figure("presence", label, counts[-1], origin=origin, low=min(counts), high=max(counts)))
    return result


profiles_source.by_area = _profiles_by_area
registrations_source.by_area = _registrations_by_area


def sources():
    return [import_string(path) for path in settings.RISK_LANGUAGE_SOURCES]


def languages_of_origins(countries):
    """The table's rows for several countries of origin in one query: ``{country: [rows]}``, each
    list most spoken first, at or above the deployment's minimum share (official languages
    always). The one reading of the table: ``origin_languages``, ``spoken_in`` and the exposure
    table's languages all come through here."""
    from django.db.models import Q

    from lifeline.risk.models import OfficialStatus, OriginLanguage

    minimum = Decimal(str(settings.RISK_MIN_LANGUAGE_SHARE))
    found = {}
    rows = OriginLanguage.objects.filter(country__in={c.upper() for c in countries if c}).filter(
        Q(share__gte=minimum) | Q(status__in=[OfficialStatus.OFFICIAL, OfficialStatus.DE_FACTO])
    )
    for row in rows:  # the model's ordering: country, most spoken first
        found.setdefault(row.country, []).append(row)
    return found


def origin_languages(country):
    """The table's rows for a country of origin, most spoken first (see ``languages_of_origins``)."""
    return languages_of_origins([country]).get(country.upper(), [])


def presence_source(user, areas):
    """Presence tables (sub-national census or DTM tables) for the areas and the areas inside
    them (the user's jurisdiction when none are given): one origin figure per country of origin,
    for the table to turn into languages. Several datasets for the same people give a range: the
    estimate is the most recent dataset's figure, ``low`` and ``high`` the smallest and largest
    figure any dataset gives; the label names each dataset and its date. Read by whoever reads
    risk analysis (as the exposure table is)."""
    from django.db.models import Q

    from lifeline.core.permissions import jurisdiction
    from lifeline.risk.exposure import may_view
    from lifeline.risk.models import PresenceFigure
    from lifeline.risk.presence import subtrees, tables_by_origin

    if not may_view(user):
        return []
    figures = PresenceFigure.objects.all()
    if areas:
        figures = figures.filter(area_id__in=subtrees(areas))
    elif user is not None:
        scope = jurisdiction(user)
        if scope is not None:
            area_ids, country_ids = scope
            figures = figures.filter(
                Q(area_id__in=area_ids) | Q(area__parent_id__in=area_ids) | Q(destination_id__in=country_ids)
            )
    return _presence_figures(tables_by_origin(figures))


presence_source.by_area = _presence_by_area


def _from_table(rows, people, low, high):
    """An origin group's people spread over the languages of its country (``rows``: the table's
    rows for it): the share of the country's population speaking each (CLDR, or as edited) gives
    the estimate and the low end; the high end is everyone in the group for an official language
    (taught at school) or a language without a share, else the share of the high end."""
    result = []
    for row in rows:
        share = float(row.share) / 100 if row.share is not None else None
        official = row.status in ("official", "de_facto_official")
        estimate = round(people * share) if share is not None else 0
        row_low = round(low * share) if share is not None else 0
        row_high = high if (official or share is None) else round(high * share)
        result.append((row.language, estimate, row_low, row_high))
    return result


def spoken_in(user, areas=(), sources_=None):
    """The languages spoken in these areas (the user's whole jurisdiction when none are given),
    most people first: ``Spoken`` rows with the people, the range, and each figure's source. No
    name or id of a person leaves this function.

    How the sources combine: language figures add up. Origin figures go through the table, once
    per origin: figures of one source for the same origin add up (different groups), figures of
    different sources for the same origin (a presence table and a profile without languages) are
    estimates of the same people, so the largest estimate stands and the range runs from the
    smallest low to the largest high. A community profile that names its languages and origins
    overrides the table for those origins: its languages and its size are taken, and no origin
    figure of those countries is added (it would count the same people twice)."""
    areas = list(areas or ())
    figures = []
    for source in sources_ if sources_ is not None else sources():
        figures.extend(source(user, areas))
    return _combine(figures)


def spoken_in_each(user, areas, sources_=None):
    """``spoken_in(user, [area])`` for every area, in one batched pass: ``{area id: [Spoken]}``.
    A source with a ``by_area(user, areas)`` function (the built-in ones) is read once for all
    the areas; another source is called once per area. The table is read once."""
    areas = list(areas)
    figures = {a.pk: [] for a in areas}
    for source in sources_ if sources_ is not None else sources():
        batch = getattr(source, "by_area", None)
        if batch is not None:
            for pk, found in batch(user, areas).items():
                figures[pk].extend(found)
        else:
            for area in areas:
                figures[area.pk].extend(source(user, [area]))
    origins = {f.origin for found in figures.values() for f in found if f.origin}
    table = languages_of_origins(origins) if origins else {}
    return {pk: _combine(found, table) for pk, found in figures.items()}


def _combine(figures, table=None):
    from lifeline.core.names import normalise_language

    claimed = {o for f in figures for o in f.claims}
    found = {}

    def add(code, people, low, high, entries):
        code = normalise_language(code) or code
        spoken = found.setdefault(code, Spoken(code))
        spoken.people += people
        spoken.low += low
        spoken.high += high
        spoken.sources += entries

    groups = {}  # origin → source key → [people, low, high, [figures]]
    for figure in figures:
        low = figure.people if figure.low is None else figure.low
        high = figure.people if figure.high is None else figure.high
        if figure.language:
            add(
                figure.language, figure.people, low, high, [(figure.source, str(figure.label), figure.people)]
            )
        elif figure.origin and figure.origin not in claimed:
            group = groups.setdefault(figure.origin, {}).setdefault(figure.source, [0, 0, 0, []])
            group[0] += figure.people
            group[1] += low
            group[2] += high
            group[3].append(figure)
    if table is None:
        table = languages_of_origins(groups) if groups else {}
    for origin, by_source in groups.items():
        parts = list(by_source.values())
        people = max(p[0] for p in parts)
        low = min(p[1] for p in parts)
        high = max(p[2] for p in parts)
        rows = table.get(origin, [])
        per_figure = [
            (f, {code: n for code, n, _lo, _hi in _from_table(rows, f.people, f.people, f.people)})
            for part in parts
            for f in part[3]
        ]
        for code, estimate, row_low, row_high in _from_table(rows, people, low, high):
            add(code, estimate, row_low, row_high, [(f.source, str(f.label), n[code]) for f, n in per_figure])
    return sorted(found.values(), key=lambda s: (-s.people, s.code))


# --- the table's seed: CLDR territory language data, as the language_data package ships it ----------


def cldr_file():
    import language_data

    return Path(language_data.__file__).parent / "data" / "supplementalData.xml"


def cldr_version():
    try:
        from importlib.metadata import version

        return version("language_data")
    except Exception:  # pragma: no cover - installed without metadata
        return ""


def cldr_rows(minimum_share=1):
    """(country, language, share, status) for every territory of CLDR's territoryInfo: the
    languages at least ``minimum_share`` percent of the population speak, and every official one."""
    from defusedxml import ElementTree

    from lifeline.core.names import normalise_language

    root = ElementTree.parse(cldr_file()).getroot()
    rows = {}
    for territory in root.iterfind("./territoryInfo/territory"):
        country = territory.get("type", "")
        if len(country) != 2 or not country.isalpha():
            continue
        for language in territory.iterfind("languagePopulation"):
            share = float(language.get("populationPercent", "0") or 0)
            status = language.get("officialStatus", "")
            if status not in ("official", "de_facto_official", "official_regional"):
                status = ""
            if share < minimum_share and status not in ("official", "de_facto_official"):
                continue
            code = normalise_language(language.get("type", "").replace("_", "-"))
            if not code or (country, code) in rows:
                continue
            rows[(country, code)] = (
                country,
                code,
                Decimal(str(min(share, 100))).quantize(Decimal("0.01")),
                status,
            )
    return list(rows.values())


def seed_from_cldr(model=None, only_missing=True):
    """Fill the table from CLDR (rows already there, seeded or edited, are kept); returns how many
    rows were added."""
    from lifeline.risk.models import OriginLanguage

    model = model or OriginLanguage
    source = f"{CLDR_SOURCE} (language_data {cldr_version()})".strip()
    existing = set(model.objects.values_list("country", "language")) if only_missing else set()
    new = [
        model(country=c, language=code, share=share, status=status, source=source)
        for c, code, share, status in cldr_rows()
        if (c, code) not in existing
    ]
    model.objects.bulk_create(new, batch_size=500)
    return len(new)
