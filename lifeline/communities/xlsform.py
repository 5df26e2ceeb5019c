"""The community profiling questionnaire as an XLSForm (KoboToolbox, ODK, Ona).

Its questions are the columns of ``CommunitySchema``, with the same names, so
that collected answers import back into profiles (see ``kobo``). Types, choice
lists and constraints come from the model, and every text from the project's
translation catalogs, one label column per interface language.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lifeline.communities.models import PERCENT_FIELDS, PERCENT_RANGE, CommunityProfile
from lifeline.communities.services import CHOICES
from lifeline.communities.tabular import CommunitySchema
from lifeline.core.names import country_codes, country_name
from lifeline.core.tabular import write_workbook
from lifeline.geo.models import AdminArea

FORM_ID = "community_profile"

SECTIONS = [
    (
        "who",
        _("Who they are"),
        ["name", "origin_countries", "ethnicity", "languages", "literacy_rate", "literacy_notes"],
    ),
    (
        "size",
        _("How many they are"),
        ["estimated_size", "size_source", "size_date", "female_pct", "children_pct", "elderly_pct"],
    ),
    ("place", _("Places, work and housing"), ["areas", "locations_note", "sectors", "housing"]),
    ("vulnerability", _("Vulnerability"), ["vulnerabilities", "vulnerability_notes", "fear_of_enforcement"]),
    (
        "reach",
        _("Networks and communication"),
        [
            "networks",
            "focal_points",
            "reached_by",
            "trusted_channels",
            "media",
            "phone_use_pct",
            "smartphone_pct",
            "apps",
        ],
    ),
    (
        "needs",
        _("Needs and experience"),
        [
            "religious_needs",
            "dietary_needs",
            "cultural_needs",
            "past_emergency_experience",
            "consular_presence",
        ],
    ),
]

CONTACT_NAMES_HINT = _(
    "Names of key contacts exactly as in the key contacts registry, separated by semicolons."
)
HINTS = {
    "languages": _("ISO 639 codes separated by spaces, for example: tl ne si."),
    "estimated_size": _("Best estimate of the number of people."),
    "vulnerability_notes": _("About the group as a whole; never about one person."),
    "focal_points": CONTACT_NAMES_HINT,
    "reached_by": CONTACT_NAMES_HINT,
    **{name: _("A whole number from 0 to 100.") for name in PERCENT_FIELDS},
}
INTRO = _(
    "Answer about the community as a whole, from what key informants say. "
    "Never record anything about one person, and never anyone's immigration status."
)
PERCENT_MESSAGE = _("Enter a percentage from 0 to 100.")
# Text questions whose answer is a list of codes: written space-separated like a select_multiple.
CODE_LISTS = ("languages",)


def languages():
    """(code, XLSForm language name) for each interface language, e.g. ("en", "English (en)")."""
    return [(code, f"{name} ({code})") for code, name in settings.STAFF_LANGUAGES]


def in_each_language(text):
    """The text (a lazy string or a callable) in each interface language, from the project catalogs."""
    values = []
    for code, _name in languages():
        with translation.override(code):
            values.append(str(text() if callable(text) else text) if text else "")
    return values


def question(name, has_areas):
    """(type, choice list or None, constraint) for a schema column, from its model field."""
    field = CommunityProfile._meta.get_field(name)
    if name in CHOICES:
        kind = "select_multiple" if isinstance(field, models.JSONField) else "select_one"
        return f"{kind} {name}", name, ""
    if name == "origin_countries":
        return "select_multiple country", "country", ""
    if name == "areas" and has_areas:
        return "select_multiple area", "area", ""
    if isinstance(field, (models.PositiveIntegerField, models.PositiveSmallIntegerField)):
        return "integer", None, ". >= %s and . <= %s" % PERCENT_RANGE if name in PERCENT_FIELDS else ". >= 0"
    if isinstance(field, models.DateField):
        return "date", None, ""
    return "text", None, ""


def space_separated_columns():
    """Columns whose collected answers are lists separated by spaces."""
    return {name for name in column_names() if question(name, True)[0].startswith("select_multiple")} | set(
        CODE_LISTS
    )


def column_names():
    return [name for _key, _label, names in SECTIONS for name in names]


def choice_rows(has_areas):
    rows = []
    for name, choices_cls in CHOICES.items():
        rows += [[name, key, *in_each_language(label)] for key, label in choices_cls.choices]
    for code in country_codes():
        rows.append(["country", code, *in_each_language(lambda code=code: country_name(code))])
    if has_areas:
        rows += [
            ["area", pcode, *[label] * len(languages())]
            for pcode, label in AdminArea.objects.order_by("name").values_list("pcode", "name")
        ]
    return rows


def build_xlsform():
    """The XLSForm's bytes."""
    names = [name for _code, name in languages()]
    tags = {c.name: c.hxl for c in CommunitySchema.columns}
    has_areas = AdminArea.objects.exists()
    header = [
        "type",
        "name",
        *[f"label::{n}" for n in names],
        *[f"hint::{n}" for n in names],
        "required",
        "constraint",
        *[f"constraint_message::{n}" for n in names],
        "appearance",
        "hxl",
    ]
    blank = [""] * len(names)

    def row(kind, name, label=None, hint=None, required="", constraint="", appearance="", hxl=""):
        message = in_each_language(PERCENT_MESSAGE) if name in PERCENT_FIELDS else blank
        labels = in_each_language(label) if label else blank
        hints = in_each_language(hint) if hint else blank
        return [kind, name, *labels, *hints, required, constraint, *message, appearance, hxl]

    survey = [header, row("start", "start"), row("end", "end"), row("note", "intro", INTRO)]
    for key, title, columns in SECTIONS:
        survey.append(row("begin_group", key, title))
        for name in columns:
            field = CommunityProfile._meta.get_field(name)
            kind, _list, constraint = question(name, has_areas)
            survey.append(
                row(
                    kind,
                    name,
                    lambda field=field: capfirst(str(field.verbose_name)),
                    HINTS.get(name) or field.help_text,
                    required="yes" if name == "name" else "",
                    constraint=constraint,
                    appearance="multiline" if isinstance(field, models.TextField) else "",
                    hxl=tags[name],
                )
            )
        survey.append(row("end_group", ""))

    default = dict(languages())[settings.LANGUAGE_CODE]
    with translation.override(settings.LANGUAGE_CODE):
        title = str(_("Community profile"))
    sheets = {
        "survey": survey,
        "choices": [["list_name", "name", *[f"label::{n}" for n in names]], *choice_rows(has_areas)],
        "settings": [
            ["form_title", "form_id", "version", "default_language"],
            [title, FORM_ID, timezone.now().strftime("%Y%m%d%H%M"), default],
        ],
    }
    return write_workbook(sheets, title=title)
