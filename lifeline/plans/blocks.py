"""Live blocks: tables a plan document's sections take from the registries at the time they are shown.

A section's Markdown names a block on a line of its own, ``{{block:contacts}}``; the text around it
stays the author's. Each block is one function ``(user, document, language) -> [document blocks]``
(``plans/document.py``: ``Table`` and ``Note``), registered once in ``BLOCKS``. They read through the
user's scoped querysets, and through the disclosure policy of what they show: people's contact
channels appear only in the restricted annex (``contact-phones``), for roles that may see them, and
each time that annex is read the listing is audited. Nationals are counted, never listed.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core import disclosure
from lifeline.core.models import Action, Area, Organisation, OrganisationKind
from lifeline.core.names import country_name, language_name
from lifeline.core.permissions import has_perm, people_q
from lifeline.plans.document import Note, Table

MARKER = re.compile(r"^[ \t]*\{\{\s*block:([a-z0-9-]+)\s*\}\}[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    key: str
    label: object
    build: object
    # A restricted block shows personal data: its frozen rows are printed only for users the policy
    # of ``policy`` (a model label) lets see them.
    policy: str = ""


BLOCKS = {}


def register(key, label, policy=""):
    def wrap(function):
        BLOCKS[key] = Block(key, label, function, policy)
        return function

    return wrap


def marker(key):
    return "{{block:%s}}" % key


def _lines(text):
    """Browsers send a textarea's lines ended by CRLF: one line ending, so that a marker is a line."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def keys_in(text):
    """The block keys named in a section's Markdown, in order."""
    return MARKER.findall(_lines(text))


def unknown_keys(text):
    return [key for key in keys_in(text) if key not in BLOCKS]


def split(text):
    """The Markdown cut at its markers: [("text", markdown) | ("block", key)]."""
    text = _lines(text)
    parts, start = [], 0
    for match in MARKER.finditer(text):
        if match.start() > start:
            parts.append(("text", text[start : match.start()]))
        parts.append(("block", match.group(1)))
        start = match.end()
    if start < len(text):
        parts.append(("text", text[start:]))
    return [(kind, value) for kind, value in parts if kind == "block" or value.strip()]


def render(key, user, document, language):
    """The document blocks of one live block, read now, in ``language``."""
    block = BLOCKS.get(key)
    with translation.override(language):
        if block is None:
            return [Note(_("Unknown block “%(key)s”.") % {"key": key})]
        return block.build(user, document, language)


def withheld():
    return Note(_("Withheld: your role may not see people's contact details."))


def may_see(user, key):
    block = BLOCKS.get(key)
    return block is not None and (not block.policy or disclosure.to(user, block.policy).allowed)


# Serialised blocks, for frozen copies ---------------------------------------------------------------


def dump(blocks):
    out = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(
                {
                    "type": "table",
                    "columns": [str(c) for c in block.columns],
                    "rows": [["" if v is None else str(v) for v in row] for row in block.rows],
                    "caption": str(block.caption),
                    "empty": str(block.empty),
                }
            )
        else:
            out.append({"type": "note", "text": str(block.text)})
    return out


def load(data):
    blocks = []
    for item in data:
        if item.get("type") == "table":
            blocks.append(
                Table(item["columns"], item["rows"], item.get("caption", ""), item.get("empty", ""))
            )
        else:
            blocks.append(Note(item.get("text", "")))
    return blocks


# Where a document looks ---------------------------------------------------------------------------


