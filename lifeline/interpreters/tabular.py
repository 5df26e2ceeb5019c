"""Interpreters as a table: the columns of the CSV/XLSX import and export.

Two columns are not model fields (``extra``): ``pairs`` and ``availability``.

``pairs`` lists language pairs separated by ``;``. Each pair is::

    SOURCE > TARGET [:LEVEL] [/DIALECT] [@SCRIPT] [*CERTIFICATION]

- ``>`` means from SOURCE into TARGET only, ``<>`` both directions;
- SOURCE and TARGET are ISO 639 codes (``tl`` is stored as ``fil``);
- LEVEL is the proficiency: 1 basic, 2 working, 3 professional (the default),
  4 native or bilingual;
- DIALECT is free text, SCRIPT an ISO 15924 code (``Arab``, ``Latn``);
- ``*`` marks a certified pair, optionally followed by the certification.

Examples: ``fil>es:4``, ``ar<>en:3/Levantine@Arab*ATA 2021``.

``availability`` lists weekly windows separated by ``;``, each a day (``mon`` …
``sun``) and a time range: ``mon 09:00-17:00; sat 10:00-14:00``. The end must be
after the start (a window cannot cross midnight: write two).

Importing writes pairs and windows in bulk, replacing those of every created or
changed interpreter; a file imported twice changes nothing the second time.
"""

import datetime
import re
from typing import NamedTuple

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lifeline.core.bulk import insert_rows
from lifeline.core.models import Language
from lifeline.core.names import normalise_language
from lifeline.core.tabular import (
    BATCH,
    MULTI_SEPARATOR,
    Column,
    TableSchema,
    area,
    boolean,
    choice,
    date,
    integer,
    multi_choice,
    render_plain,
    split_multi,
    text,
)
from lifeline.directory.models import ChannelType
from lifeline.directory.tabular import normalise_channel, parse_channels, render_channels
from lifeline.interpreters.models import (
    NO_CONSENT,
    SAME_LANGUAGE,
    WINDOW_ORDER,
    AvailabilityWindow,
    Engagement,
    Interpreter,
    LanguagePair,
    Modality,
    Proficiency,
    Specialisation,
    Vetting,
)
from lifeline.interpreters.services import check_pairs

MESSAGING_TYPES = (ChannelType.WHATSAPP, ChannelType.TELEGRAM, ChannelType.SIGNAL, ChannelType.VIBER)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# --- personal fields ------------------------------------------------------------


def normalise_phone(value, region=None):
    """A phone number, international or local to ``region`` → E.164; empty stays empty."""
    value = str(value or "").strip()
    return normalise_channel(ChannelType.PHONE, value, region) if value else ""


def parse_phone(value, ctx):
    return normalise_phone(value, getattr(ctx, "region", None))


def parse_email(value, ctx):
    value = str(value or "").strip()
    return normalise_channel(ChannelType.EMAIL, value) if value else ""


def check_messaging(channels):
    """Messaging handles are messaging apps only (phone and email have their own fields)."""
    for channel in channels:
        if channel["type"] not in MESSAGING_TYPES:
            raise ValidationError(
                _("“%(kind)s” is not a messaging app: use one of %(allowed)s.")
                % {"kind": channel["type"], "allowed": ", ".join(MESSAGING_TYPES)}
            )
    return channels


def parse_messaging(value, ctx):
    """``whatsapp:+962790123456; telegram:@name`` → list of {type, value}."""
    return check_messaging(parse_channels(value))


# --- language pairs -------------------------------------------------------------


class PairSpec(NamedTuple):
    source: str
    target: str
    both_directions: bool
    proficiency: int
    dialect: str
    script: str
    certified: bool
    certification: str


PAIR = re.compile(
    r"^(?P<source>[A-Za-z0-9-]+)\s*(?P<arrow><>|>)\s*(?P<target>[A-Za-z0-9-]+)\s*"
    r"(?::\s*(?P<level>\d+))?\s*(?:/(?P<dialect>[^/@*]*))?(?:@(?P<script>[^*]*))?(?:\*(?P<certification>.*))?$"
)


def normalise_script(value):
    """An ISO 15924 script code in its usual case (``arab`` → ``Arab``); empty stays empty."""
    value = str(value or "").strip()
    if not value:
        return ""
    record = pycountry.scripts.get(alpha_4=value) if len(value) == 4 else None
    if record is None:
        raise ValidationError(_("“%(code)s” is not an ISO 15924 script code.") % {"code": value})
    return record.alpha_4


