"""Which languages are spoken in an area: the one answer the alert composer, the gap lists and the
plans read (DESIGN.md: "languages spoken in an area" belongs to ``risk``).

``spoken_in(user, areas)`` adds up what its sources know, per language, with the source of each
figure and a low–high range (estimates are not counts). The sources are a list
(``settings.RISK_LANGUAGE_SOURCES``, dotted paths); each is a function ``(user, areas)`` giving
``Figure`` rows, either for a language directly (a community profile's languages, registrations
counted by first language) or for an origin group (people from a country of origin, e.g. presence
figures), which the table of languages of origin groups (``OriginLanguage``) turns into languages.
A community profile that names an origin country speaks for that group in its areas: an origin
figure for the same country there is left out (the profile's languages override the table).
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
        size = profile.estimated_size or 0
        origins = tuple(c.code for c in profile.origin_countries.all())
        codes = [lang.code for lang in profile.languages.all()]
        for code in codes:
            figures.append(Figure("profile", profile.name, size, language=code, claims=origins))
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


def sources():
    return [import_string(path) for path in settings.RISK_LANGUAGE_SOURCES]


def origin_languages(country):
    """The table's rows for a country of origin, most spoken first, at or above the deployment's
    minimum share (official languages always)."""
    from django.db.models import Q

    from lifeline.risk.models import OfficialStatus, OriginLanguage

    minimum = Decimal(str(settings.RISK_MIN_LANGUAGE_SHARE))
    return list(
        OriginLanguage.objects.filter(country=country.upper()).filter(
            Q(share__gte=minimum) | Q(status__in=[OfficialStatus.OFFICIAL, OfficialStatus.DE_FACTO])
        )
    )


def _from_table(origin, people, low, high):
    """An origin group's people spread over the languages of its country: the share of the
    country's population speaking each (CLDR, or as edited) gives the estimate and the low end;
    the high end is everyone in the group for an official language (taught at school) or a
    language without a share, else the share of the high end."""
    rows = []
    for row in origin_languages(origin):
        share = float(row.share) / 100 if row.share is not None else None
        official = row.status in ("official", "de_facto_official")
        estimate = round(people * share) if share is not None else 0
        row_low = round(low * share) if share is not None else 0
        row_high = high if (official or share is None) else round(high * share)
        rows.append((row.language, estimate, row_low, row_high))
    return rows


def spoken_in(user, areas=(), sources_=None):
    """The languages spoken in these areas (the user's whole jurisdiction when none are given),
    most people first: ``Spoken`` rows with the people, the range, and each figure's source. No
    name or id of a person leaves this function."""
    from lifeline.core.names import normalise_language

    areas = list(areas or ())
    figures = []
    for source in sources_ if sources_ is not None else sources():
        figures.extend(source(user, areas))
    claimed = {o for f in figures for o in f.claims}
    found = {}

    def add(code, people, low, high, source, label):
        code = normalise_language(code) or code
        spoken = found.setdefault(code, Spoken(code))
        spoken.people += people
        spoken.low += low
        spoken.high += high
        spoken.sources.append((source, str(label), people))

    for figure in figures:
        low = figure.people if figure.low is None else figure.low
        high = figure.people if figure.high is None else figure.high
        if figure.language:
            add(figure.language, figure.people, low, high, figure.source, figure.label)
        elif figure.origin and figure.origin not in claimed:
            for code, people, row_low, row_high in _from_table(figure.origin, figure.people, low, high):
                add(code, people, row_low, row_high, figure.source, figure.label)
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
