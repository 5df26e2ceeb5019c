"""Migrant presence: reading the tables (sub-national census or DTM tables, UN DESA's International
Migrant Stock) and answering "who lives here, from where" (``by_origin``).

Imports read through the project's table engine (``core.tabular.read_table``/``read_rows``), check
every row before writing anything, and report each problem with its row and column. A dataset is
matched by its organisation, kind, country and source: importing the same file again replaces its
figures rather than adding to them.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pycountry
from django.db import transaction
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.bulk import insert_rows
from lifeline.core.models import AuditAction
from lifeline.core.names import find_country
from lifeline.core.tabular import Report, RowError, TableError, read_rows, read_table
from lifeline.geo.models import AdminArea, Country
from lifeline.risk.models import PresenceDataset, PresenceFigure, PresenceKind, Sex


def _looks_like_html(data):
    return data[:512].lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml", b"<"))


def _refused(report, message):
    report.errors.append(RowError(row=1, column="", message=str(message)))
    return report


def _number(value):
    """A published count ("12 345", "1,234", 1234.0) → int; "", "..", "-" → None; else ValueError."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        if value < 0 or value != value:
            raise ValueError
        return int(round(value))
    text = str(value).strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    if text in ("", "..", "...", "…", "-", "–", "—", "x"):
        return None
    number = float(text)
    if number < 0:
        raise ValueError
    return int(round(number))


def _not_a_number(value):
    return _("“%(value)s” is not a number of people.") % {"value": value}


# --- sub-national tables: admin area × nationality (× sex) --------------------------------------

# Column names (lower case) and HXL tags each role is found by.
PCODE_NAMES = {"pcode", "p-code", "admin_pcode", "area", "area pcode"} | {
    f"{p}{n}{s}" for p in ("adm", "admin", "adm_") for n in "1234" for s in ("_pcode", "pcode", "pcod")
}
PCODE_TAGS = {f"#adm{n}+code" for n in "1234"} | {"#loc+code"}
ORIGIN_NAMES = {"nationality", "origin", "country of origin", "nationality code", "origin country"}
ORIGIN_TAGS = {
    "#country+code+origin",
    "#country+origin+code",
    "#country+origin",
    "#nationality",
    "#country+code",
}
SEX_NAMES = {"sex", "gender"}
SEX_TAGS = {"#sex", "#gender"}
COUNT_NAMES = {"count", "number", "population", "persons", "individuals", "total", "migrants"}
COUNT_TAGS = {"#population+num", "#population", "#affected+num", "#affected", "#population+total", "#inneed"}
MALE_NAMES, MALE_TAGS = {"male", "males", "men"}, {"#population+m", "#affected+m", "#population+num+m"}
FEMALE_NAMES, FEMALE_TAGS = (
    {"female", "females", "women"},
    {"#population+f", "#affected+f", "#population+num+f"},
)
DATE_NAMES, DATE_TAGS = {"date", "reference date"}, {"#date", "#date+reported"}
SEX_WORDS = {
    "": "", "t": "", "total": "", "both": "", "both sexes": "", "all": "",
    "m": "m", "male": "m", "males": "m", "men": "m", "h": "m", "hombre": "m", "homme": "m",
    "f": "f", "female": "f", "females": "f", "women": "f", "mujer": "f", "femme": "f",
}  # fmt: skip


def _find_columns(header, hxl):
    roles = {
        "pcode": (PCODE_NAMES, PCODE_TAGS),
        "origin": (ORIGIN_NAMES, ORIGIN_TAGS),
        "sex": (SEX_NAMES, SEX_TAGS),
        "count": (COUNT_NAMES, COUNT_TAGS),
        "male": (MALE_NAMES, MALE_TAGS),
        "female": (FEMALE_NAMES, FEMALE_TAGS),
        "date": (DATE_NAMES, DATE_TAGS),
    }
    found = {}
    for index, name in enumerate(header):
        tag = (hxl[index] if hxl and index < len(hxl) else "").lower().replace(" ", "")
        for role, (names, tags) in roles.items():
            if role not in found and (name.strip().lower() in names or (tag and tag in tags)):
                found[role] = index
                break
    return found