def _bounded(value, max_length):
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(_("Too long: at most %(n)s characters.") % {"n": max_length})
    return value


def _language_code(code):
    tag = normalise_language(code)
    if tag is None:
        raise ValidationError(_("“%(code)s” is not an ISO 639 language code.") % {"code": code})
    return tag


def parse_pair(item):
    match = PAIR.match(item.strip())
    if match is None:
        raise ValidationError(
            _("“%(item)s” is not a language pair: write it like fil>es:4 or ar<>en:3/Levantine.")
            % {"item": item}
        )
    source, target = _language_code(match["source"]), _language_code(match["target"])
    if source == target:
        raise ValidationError(SAME_LANGUAGE)
    level = int(match["level"] or Proficiency.PROFESSIONAL)
    if level not in Proficiency.values:
        raise ValidationError(_("Proficiency must be 1 to 4, not %(level)s.") % {"level": level})
    return PairSpec(
        source=source,
        target=target,
        both_directions=match["arrow"] == "<>",
        proficiency=level,
        dialect=_bounded(match["dialect"], 80),
        script=normalise_script(match["script"]),
        certified=match["certification"] is not None,
        certification=_bounded(match["certification"], 200),
    )


def parse_pairs(value, ctx=None):
    pairs = sorted(parse_pair(item) for item in split_multi(value))
    check_pairs([(p.source, p.target, p.both_directions) for p in pairs])
    return pairs


def render_pair(pair):
    out = f"{pair.source}{'<>' if pair.both_directions else '>'}{pair.target}:{pair.proficiency}"
    if pair.dialect:
        out += f"/{pair.dialect}"
    if pair.script:
        out += f"@{pair.script}"
    if pair.certified:
        out += f"*{pair.certification}"
    return out


def render_pairs(pairs):
    return f"{MULTI_SEPARATOR} ".join(render_pair(p) for p in pairs)


def pair_spec(pair):
    return PairSpec(
        pair.source.code,
        pair.target.code,
        pair.both_directions,
        pair.proficiency,
        pair.dialect,
        pair.script,
        pair.certified,
        pair.certification,
    )


# --- availability ---------------------------------------------------------------


class WindowSpec(NamedTuple):
    weekday: int
    start: datetime.time
    end: datetime.time


WINDOW = re.compile(
    r"^(?P<day>[A-Za-z]+)\s+(?P<start>\d{1,2}:\d{2}(?::\d{2})?)\s*-\s*(?P<end>\d{1,2}:\d{2}(?::\d{2})?)$"
)


def _time(value):
    try:
        return datetime.time(*(int(part) for part in value.split(":")))
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a time (HH:MM).") % {"value": value}) from None


def parse_window(item):
    match = WINDOW.match(item.strip())
    if match is None:
        raise ValidationError(
            _("“%(item)s” is not a window: write it like mon 09:00-17:00.") % {"item": item}
        )
    day = match["day"].lower()
    if day not in DAYS and day not in FULL_DAYS:
        raise ValidationError(
            _("“%(day)s” is not a day: use mon, tue, wed, thu, fri, sat or sun.") % {"day": match["day"]}
        )
    start, end = _time(match["start"]), _time(match["end"])
    if end <= start:
        raise ValidationError(WINDOW_ORDER)
    return WindowSpec((DAYS if day in DAYS else FULL_DAYS).index(day), start, end)


def parse_availability(value, ctx=None):
    return sorted(parse_window(item) for item in split_multi(value))


def _clock(value):
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def render_availability(windows):
    return f"{MULTI_SEPARATOR} ".join(f"{DAYS[w.weekday]} {_clock(w.start)}-{_clock(w.end)}" for w in windows)


# --- the schema -----------------------------------------------------------------


def render_area(value):
    return value.pcode if value is not None else ""


def yes_unless_no(value, ctx):
    """A yes/no cell where an empty cell means yes."""
    return True if str(value if value is not None else "").strip() == "" else boolean(value, ctx)


def kilometres(value, ctx):
    return integer(0, 20000)(value, ctx) or 0


