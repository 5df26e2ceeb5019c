"""The shipped outline of each kind of plan document: its sections, their headings and short guidance
(in the six staff catalogs), and the live blocks each section suggests. Written in our own words."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lifeline.plans.builder_models import DocumentKind


@dataclass(frozen=True)
class Outline:
    key: str
    title: object
    guidance: object
    blocks: tuple = ()  # live blocks offered first in this section
    phase: bool = False  # a phase of a consular plan: its text, and its actions (text, role, timing)


SOP = (
    Outline(
        "purpose",
        _("Purpose and scope"),
        _(
            "Why these procedures exist, which emergencies and which areas they cover, and who must follow them."
        ),
    ),
    Outline(
        "legal-basis",
        _("Legal basis"),
        _(
            "The laws, decrees and agreements that give each organisation its part, and the rights of migrants they protect."
        ),
    ),
    Outline(
        "roles",
        _("Roles and coordination"),
        _(
            "Who leads, who supports, how agencies, posts and migrant associations coordinate, and who speaks for whom."
        ),
        ("contacts", "posts"),
    ),
    Outline(
        "activation",
        _("Activation"),
        _("What triggers these procedures, who activates them, and how everyone is told."),
        ("hazards", "advice"),
    ),
    Outline(
        "particular-needs",
        _("Identifying people with particular needs"),
        _(
            "How responders find migrants who need more help: children on their own, people without documents, live-in workers, people who do not speak the local language."
        ),
        ("communities",),
    ),
    Outline(
        "referral",
        _("Referral pathways"),
        _("Where each need is referred to, by whom, and how the person is kept informed."),
        ("contacts",),
    ),
    Outline(
        "interpretation",
        _("Interpretation"),
        _("How interpreters are called, for which languages, and how quickly they can be there."),
        ("interpreters",),
    ),
    Outline(
        "firewall",
        _("Aid kept apart from immigration enforcement"),
        _(
            "How the procedures make sure that asking for help never leads to detention or deportation, and which data are never shared for enforcement."
        ),
    ),
    Outline(
        "consular-notification",
        _("Consular notification"),
        _("When and how the posts of migrants' countries are told, with the person's consent."),
        ("posts",),
    ),
    Outline(
        "data-protection",
        _("Data protection"),
        _(
            "What personal data are collected, who may see them, how long they are kept, and how consent is asked."
        ),
    ),
    Outline(
        "relocation",
        _("Relocation and evacuation"),
        _("Assembly points, transport, shelters open to everyone, and how migrants are told where to go."),
        ("evacuation",),
    ),
    Outline(
        "reporting",
        _("Reporting"),
        _("What is reported after an emergency, to whom, and how migrants' experience is heard."),
    ),
    Outline(
        "annexes",
        _("Annexes"),
        _(
            "Contact lists and tables kept current at each export. Phone numbers of individuals appear only in the restricted annex."
        ),
        ("contact-phones",),
    ),
)

CONSULAR = (
    Outline(
        "contacts",
        _("Contacts of the post"),
        _("The post's staff on call, its wardens, and the local authorities and partners it works with."),
        ("contacts",),
    ),
    Outline(
        "objectives",
        _("Objectives"),
        _("What the post aims to achieve for its nationals in an emergency in this country."),
    ),
    Outline(
        "risk-profile",
        _("Risk profile of the country"),
        _(
            "The hazards and threats most likely here, the current travel advice, and what has happened before."
        ),
        ("advice", "hazards"),
    ),
    Outline(
        "nationals-profile",
        _("Profile of the nationals"),
        _("How many nationals live or travel here, where, for how long, and which languages they speak."),
        ("nationals",),
    ),
    Outline(
        "scenarios",
        _("Emergency scenarios"),
        _("Two or three likely emergencies, and what each would mean for the nationals."),
    ),
    Outline(
        "roles",
        _("Roles"),
        _("Who at the post does what, who stands in for whom, and what the ministry does."),
    ),
    Outline(
        "evacuation-plan",
        _("Evacuation plan"),
        _("Assembly points, routes, transport, and the order in which people leave."),
        ("evacuation",),
    ),
    Outline(
        "phase-precautionary",
        _("Phase 1: precautionary"),
        _("Risk is rising: what the post does to prepare, and what it asks nationals to do."),
        phase=True,
    ),
    Outline(
        "phase-restriction",
        _("Phase 2: restriction"),
        _("Movement is limited: what the post does, and how nationals stay in touch."),
        phase=True,
    ),
    Outline(
        "phase-voluntary-return",
        _("Phase 3: voluntary return"),
        _("Nationals are advised to leave: how the post helps those who choose to."),
        phase=True,
    ),
    Outline(
        "phase-mandatory-return",
        _("Phase 4: mandatory return"),
        _("Everyone leaves: how the post organises the departure of all nationals."),
        phase=True,
    ),
    Outline(
        "logistics",
        _("Logistics"),
        _("Money, supplies, communications, vehicles and places to stay, and who holds them."),
        ("interpreters",),
    ),
    Outline(
        "annexes",
        _("Annexes"),
        _(
            "Contact lists and tables kept current at each export. Phone numbers of individuals appear only in the restricted annex."
        ),
        ("posts", "contact-phones"),
    ),
)

OUTLINES = {DocumentKind.SOP: SOP, DocumentKind.CONSULAR: CONSULAR}


def outline(kind):
    return OUTLINES[kind]


def section_outline(kind, key):
    for item in OUTLINES[kind]:
        if item.key == key:
            return item
    return None