def import_presence(
    data, filename, organisation, country_code, source="", date=None, dry_run=False, user=None
):
    """A sub-national presence table (CSV, XLSX, HXL-tagged or not) into one dataset; a Report.

    Columns: the area's P-code, the nationality (ISO code or name), then either a count and an
    optional sex, or male and female counts; an optional date per row. Everything is checked
    before anything is written."""
    report = Report(dry_run=dry_run)
    if _looks_like_html(data):
        return _refused(
            report, _("The file is a web page, not a table (perhaps an error page from the download).")
        )
    country = Country.objects.filter(code=str(country_code or "").upper()).first()
    if country is None:
        return _refused(report, _("“%(code)s” is not an ISO 3166 country code.") % {"code": country_code})
    try:
        header, hxl, body = read_table(data, filename)
    except TableError as exc:
        return _refused(report, exc)
    columns = _find_columns(header, hxl)
    missing = [
        label
        for label, ok in (
            (_("P-code"), "pcode" in columns),
            (_("nationality"), "origin" in columns),
            (_("count (or male and female)"), "count" in columns or {"male", "female"} <= set(columns)),
        )
        if not ok
    ]
    if missing:
        return _refused(report, _("Missing required column(s): %(cols)s.") % {"cols": ", ".join(missing)})
    report.rows = len(body)
    areas = dict(AdminArea.objects.filter(country=country).values_list("pcode", "id"))
    areas = {code.upper(): pk for code, pk in areas.items()}
    country_ids = dict(Country.objects.values_list("code", "id"))
    origins_seen = {}

    def name_of(role):
        index = columns[role]
        return header[index] or (hxl[index] if hxl else role)

    def cell(cells, role):
        index = columns.get(role)
        return cells[index] if index is not None and index < len(cells) else None

    parsed, seen = [], {}
    for row_number, cells in body:
        errors = []
        pcode = str(cell(cells, "pcode") or "").strip().upper()
        area_id = areas.get(pcode)
        if area_id is None:
            errors.append(
                RowError(
                    row_number, name_of("pcode"), _("“%(code)s” is not a known P-code.") % {"code": pcode}
                )
            )
        origin_text = str(cell(cells, "origin") or "").strip()
        if origin_text not in origins_seen:
            origins_seen[origin_text] = find_country(origin_text)
        origin = origins_seen[origin_text]
        if origin is None:
            errors.append(
                RowError(
                    row_number, name_of("origin"), _("“%(code)s” is not a country.") % {"code": origin_text}
                )
            )
        row_date = date
        if "date" in columns and cell(cells, "date") not in (None, ""):
            raw = cell(cells, "date")
            try:
                row_date = (
                    raw.date()
                    if isinstance(raw, datetime.datetime)
                    else (
                        raw
                        if isinstance(raw, datetime.date)
                        else datetime.date.fromisoformat(str(raw).strip()[:10])
                    )
                )
            except ValueError:
                errors.append(
                    RowError(
                        row_number,
                        name_of("date"),
                        _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw},
                    )
                )
        counts = []
        if "count" in columns:
            sex_word = str(cell(cells, "sex") or "").strip().lower()
            if sex_word not in SEX_WORDS:
                errors.append(
                    RowError(
                        row_number,
                        name_of("sex"),
                        _("“%(value)s” is not a sex (male, female or total).") % {"value": sex_word},
                    )
                )
            counts.append((SEX_WORDS.get(sex_word, ""), "count"))
        else:
            counts += [(Sex.MALE, "male"), (Sex.FEMALE, "female")]
        for sex, role in counts:
            try:
                number = _number(cell(cells, role))
            except ValueError:
                errors.append(RowError(row_number, name_of(role), _not_a_number(cell(cells, role))))
                continue
            if number is None:
                continue
            key = (pcode, origin, sex)
            if key in seen:
                errors.append(RowError(row_number, "", _("Same record as row %(row)s.") % {"row": seen[key]}))
            seen[key] = row_number
            if not errors:
                parsed.append((area_id, country_ids.get(origin), sex, number, row_date))
        report.errors += errors
    if report.errors:
        return report
    dataset = _dataset(organisation, PresenceKind.SUBNATIONAL, country, source or filename)
    report.created, report.updated = (len(parsed), 0) if dataset is None else (0, len(parsed))
    if dry_run:
        return report
    with transaction.atomic():
        dataset = _replace_dataset(
            dataset, organisation, PresenceKind.SUBNATIONAL, country, source or filename, date, filename, user
        )
        dates = {d for *_rest, d in parsed} - {None}
        if dataset.date is None and dates:
            dataset.date = max(dates)
            dataset.save(update_fields=["date"])
        insert_rows(
            PresenceFigure,
            [
                {"dataset_id": dataset.pk, "destination_id": country.pk, "area_id": area_id, "origin_id": origin_id,
                 "sex": sex, "year": (row_date or dataset.date).year if (row_date or dataset.date) else None, "count": number}
                for area_id, origin_id, sex, number, row_date in parsed
            ],
        )  # fmt: skip
    return report