class InterpreterSchema(TableSchema):
    key = "interpreters"
    model = Interpreter
    natural_key = ("full_name", "city")
    columns = [
        Column("full_name", "#contact+name", text(200), render_plain, required=True),
        Column("phone", "#contact+phone", parse_phone, render_plain),
        Column("email", "#contact+email", parse_email, render_plain),
        Column("messaging", "#contact+messaging", parse_messaging, render_channels),
        Column("pairs", "#language+pairs", parse_pairs, render_pairs, extra=True),
        Column("modalities", "#service+modality", multi_choice(Modality), render_plain),
        Column("specialisations", "#service+specialisation", multi_choice(Specialisation), render_plain),
        Column("home_area", "#adm1+code", area, render_area, attr="home_area_id"),
        Column("city", "#loc+name", text(120), render_plain),
        Column("travel_range_km", "#indicator+travel_km", kilometres, render_plain),
        Column("always_available", "#indicator+h24", boolean, render_plain),
        Column("availability", "#meta+availability", parse_availability, render_availability, extra=True),
        Column(
            "engagement", "#status+engagement", choice(Engagement, default=Engagement.VOLUNTEER), render_plain
        ),
        Column("vetting", "#status+vetting", choice(Vetting, default=Vetting.NOT_VETTED), render_plain),
        Column("vetted_on", "#date+vetted", date, render_plain),
        Column("code_of_conduct_signed", "#date+conduct", date, render_plain),
        Column("consent_stored", "#indicator+consent_stored", boolean, render_plain, required=True),
        Column("consent_contact", "#indicator+consent_contact", boolean, render_plain),
        Column("consent_date", "#date+consent", date, render_plain),
        Column("last_verified", "#date+verified", date, render_plain),
        Column("active", "#status+active", yes_unless_no, render_plain),
        Column("notes", "#description", text(5000), render_plain),
    ]

    def validate_row(self, values):
        problems = []
        if values.get("consent_stored") is not True:
            problems.append(("consent_stored", str(NO_CONSENT)))
        return problems

    def render_value(self, column, obj):
        if column.name == "home_area":
            return render_area(obj.home_area)
        return super().render_value(column, obj)

    def existing(self, organisation, user=None):
        queryset = self.matchable(organisation, user).prefetch_related(
            "pairs__source", "pairs__target", "availability"
        )
        return {self.key_of({k: getattr(obj, k) for k in self.natural_key}): obj for obj in queryset}

    def export_queryset(self, qs):
        return qs.select_related("home_area").prefetch_related(
            "pairs__source", "pairs__target", "availability"
        )

    def read_extra(self, obj, name):
        if name == "pairs":
            return sorted(pair_spec(p) for p in obj.pairs.all())
        return sorted(WindowSpec(w.weekday, w.start, w.end) for w in obj.availability.all())

    def after_write(self, created, updated, user):
        pairs = self._replaced(created, updated, "pairs")
        windows = self._replaced(created, updated, "availability")
        for model, ids in ((LanguagePair, list(pairs)), (AvailabilityWindow, list(windows))):
            for start in range(0, len(ids), BATCH):
                model.objects.filter(interpreter_id__in=ids[start : start + BATCH]).delete()
        codes = {code for specs in pairs.values() for p in specs for code in (p.source, p.target)}
        language_ids = {code: Language.lookup(code).pk for code in codes}
        insert_rows(
            LanguagePair,
            [
                {
                    "interpreter_id": pk,
                    "source_id": language_ids[p.source],
                    "target_id": language_ids[p.target],
                    "both_directions": p.both_directions,
                    "proficiency": p.proficiency,
                    "dialect": p.dialect,
                    "script": p.script,
                    "certified": p.certified,
                    "certification": p.certification,
                }
                for pk, specs in pairs.items()
                for p in specs
            ],
        )
        insert_rows(
            AvailabilityWindow,
            [
                {"interpreter_id": pk, "weekday": w.weekday, "start": w.start, "end": w.end}
                for pk, specs in windows.items()
                for w in specs
            ],
        )

    @staticmethod
    def _replaced(created, updated, name):
        """{interpreter id: parsed value} for interpreters whose ``name`` column is new or changed."""
        out = {obj.pk: values[name] for obj, values in created if name in values}
        out.update({obj.pk: values[name] for obj, values, changed in updated if name in changed})
        return out
