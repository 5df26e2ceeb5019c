"""Import and export of registries as CSV or XLSX, with an optional HXL hashtag row.

A registry describes its columns once (``Column``) in a ``TableSchema``; pages,
API and commands all import through ``import_table`` and export through
``export_table``. An import parses and validates every row before it writes
anything; if any row is bad nothing is written and every problem is reported
with its row, column and reason in the reader's language. Rows are matched to
existing records by a natural key, so importing the same file twice changes
nothing.
"""

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from lifeline.core import audit
from lifeline.core.bulk import insert_rows
from lifeline.core.models import AuditAction, Branding, Language
from lifeline.core.names import normalise_language
from lifeline.core.phones import default_region

MULTI_SEPARATOR = ";"
BATCH = 1000
MAX_ROW_CHARS = 500_000  # one row of a CSV file; the longest real rows are a few KB
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # a line and its ending, as csv expects


class TableError(Exception):
    """The file itself cannot be read (format, size, header)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Column:
    name: str
    hxl: str
    parse: Callable[[str, "Context"], Any]
    render: Callable[[Any], str]
    required: bool = False
    personal: bool = (
        False  # only for extra columns; a model field is personal if its disclosure policy says so
    )
    m2m: bool = False
    extra: bool = False  # not a model field: the schema reads and writes it (read_extra, after_write)
    attr: str | None = None  # model attribute, defaults to name

    @property
    def target(self):
        return self.attr or self.name


@dataclass
class Context:
    """What parsers need: lookups loaded once per import."""

    languages: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    region: str | None = None  # where local phone numbers are read (core/phones.py)

    def language_id(self, code):
        tag = normalise_language(code)
        if tag is None:
            raise ValidationError(_("“%(code)s” is not an ISO 639 language code.") % {"code": code})
        if tag not in self.languages:
            self.languages[tag] = Language.objects.get_or_create(code=tag)[0].pk
        return self.languages[tag]


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        if self.errors:
            return _("%(n)s problem(s) found; nothing was imported.") % {"n": len(self.errors)}
        if self.dry_run:
            return _("Dry run: %(c)s to create, %(u)s to update, %(s)s unchanged. Nothing was written.") % {
                "c": self.created,
                "u": self.updated,
                "s": self.unchanged,
            }
        return _("Imported: %(c)s created, %(u)s updated, %(s)s unchanged.") % {
            "c": self.created,
            "u": self.updated,
            "s": self.unchanged,
        }

    def as_dict(self):
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "summary": str(self.summary()),
        }


# --- parsers and renderers shared by the registries ------------------------------


def split_multi(value):
    return [v.strip() for v in str(value or "").split(MULTI_SEPARATOR) if v.strip()]


def text(max_length):
    def parse(value, ctx):
        value = str(value or "").strip()
        if "\x00" in value:
            raise ValidationError(_("The cell holds a NUL character, which cannot be stored."))
        if len(value) > max_length:
            raise ValidationError(_("Too long: at most %(n)s characters.") % {"n": max_length})
        return value

    return parse


def choice(choices_cls, default=None):
    lookups = {}

    def lookup():
        # value or label, in the active language, to the stored value; built once per language
        language = translation.get_language()
        if language not in lookups:
            table = {}
            for key, label in choices_cls.choices:
                table[str(key).lower()] = key
                table[str(label).lower()] = key
            lookups[language] = table
        return lookups[language]

    def parse(value, ctx):
        value = str(value or "").strip()
        if not value:
            if default is not None:
                return default
            raise ValidationError(_("A value is required."))
        found = lookup().get(value.lower())
        if found is not None:
            return found
        allowed = ", ".join(str(k) for k in choices_cls.values)
        raise ValidationError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}
        )

    return parse


def multi_choice(choices_cls):
    single = choice(choices_cls)

    def parse(value, ctx):
        return sorted({single(v, ctx) for v in split_multi(value)})

    return parse


TRUE_WORDS = {"1", "yes", "y", "true", "x", "sí", "si", "oui", "sim", "да", "نعم"}
FALSE_WORDS = {"", "0", "no", "n", "false", "non", "não", "nao", "нет", "لا"}


def boolean(value, ctx):
    word = str(value if value is not None else "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def date(value, ctx):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None


INT_MAX = 2**31 - 1  # the largest integer every supported database stores in an integer column


def integer(minimum=0, maximum=INT_MAX):
    def parse(value, ctx):
        if value in (None, ""):
            return None
        try:
            number = int(float(str(value).strip().replace(",", "")))
        except (ValueError, OverflowError):
            raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if number < minimum or (maximum is not None and number > maximum):
            raise ValidationError(
                _("%(value)s is out of range (%(min)s–%(max)s).")
                % {"value": number, "min": minimum, "max": maximum or "∞"}
            )
        return number

    return parse


def languages(value, ctx):
    return sorted({ctx.language_id(code) for code in split_multi(value)})


def areas(value, ctx):
    ids = set()
    for code in split_multi(value):
        if code.upper() not in ctx.areas:
            raise ValidationError(_("“%(code)s” is not a known P-code.") % {"code": code})
        ids.add(ctx.areas[code.upper()])
    return sorted(ids)


def area(value, ctx):
    found = areas(value, ctx)
    if len(found) > 1:
        raise ValidationError(_("Only one P-code is allowed here."))
    return found[0] if found else None


def countries(value, ctx):
    ids = set()
    for code in split_multi(value):
        if code.upper() not in ctx.countries:
            raise ValidationError(_("“%(code)s” is not an ISO 3166 country code.") % {"code": code})
        ids.add(ctx.countries[code.upper()])
    return sorted(ids)


FORMULA_PREFIXES = ("=", "@", "+", "-", "\t", "\r")


PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 .]*")


def safe_cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (a plain signed number,
    such as an E.164 phone number, is left as it is)."""
    if value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unsafe_cell(value):
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def render_plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return f"{MULTI_SEPARATOR} ".join(str(v) for v in value)
    return str(value)