def _dataset(organisation, kind, country, source):
    return PresenceDataset.objects.filter(
        organisation=organisation, kind=kind, country=country, source=source
    ).first()


def _replace_dataset(dataset, organisation, kind, country, source, date, filename, user):
    if dataset is None:
        dataset = PresenceDataset.objects.create(
            organisation=organisation, kind=kind, country=country, source=source, date=date, filename=filename
        )
    else:
        dataset.figures.all().delete()
        dataset.date, dataset.filename = date or dataset.date, filename
        dataset.save()
    audit.record(AuditAction.IMPORT, obj=dataset, user=user)
    return dataset


# --- UN DESA International Migrant Stock ---------------------------------------------------------

YEAR = re.compile(r"^(19[5-9]\d|20\d\d)(?:\.0)?$")
SEX_GROUP = (
    ("female", Sex.FEMALE),
    ("women", Sex.FEMALE),
    ("male", Sex.MALE),
    ("men", Sex.MALE),
    ("both", Sex.TOTAL),
)


def _m49_to_iso():
    """M49 numeric codes of countries (the same numbers as ISO 3166 numeric) → alpha-2. Regions,
    development groups and other aggregates have M49 codes that are no country's: left out."""
    return {int(c.numeric): c.alpha_2 for c in pycountry.countries}


@dataclass
class StockRead:
    """What a migrant stock import read (the command prints it)."""

    destinations: set = field(default_factory=set)
    origins: set = field(default_factory=set)
    years: set = field(default_factory=set)
    skipped: set = field(default_factory=set)  # aggregates and areas that are not countries
    figures: int = 0


def _stock_header(rows):
    """(index in rows, header cells) of the row naming destination and origin and listing years."""
    for position, (_row_number, cells) in enumerate(rows[:40]):
        texts = [str(c or "").strip().lower() for c in cells]
        if (
            any("destination" in t for t in texts)
            and any("origin" in t for t in texts)
            and any(YEAR.match(t) for t in texts)
        ):
            return position, cells
    return None, None


def _stock_columns(header):
    texts = [str(c or "").strip().lower() for c in header]

    def first(*tests):
        for index, text in enumerate(texts):
            if all(t(text) for t in tests):
                return index
        return None

    return {
        "dest_code": first(lambda t: "code" in t, lambda t: "destination" in t),
        "dest_name": first(
            lambda t: "destination" in t, lambda t: "code" not in t and "note" not in t and "type" not in t
        ),
        "origin_code": first(lambda t: "code" in t, lambda t: "origin" in t),
        "origin_name": first(
            lambda t: "origin" in t, lambda t: "code" not in t and "note" not in t and "type" not in t
        ),
    }


def _year_columns(rows, position, header):
    """{column index: (year, sex)}. The sex of a group of year columns is in the row above the
    header (a merged cell over the group: read forward), else the groups come in the published
    order: both sexes, males, females."""
    above = rows[position - 1][1] if position > 0 else []
    group, groups = "", []
    for index in range(len(header)):
        text = str(above[index] if index < len(above) and above[index] is not None else "").strip().lower()
        if text:
            group = text
        groups.append(group)
    found, counts = {}, defaultdict(int)
    for index, value in enumerate(header):
        match = YEAR.match(str(value if value is not None else "").strip())
        if not match:
            continue
        year = int(match.group(1))
        sex = next((s for word, s in SEX_GROUP if word in groups[index]), None)
        if sex is None:
            sex = (Sex.TOTAL, Sex.MALE, Sex.FEMALE)[min(counts[year], 2)]
        counts[year] += 1
        found[index] = (year, sex)
    return found