def _area_ids(document):
    """The document's area and every area inside it; None for the whole country."""
    if document.area_id is None:
        return None
    from lifeline.geo.models import AdminArea

    ids, frontier = {document.area_id}, {document.area_id}
    while frontier:
        frontier = set(AdminArea.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


def country_of(document):
    if document.country_id:
        return document.country
    if document.area_id:
        return document.area.country
    return document.organisation.country


def _yes(value):
    return _("Yes") if value else _("No")


def _join(values):
    return ", ".join(str(v) for v in values if v) or "—"


def _areas(objs):
    return _join(sorted(a.shown_name for a in objs))


def _languages(objs, language):
    return _join(sorted(language_name(lang.code, language) for lang in objs))


# The blocks ---------------------------------------------------------------------------------------


def _contacts(user, document):
    from lifeline.directory.models import KeyContact

    contacts = KeyContact.objects.for_user(user).prefetch_related("coverage_areas")
    ids = _area_ids(document)
    if ids is not None:
        contacts = contacts.filter(Q(coverage_areas__in=ids) | Q(coverage_areas__isnull=True)).distinct()
    return list(contacts.order_by("category", "name"))


@register("contacts", gettext_lazy("Key contacts by role and area"))
def contacts_block(user, document, language):
    rows = [
        [
            c.name,
            c.role_title or "—",
            c.get_category_display(),
            c.affiliation or "—",
            _areas(c.coverage_areas.all()),
            _yes(c.available_24_7),
        ]
        for c in _contacts(user, document)
    ]
    columns = [
        _("Name"),
        _("Role or title"),
        _("Category"),
        _("Affiliation"),
        _("Areas covered"),
        _("Reachable 24/7"),
    ]
    return [
        Table(columns, rows, _("Key contacts"), _("No key contacts recorded for this area.")),
        Note(_("How to reach each contact: the restricted annex, for the roles that may see it.")),
    ]


@register(
    "contact-phones", gettext_lazy("Restricted annex: how to reach the key contacts"), "directory.keycontact"
)
def contact_phones_block(user, document, language):
    from lifeline.directory.models import ChannelType, KeyContact

    see = disclosure.to(user, KeyContact)
    if not see.allowed:
        return [withheld()]
    contacts = _contacts(user, document)
    labels = dict(ChannelType.choices)
    rows = []
    for c in contacts:
        channels = [
            f"{labels.get(ch.get('type'), ch.get('type', ''))}: {ch.get('value', '')}"
            for ch in c.channels or []
        ]
        rows.append([c.name, c.get_kind_display(), "; ".join(channels) or "—"])
    see.audit_listing(
        contacts, reason=_("Plan document: %(title)s") % {"title": document.title}, fields=["channels"]
    )
    return [
        Note(_("Restricted: personal contact details. Do not pass this annex on.")),
        Table(
            [_("Name"), _("Kind"), _("How to reach")],
            rows,
            _("Restricted annex"),
            _("No key contacts recorded for this area."),
        ),
    ]


@register("interpreters", gettext_lazy("Interpreters by language"))
def interpreters_block(user, document, language):
    from lifeline.interpreters.models import Interpreter

    interpreters = Interpreter.objects.readable_by(user).filter(active=True).select_related("home_area")
    ids = _area_ids(document)
    if ids is not None:
        interpreters = interpreters.filter(Q(home_area_id__in=ids) | Q(home_area__isnull=True))
    rows = []
    for person in interpreters.prefetch_related("pairs__source", "pairs__target"):
        for pair in person.pairs.all():
            arrow = "↔" if pair.both_directions else "→"
            rows.append(
                [
                    f"{language_name(pair.source.code, language)} {arrow} {language_name(pair.target.code, language)}",
                    person.full_name,
                    person.home_area.shown_name if person.home_area_id else (person.city or "—"),
                    _yes(person.always_available),
                ]
            )
    rows.sort(key=lambda row: (row[0], row[1]))
    columns = [_("Languages"), _("Interpreter"), _("Area"), _("On call 24/7")]
    return [Table(columns, rows, _("Interpreters by language"), _("No interpreters recorded for this area."))]


@register("communities", gettext_lazy("Community profiles of the area"))
def communities_block(user, document, language):
    from lifeline.communities.models import CommunityProfile

    profiles = CommunityProfile.objects.readable_by(user).prefetch_related(
        "origin_countries", "languages", "areas"
    )
    ids = _area_ids(document)
    if ids is not None:
        profiles = profiles.filter(areas__in=ids).distinct()
    rows = [
        [
            p.name,
            _join(sorted(country_name(c.code, language) for c in p.origin_countries.all())),
            _languages(p.languages.all(), language),
            "—" if p.estimated_size is None else f"{p.estimated_size:,}".replace(",", " "),
            _areas(p.areas.all()),
        ]
        for p in profiles.order_by("name")
    ]
    columns = [_("Community"), _("Origin"), _("Languages spoken"), _("Estimated size"), _("Areas")]
    return [Table(columns, rows, _("Communities of the area"), _("No community profiles for this area."))]


@register("posts", gettext_lazy("Consular posts covering the country"))
def posts_block(user, document, language):
    country = country_of(document)
    posts = (
        Organisation.objects.filter(kind=OrganisationKind.CONSULAR_POST)
        .filter(Q(country=country) | Q(jurisdiction_countries=country))
        .select_related("parent", "country")
        .prefetch_related("jurisdiction_countries")
        .distinct()
        .order_by("name")
    )
    rows = [
        [
            post.name,
            post.parent.name if post.parent_id else "—",
            country_name(post.country.code, language),
            _join(sorted(country_name(c.code, language) for c in post.jurisdiction_countries.all())),
        ]
        for post in posts
    ]
    columns = [_("Post"), _("Ministry"), _("Located in"), _("Countries covered")]
    return [Table(columns, rows, _("Consular posts"), _("No consular post covers this country."))]


@register("nationals", gettext_lazy("Nationals by area, stay type and language (counts)"))
def nationals_block(user, document, language):
    from lifeline.nationals.models import Registration, StayType

    if not has_perm(user, Area.NATIONALS, Action.VIEW):
        return [Note(_("Your role does not see figures on nationals."))]
    registrations = Registration.objects.for_user(user).active().filter(people_q(user))
    registrations = registrations.filter(country=country_of(document))
    ids = _area_ids(document)
    if ids is not None:
        registrations = registrations.filter(area_id__in=ids)
    not_recorded = _("Not recorded")
    by_area = registrations.values("area").annotate(n=Count("pk")).order_by("-n")
    from lifeline.geo.models import AdminArea

    names = {
        a.pk: a.shown_name for a in AdminArea.objects.filter(pk__in=[r["area"] for r in by_area if r["area"]])
    }
    stays = dict(StayType.choices)
    by_stay = registrations.values("stay_type").annotate(n=Count("pk")).order_by("-n")
    by_language = registrations.values("primary_language").annotate(n=Count("pk")).order_by("-n")
    empty = _("No nationals registered.")
    return [
        Table(
            [_("Area"), _("Registrations")],
            [[names.get(r["area"], not_recorded), r["n"]] for r in by_area],
            _("Nationals by area"),
            empty,
        ),
        Table(
            [_("Stay type"), _("Registrations")],
            [[stays.get(r["stay_type"]) or not_recorded, r["n"]] for r in by_stay],
            _("Nationals by stay type"),
            empty,
        ),
        Table(
            [_("Language"), _("Registrations")],
            [
                [
                    language_name(r["primary_language"], language) if r["primary_language"] else not_recorded,
                    r["n"],
                ]
                for r in by_language
            ],
            _("Nationals by language"),
            empty,
        ),
    ]


@register("evacuation", gettext_lazy("Assembly points and transports"))
def evacuation_block(user, document, language):
    from lifeline.evacuation.models import AssemblyPoint, Transport

    points = (
        AssemblyPoint.objects.for_user(user).filter(crisis__country=country_of(document)).order_by("name")
    )
    transports = (
        Transport.objects.for_user(user)
        .filter(crisis__country=country_of(document))
        .select_related("assembly_point")
        .order_by("departs", "name")
    )
    return [
        Table(
            [_("Assembly point"), _("Address"), _("Capacity (people)")],
            [[p.name, p.address or "—", p.capacity] for p in points],
            _("Assembly points"),
            _("No assembly points recorded."),
        ),
        Table(
            [_("Transport"), _("Kind"), _("Seats"), _("From"), _("Destination")],
            [
                [
                    t.name,
                    t.get_kind_display(),
                    t.capacity,
                    t.assembly_point.name if t.assembly_point_id else "—",
                    t.destination,
                ]
                for t in transports
            ],
            _("Transports"),
            _("No transports recorded."),
        ),
    ]


@register("advice", gettext_lazy("Current travel advice level"))
def advice_block(user, document, language):
    from lifeline.advice.models import AdviceVersion, Level, State

    country = country_of(document)
    versions = (
        AdviceVersion.objects.filter(advice__country=country, state=State.PUBLISHED)
        .select_related("advice__area")
        .order_by("advice__area__pcode", "advice__region")
    )
    levels = dict(Level.choices)
    rows = [
        [
            v.advice.place or country_name(country.code, language),
            f"{v.level} · {levels.get(v.level, '')}",
            v.last_reviewed.isoformat(),
        ]
        for v in versions
    ]
    return [
        Table(
            [_("Place"), _("Level"), _("Last reviewed")],
            rows,
            _("Travel advice"),
            _("No travel advice published for this country."),
        )
    ]


@register("hazards", gettext_lazy("Hazards of the area (current alerts)"))
def hazards_block(user, document, language):
    from lifeline.alerts.models import Alert, State

    now = timezone.now()
    alerts = (
        Alert.objects.for_user(user)
        .filter(state=State.PUBLISHED)
        .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        .prefetch_related("info__areas")
        .order_by("-sent", "-pk")[:30]
    )
    rows = []
    for alert in alerts:
        info = alert.info_for([language])
        if info is None:
            continue
        rows.append(
            [
                info.event,
                info.get_severity_display(),
                _join(area.area_desc for area in info.areas.all()),
                timezone.localtime(alert.sent).strftime("%Y-%m-%d %H:%M") if alert.sent else "—",
                timezone.localtime(alert.expires).strftime("%Y-%m-%d %H:%M") if alert.expires else "—",
            ]
        )
    columns = [_("Event"), _("Severity"), _("Area"), _("Sent"), _("Expires")]
    return [Table(columns, rows, _("Current alerts"), _("No current alerts."))]