# --- reading files ------------------------------------------------------------


def read_table(upload, filename):
    """Return (header, hxl_tags_or_None, [(row_number, [cells])]) from CSV or XLSX bytes.

    Rows are read one at a time and counted as they come, so a file that claims to be
    small but holds too many rows, columns or cells is refused before it fills memory."""
    data = upload if isinstance(upload, bytes) else upload.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise TableError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        stream = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt") or not name:
        stream = _read_csv(data)
    else:
        raise TableError(_("Upload a CSV or XLSX file."))
    rows = list(_within_limits(stream))
    if not rows:
        raise TableError(_("The file is empty."))
    (_first_line, header), body = rows[0], rows[1:]
    header = [str(h or "").strip() for h in header]
    hxl = None
    if body and _is_hxl_row(body[0][1]):
        hxl = [str(c or "").strip() for c in body[0][1]]
        body = body[1:]
    elif _is_hxl_row(header):
        hxl, header = header, [""] * len(header)
    if len(body) > settings.IMPORT_MAX_ROWS:
        raise TableError(_("The file has more than %(n)s rows.") % {"n": settings.IMPORT_MAX_ROWS})
    return header, hxl, body


def read_rows(upload, filename):
    """Every non-empty row of a CSV or XLSX file as [(row number, [cells])], with the same
    size limits as ``read_table`` but no header taken: for published tables whose header sits
    below title rows (UN DESA's migrant stock, for one)."""
    data = upload if isinstance(upload, bytes) else upload.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise TableError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        stream = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        stream = _read_csv(data)
    else:
        raise TableError(_("Upload a CSV or XLSX file."))
    rows = list(_within_limits(stream))
    if not rows:
        raise TableError(_("The file is empty."))
    return rows


def _within_limits(stream):
    """Yield the non-empty rows of ``stream`` ((row number, cells)), refusing the file as soon as
    it passes the row, column or cell limit. Counted from the cells themselves: a sheet's own
    statement of its size is not trusted."""
    max_rows = settings.IMPORT_MAX_ROWS + 2  # the header and an HXL hashtag row come on top
    rows = cells_seen = 0
    for number, cells in stream:
        if len(cells) > settings.IMPORT_MAX_COLUMNS:
            raise TableError(_("The file has more than %(n)s columns.") % {"n": settings.IMPORT_MAX_COLUMNS})
        cells_seen += len(cells)
        if cells_seen > settings.IMPORT_MAX_CELLS:
            raise TableError(_("The file has more than %(n)s cells.") % {"n": settings.IMPORT_MAX_CELLS})
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        rows += 1
        if rows > max_rows:
            raise TableError(_("The file has more than %(n)s rows.") % {"n": settings.IMPORT_MAX_ROWS})
        yield number, cells


def _is_hxl_row(cells):
    values = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    return bool(values) and all(v.startswith("#") for v in values)