def import_migrant_stock(data, filename, organisation, year=None, source="", dry_run=False, user=None):
    """UN DESA International Migrant Stock, as published (XLSX or CSV: title rows, a two-row header
    of sexes over years, notes and type-of-data columns, M49 codes, region and development-group
    aggregates). Returns (Report, StockRead). Rows whose destination or origin is an aggregate (no
    country's M49 code) are skipped and listed; anything unreadable refuses the whole file."""
    report, read = Report(dry_run=dry_run), StockRead()
    if _looks_like_html(data):
        return _refused(
            report, _("The file is a web page, not a table (perhaps an error page from the download).")
        ), read
    try:
        rows = read_rows(data, filename)
    except TableError as exc:
        return _refused(report, exc), read
    position, header = _stock_header(rows)
    if header is None:
        return _refused(
            report,
            _(
                "No header row naming the destination, the origin and the years was found in the first 40 rows."
            ),
        ), read
    columns = _stock_columns(header)
    if columns["dest_code"] is None or columns["origin_code"] is None:
        return _refused(
            report,
            _("Missing required column(s): %(cols)s.")
            % {"cols": _("location codes of destination and origin")},
        ), read
    years = _year_columns(rows, position, header)
    if year:
        years = {i: ys for i, ys in years.items() if ys[0] == year}
        if not years:
            return _refused(report, _("The file has no column for the year %(year)s.") % {"year": year}), read
    letters = {i: _column_name(header, i) for i in range(len(header))}
    m49 = _m49_to_iso()
    country_ids = dict(Country.objects.values_list("code", "id"))
    body = rows[position + 1 :]
    report.rows = len(body)
    parsed, seen = [], {}

    def code_of(cells, role, row_number):
        index = columns[role]
        raw = cells[index] if index < len(cells) else None
        try:
            return int(float(str(raw).strip())), None
        except (TypeError, ValueError):
            message = _("“%(value)s” is not an M49 location code.") % {
                "value": raw if raw is not None else ""
            }
            return None, RowError(row_number, letters[index], message)

    for row_number, cells in body:
        dest, error_d = code_of(cells, "dest_code", row_number)
        origin, error_o = code_of(cells, "origin_code", row_number)
        if error_d or error_o:
            # a footnote line under the table ("Note: ...", "Source: ..."): no codes, no numbers
            if not any(_is_number(cells[i]) for i in years if i < len(cells)):
                continue
            report.errors += [e for e in (error_d, error_o) if e]
            continue
        dest_iso, origin_iso = m49.get(dest), m49.get(origin)
        if dest_iso is None or origin_iso is None:
            names = [
                _cell_text(cells, columns["dest_name"]) if dest_iso is None else "",
                _cell_text(cells, columns["origin_name"]) if origin_iso is None else "",
            ]
            read.skipped |= {n for n in names if n}
            continue
        for index, (col_year, sex) in years.items():
            raw = cells[index] if index < len(cells) else None
            try:
                number = _number(raw)
            except ValueError:
                report.errors.append(RowError(row_number, letters[index], _not_a_number(raw)))
                continue
            if number is None:
                continue
            key = (dest_iso, origin_iso, col_year, sex)
            if key in seen:
                report.errors.append(
                    RowError(row_number, "", _("Same record as row %(row)s.") % {"row": seen[key]})
                )
                continue
            seen[key] = row_number
            parsed.append((country_ids[dest_iso], country_ids[origin_iso], col_year, sex, number))
            read.destinations.add(dest_iso)
            read.origins.add(origin_iso)
            read.years.add(col_year)
    if report.errors:
        return report, read
    if not parsed:
        return _refused(report, _("The file holds no figure for a country.")), read
    read.figures = len(parsed)
    source = source or filename
    dataset = _dataset(organisation, PresenceKind.STOCK, None, source)
    report.created, report.updated = (len(parsed), 0) if dataset is None else (0, len(parsed))
    if dry_run:
        return report, read
    with transaction.atomic():
        date = datetime.date(max(read.years), 7, 1)  # mid-year estimates
        dataset = _replace_dataset(
            dataset, organisation, PresenceKind.STOCK, None, source, date, filename, user
        )
        insert_rows(
            PresenceFigure,
            [
                {"dataset_id": dataset.pk, "destination_id": d, "area_id": None, "origin_id": o, "sex": s, "year": y, "count": n}
                for d, o, y, s, n in parsed
            ],
        )  # fmt: skip
    return report, read


def _is_number(value):
    try:
        return _number(value) is not None
    except ValueError:
        return False


def _cell_text(cells, index):
    return str(cells[index] or "").strip() if index is not None and index < len(cells) else ""


def _column_name(header, index):
    from openpyxl.utils import get_column_letter

    title = str(header[index] if header[index] is not None else "").strip()
    return f"{get_column_letter(index + 1)} ({title})" if title else get_column_letter(index + 1)


# --- who lives here, from where ------------------------------------------------------------------


def _subtree(area):
    ids, frontier = {area.pk}, {area.pk}
    while frontier:
        frontier = set(AdminArea.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


def subtrees(areas):
    """The ids of ``areas`` and of every area inside one of them (one query per level)."""
    ids = set()
    for area in areas:
        ids |= _subtree(area)
    return ids


def subtree_tops(areas):
    """{area id: {ids of the given ``areas`` it lies in or is}}, for the areas and every area
    inside one of them: one query per level, whatever the number of areas."""
    tops = {a.pk: {a.pk} for a in areas}
    frontier = set(tops)
    while frontier:
        children = AdminArea.objects.filter(parent_id__in=frontier).values_list("id", "parent_id")
        frontier = set()
        for child, parent in children:
            if child not in tops:
                tops[child] = set()
                frontier.add(child)
            tops[child] |= tops[parent]
    return tops


def tables_by_area(figures):
    """Like ``tables_by_origin``, per area: ``{area id: {origin: {(source, date): people}}}``."""
    totals = defaultdict(dict)
    rows = figures.filter(dataset__kind=PresenceKind.SUBNATIONAL, area__isnull=False).values_list(
        "dataset__source", "dataset__date", "area_id", "origin__code", "sex", "count"
    )
    for source, date, area_id, origin, sex, count in rows:
        key = (source, date, area_id, origin)
        totals[key][sex] = totals[key].get(sex, 0) + count
    result = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for (source, date, area_id, origin), by_sex in totals.items():
        count = by_sex[""] if "" in by_sex else by_sex.get("m", 0) + by_sex.get("f", 0)
        result[area_id][origin][(source, date)] += count
    return result


def tables_by_origin(figures):
    """The sub-national tables' people by origin among ``figures`` (a PresenceFigure queryset):
    ``{origin ISO alpha-2: {(source, date): people}}``, one entry per dataset, each area's figure
    its both-sexes figure, else men plus women."""
    result = defaultdict(lambda: defaultdict(int))
    for by_origin_ in tables_by_area(figures).values():
        for origin, by_dataset in by_origin_.items():
            for key, count in by_dataset.items():
                result[origin][key] += count
    return result


def by_origin(area):
    """Migrants living in ``area`` (and the areas inside it), by origin:
    ``{origin ISO alpha-2: (low, high, [sources])}``.

    Each source is one sub-national dataset (its latest figures per area: both sexes, else men
    plus women) or a community profile's estimate (its size shared evenly over its areas and
    origins). Estimates are not counts: ``low`` and ``high`` are the smallest and largest figure
    the sources give; a source is "name (date)"."""
    from lifeline.communities.models import CommunityProfile

    ids = _subtree(area)
    per_source = defaultdict(lambda: defaultdict(int))
    for origin, figures in tables_by_origin(PresenceFigure.objects.filter(area_id__in=ids)).items():
        for (source, date), count in figures.items():
            per_source[origin][_source_label(source, date)] += count
    profiles = CommunityProfile.objects.filter(areas__in=ids, estimated_size__isnull=False).distinct()
    for profile in profiles.prefetch_related("areas", "origin_countries"):
        areas = list(profile.areas.all())
        origins = [c.code for c in profile.origin_countries.all()]
        if not areas or not origins:
            continue
        inside = sum(1 for a in areas if a.pk in ids)
        share = profile.estimated_size * inside / len(areas) / len(origins)
        label = _source_label(profile.size_source or profile.name, profile.size_date)
        for origin in origins:
            per_source[origin][label] += round(share)
    return {
        origin: (min(figures.values()), max(figures.values()), sorted(figures))
        for origin, figures in per_source.items()
    }


def stock_by_origin(country, year=None):
    """International migrant stock in ``country`` by origin, ``{origin: (count, source)}``, from
    the latest year of the most recent dataset (both sexes, else men plus women)."""
    figures = PresenceFigure.objects.filter(
        destination=country, area__isnull=True, dataset__kind=PresenceKind.STOCK
    )
    if year:
        figures = figures.filter(year=year)
    latest = figures.order_by("-year", "-dataset__date").values_list("year", flat=True).first()
    if latest is None:
        return {}
    result, by_sex = {}, defaultdict(dict)
    for origin, sex, count, source, date in figures.filter(year=latest).values_list(
        "origin__code", "sex", "count", "dataset__source", "dataset__date"
    ):
        by_sex[(origin, _source_label(source, date))][sex] = count
    for (origin, label), sexes in by_sex.items():
        result[origin] = (sexes[""] if "" in sexes else sexes.get("m", 0) + sexes.get("f", 0), label)
    return result


def _source_label(source, date):
    return f"{source} ({date.isoformat()})" if date else str(source)