def _read_csv(data):
    try:
        text_data = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("The CSV file is not UTF-8 text.")) from None
    first_line = text_data.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # spreadsheets in some locales write ; or tabs
    # The text of the current row, counted line by line before the csv module splits it, so
    # that one long row of delimiters cannot become millions of cells at once.
    read = {"chars": 0}

    def lines():
        for match in LINE.finditer(text_data):
            read["chars"] += match.end() - match.start()
            if read["chars"] > MAX_ROW_CHARS:
                raise TableError(
                    _("A row of the file is longer than %(n)s characters.") % {"n": MAX_ROW_CHARS}
                )
            yield match.group()

    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for row in reader:
            read["chars"] = 0
            yield reader.line_num, row
    except csv.Error as exc:
        raise TableError(_("The CSV file cannot be read: %(reason)s") % {"reason": exc}) from None


def _check_unzipped_size(data):
    """Refuse an XLSX whose parts would unpack to more than the limit (a zip bomb), from the
    sizes in the zip's directory, before anything is unpacked. Python's zip reader stops at
    the stated size, so a part cannot grow past what its entry says."""
    limit = settings.IMPORT_MAX_UNZIPPED_BYTES
    too_big = TableError(_("The XLSX file unpacks to more than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TableError(_("The XLSX file cannot be read.")) from None
    if sum(entry.file_size for entry in entries) > limit:
        raise too_big


def _read_xlsx(data):
    _check_unzipped_size(data)
    try:
        reader = _BoundedReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read()
        book = reader.wb
        sheet = book.worksheets[0]
        source = sheet._get_source()
    except TableError:
        raise
    except Exception:  # openpyxl raises many kinds on a bad file
        raise TableError(_("The XLSX file cannot be read.")) from None
    # The sheet's rows straight from its XML, one at a time, each as long as its last real
    # cell: openpyxl's own row reader pads every row to the width the sheet claims, and
    # builds each row whole before anyone can count its cells.
    parser = WorkSheetParser(
        source,
        sheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    try:
        for number, cells in _sheet_rows(source, parser):
            values = [None] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield number, values
    except TableError:
        raise
    except Exception:  # a broken sheet part: bad XML, a bad cell reference, a failed checksum
        raise TableError(_("The XLSX file cannot be read.")) from None
    finally:
        source.close()
        book.close()


class _BoundedReader(ExcelReader):
    """openpyxl's reader, but the shared strings are counted as they are read (no more than
    there may be cells) and each is dropped from the XML tree once read."""

    def read_strings(self):
        self.shared_strings = []
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _shared_strings(source)


def _shared_strings(source):
    strings, stack, parts = [], [], 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if element.tag == STRING_TAG:
                parts = 0
            continue
        stack.pop()
        if element.tag == STRING_TAG:
            strings.append(Text.from_tree(element).content.replace("x005F_", ""))
            if len(strings) > settings.IMPORT_MAX_CELLS:
                raise TableError(_("The file has more than %(n)s cells.") % {"n": settings.IMPORT_MAX_CELLS})
        elif len(stack) >= 2:
            parts += 1  # a part of a string (or of whatever it sits in): read when that ends
            if parts > MAX_CELL_PARTS:
                raise TableError(_("The XLSX file cannot be read."))
            continue
        if stack:
            stack[-1].remove(element)
    return strings


ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"
MAX_CELL_PARTS = 10_000  # XML elements inside one cell (rich-text runs of an inline string)


def _sheet_rows(source, parser):
    """Yield (row number, [cell dicts]) from a sheet's XML, holding at most one row in memory.

    Every element is dropped from the tree as soon as it is read, and cells are counted as
    they end, so a row of millions of cells is refused at the first one past the limit
    rather than after it has been built."""
    too_wide = TableError(_("The file has more than %(n)s columns.") % {"n": settings.IMPORT_MAX_COLUMNS})
    stack, cells, parts = [], [], 0
    in_cell = False
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if element.tag == ROW_TAG:  # the row's number: its r attribute, else the next one
                number = element.get("r")
                parser.row_counter = int(number) if number else parser.row_counter + 1
                parser.col_counter = 0
                cells = []
            elif element.tag == CELL_TAG:
                in_cell, parts = True, 0
            continue
        stack.pop()
        if element.tag == CELL_TAG:
            in_cell = False
            cell = parser.parse_cell(element)
            if cell["column"] > settings.IMPORT_MAX_COLUMNS or len(cells) >= settings.IMPORT_MAX_COLUMNS:
                raise too_wide
            cells.append(cell)
        elif in_cell:
            parts += 1
            if parts > MAX_CELL_PARTS:
                raise TableError(_("The XLSX file cannot be read."))
            continue  # the cell reads its parts when it ends
        elif element.tag == ROW_TAG:
            yield parser.row_counter, cells
            cells = []
        if stack:
            stack[-1].remove(element)


# --- the schema and the import ------------------------------------------------


class TableSchema:
    """Subclasses describe one registry: its model, columns and natural key."""

    key = ""
    model = None
    columns: list[Column] = []
    natural_key: tuple[str, ...] = ()

    def context(self, organisation=None):
        from lifeline.geo.models import AdminArea, Country

        return Context(
            languages=dict(Language.objects.values_list("code", "id")),
            areas={p.upper(): i for p, i in AdminArea.objects.values_list("pcode", "id")},
            countries={
                **{c.upper(): i for c, i in Country.objects.values_list("code", "id")},
                **{c.upper(): i for c, i in Country.objects.values_list("iso3", "id")},
            },
        )

    def map_columns(self, header, hxl, include_personal=True):
        """Match file columns to schema columns by name, else by HXL tag.

        Personal columns are ignored for a user who may not see personal data, so
        such a user can never overwrite what they cannot read."""
        usable = [c for c in self.columns if include_personal or not is_personal(self, c)]
        by_name = {c.name.lower(): c for c in usable}
        by_tag = {c.hxl.lower(): c for c in usable}
        mapping = {}
        for index, name in enumerate(header):
            column = by_name.get(name.lower())
            if column is None and hxl and index < len(hxl):
                column = by_tag.get(hxl[index].lower().replace(" ", ""))
            if column is not None and column not in mapping.values():
                mapping[index] = column
        missing = [c.name for c in self.columns if c.required and c not in mapping.values()]
        if missing:
            raise TableError(_("Missing required column(s): %(cols)s.") % {"cols": ", ".join(missing)})
        return mapping

    def validate_row(self, values):
        """Cross-field rules; return a list of (column, message)."""
        return []

    def key_of(self, values):
        return tuple(str(values.get(k, "")).strip().lower() for k in self.natural_key)

    def matchable(self, organisation, user=None):
        """The records an import into ``organisation`` may match and change: those the user
        may read (``for_user``), so an import can neither see nor change any other record.
        Without a user (a command run by the operator) every record of the organisation."""
        queryset = self.model.objects.filter(organisation=organisation)
        return queryset if user is None else queryset.for_user(user)

    def existing(self, organisation, user=None):
        qs = self.matchable(organisation, user)
        m2m = [c.target for c in self.columns if c.m2m]
        index = {}
        for obj in qs.prefetch_related(*m2m):
            index[self.key_of({k: getattr(obj, k) for k in self.natural_key})] = obj
        return index

    def current_values(self, obj, columns):
        values = {}
        for column in columns:
            if column.extra:
                values[column.target] = self.read_extra(obj, column.target)
            elif column.m2m:
                values[column.target] = sorted(o.pk for o in getattr(obj, column.target).all())
            else:
                values[column.target] = getattr(obj, column.target)
        return values

    def new_object(self, organisation, values):
        obj = self.model(organisation=organisation)
        special = {c.target for c in self.columns if c.m2m or c.extra}
        for key, value in values.items():
            if key not in special:
                setattr(obj, key, value)
        return obj

    def read_extra(self, obj, name):
        """The current parsed value of an ``extra`` column, comparable with what ``parse`` returns."""
        raise NotImplementedError

    def after_write(self, created, updated, user):
        """Write what plain fields and m2m cannot hold (extra columns, versions).

        ``created`` is a list of (obj, values); ``updated`` of (obj, values, changed names).
        Runs inside the import's transaction.
        """

    def export_queryset(self, qs):
        return qs.prefetch_related(*[c.target for c in self.columns if c.m2m])

    def render_value(self, column, obj):
        if column.extra:
            return safe_cell(column.render(self.read_extra(obj, column.target)))
        value = getattr(obj, column.target)
        if column.m2m:
            value = list(value.all())
        return safe_cell(column.render(value))


def import_table(schema, upload, filename, organisation, user=None, dry_run=False, include_personal=True):
    """Validate the whole file, then write all of it or nothing. Returns a Report."""
    report = Report(dry_run=dry_run)
    try:
        header, hxl, body = read_table(upload, filename)
        mapping = schema.map_columns(header, hxl, include_personal)
    except TableError as exc:
        report.errors.append(RowError(row=1, column="", message=str(exc)))
        return report
    report.rows = len(body)
    ctx = schema.context(organisation)
    ctx.region = ctx.region or default_region(organisation)
    columns = list(mapping.values())
    parsed, seen = [], {}
    for row_number, cells in body:
        values, row_ok = {}, True
        for index, column in mapping.items():
            raw = cells[index] if index < len(cells) else None
            try:
                value = column.parse(unsafe_cell(raw.strip()) if isinstance(raw, str) else raw, ctx)
            except ValidationError as exc:
                report.errors.append(RowError(row_number, column.name, " ".join(exc.messages)))
                row_ok = False
                continue
            if column.required and value in (None, "", []):
                report.errors.append(RowError(row_number, column.name, _("A value is required.")))
                row_ok = False
            values[column.target] = value
        if not row_ok:
            continue
        for column_name, message in schema.validate_row(values):
            report.errors.append(RowError(row_number, column_name, message))
            row_ok = False
        key = schema.key_of(values)
        if key in seen:
            report.errors.append(
                RowError(row_number, "", _("Same record as row %(row)s.") % {"row": seen[key]})
            )
            row_ok = False
        seen[key] = row_number
        if row_ok:
            parsed.append(values)
    if report.errors:
        return report

    existing = schema.existing(organisation, user)
    to_create, to_update = [], []
    for values in parsed:
        obj = existing.get(schema.key_of(values))
        if obj is None:
            to_create.append(values)
            continue
        current = schema.current_values(obj, columns)
        changed = [k for k, v in values.items() if current.get(k) != v]
        if changed:
            to_update.append((obj, values, changed))
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    if dry_run or not (to_create or to_update):
        return report

    with transaction.atomic():
        _write(schema, organisation, user, columns, to_create, to_update)
    return report


def _insert_new(schema, organisation, to_create):
    """Insert new records with one prepared statement, then read their ids back by natural key."""
    model = schema.model
    now = timezone.now()
    objs = []
    for values in to_create:
        obj = schema.new_object(organisation, values)
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                setattr(obj, model_field.attname, now)
        objs.append((obj, values))
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    insert_rows(model, [{name: getattr(obj, name) for name in names} for obj, _values in objs])
    # In id order, so that where a record the importing user cannot see has the same key,
    # the new record (inserted last, with the higher id) is the one found.
    ids = {
        schema.key_of(dict(zip(schema.natural_key, rest))): pk
        for pk, *rest in model.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", *schema.natural_key)
        .iterator(chunk_size=5000)
    }
    for obj, values in objs:
        obj.pk = ids[schema.key_of(values)]
        obj._state.adding = False
    return objs


def _write(schema, organisation, user, columns, to_create, to_update):
    model = schema.model
    m2m_columns = [c for c in columns if c.m2m]
    plain = [c.target for c in columns if not c.m2m and not c.extra]
    entries = []
    created_entry = audit.EntryTemplate(
        AuditAction.CREATE, model, fields=[c.target for c in columns], user=user
    )

    created_objs = _insert_new(schema, organisation, to_create)
    for obj, _values in created_objs:
        entries.append(created_entry.for_object(obj))

    changed_plain = sorted({k for _o, _v, changed in to_update for k in changed if k in plain})
    now = timezone.now()
    for obj, values, changed in to_update:
        obj.updated = now
        for key in changed:
            if key in plain:
                setattr(obj, key, values[key])
        entries.append(audit.entry_values(AuditAction.UPDATE, obj=obj, fields=changed, user=user))
    if changed_plain:
        objs = [obj for obj, _v, _c in to_update]
        for start in range(0, len(objs), BATCH):
            model.objects.bulk_update(objs[start : start + BATCH], changed_plain + ["updated"])

    for column in m2m_columns:
        through = getattr(model, column.target).through
        source = f"{model._meta.model_name}_id"
        target_field = [
            f for f in through._meta.concrete_fields if f.name not in ("id", model._meta.model_name)
        ][0]
        target = target_field.attname
        rows = []
        refresh = [obj.pk for obj, values, changed in to_update if column.target in changed]
        if refresh:
            for start in range(0, len(refresh), BATCH):
                through.objects.filter(**{f"{source}__in": refresh[start : start + BATCH]}).delete()
        for obj, values in created_objs:
            rows.extend({source: obj.pk, target: t} for t in values.get(column.target) or [])
        for obj, values, changed in to_update:
            if column.target in changed:
                rows.extend({source: obj.pk, target: t} for t in values.get(column.target) or [])
        insert_rows(through, rows)

    schema.after_write(created_objs, to_update, user)
    entries.append(
        audit.entry_values(
            AuditAction.IMPORT,
            object_type=f"{model._meta.app_label}.{model._meta.model_name}",
            object_repr=gettext_lazy("%(c)s created, %(u)s updated")
            % {"c": len(created_objs), "u": len(to_update)},
            user=user,
        )
    )
    audit.save_entries(entries)


# --- export -------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def is_personal(schema, column):
    """Whether a column is personal: its model's disclosure policy decides (core/disclosure.py)."""
    from lifeline.core.disclosure import policies

    policy = policies().get(f"{schema.model._meta.app_label}.{schema.model._meta.model_name}")
    return column.personal or (policy is not None and policy.is_personal(column.target))


def personal_columns(schema):
    return [c.name for c in schema.columns if is_personal(schema, c)]


def export_table(schema, queryset, fmt="csv", hxl=False, include_personal=False):
    """Return the file's bytes. Personal columns are left out unless allowed."""
    columns = [c for c in schema.columns if include_personal or not is_personal(schema, c)]
    header = [c.name for c in columns]
    tags = [c.hxl for c in columns]
    rows = (
        [schema.render_value(c, obj) for c in columns]
        for obj in schema.export_queryset(queryset).iterator(chunk_size=2000)
    )
    if fmt not in CONTENT_TYPES:
        raise TableError(_("Unknown format: %(fmt)s.") % {"fmt": fmt})
    head = [header, tags] if hxl else [header]
    return write_table(
        itertools.chain(head, rows),
        fmt,
        sheet=schema.key,
        title=str(schema.model._meta.verbose_name_plural),
    )


def _safe_row(cells):
    return [safe_cell(c) if isinstance(c, str) else c for c in cells]


def write_table(rows, fmt="csv", *, sheet="", title="", preamble=(), bold_header=False):
    """Every CSV and XLSX the platform hands out, as bytes: ``rows`` is the header, then the data.

    Text cells are formula-safe in both formats (``safe_cell``). CSV is UTF-8 with a byte
    order mark, so spreadsheet programs read Arabic, Cyrillic and accents right. XLSX carries
    the deployment's branding in its properties; ``preamble`` rows (a title, a subtitle) go
    above the header in XLSX only, and ``bold_header`` bolds the header and keeps it in view.
    """
    if fmt == "xlsx":
        return write_workbook(
            {sheet or "Sheet1": rows}, title=title, preamble=preamble, bold_header=bold_header
        )
    if fmt != "csv":
        raise TableError(_("Unknown format: %(fmt)s.") % {"fmt": fmt})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(_safe_row(row))
    return out.getvalue().encode("utf-8-sig")


def write_workbook(sheets, title="", preamble=(), bold_header=False):
    """An XLSX of several sheets ({name: rows}), cells formula-safe, branding in the properties."""
    book = openpyxl.Workbook(write_only=True)
    branding = Branding.current()
    book.properties.creator = branding.product_name
    book.properties.title = f"{branding.product_name}: {title}" if title else branding.product_name
    book.properties.description = branding.owner_name or branding.product_name
    for name, rows in sheets.items():
        worksheet = book.create_sheet(str(name)[:31])
        preamble_rows = [_safe_row(row) for row in preamble]
        if bold_header:
            worksheet.freeze_panes = f"A{len(preamble_rows) + 2}"
        for row in preamble_rows:
            worksheet.append(row)
        for number, row in enumerate(rows):
            row = _safe_row(row)
            if bold_header and number == 0:
                row = [_bold(worksheet, value) for value in row]
            worksheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bold(worksheet, value):
    cell = WriteOnlyCell(worksheet, value=value)
    cell.font = Font(bold=True)
    return cell


def table_response(data, fmt, name, content_type=None):
    """A download of ``data`` (from ``write_table``) as ``<name>-<date>-<time>.<fmt>``."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type=content_type or CONTENT_TYPES[fmt])
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(name)).strip("-")[:60] or "export"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
