"""Demo plan documents: the Civil Defence Directorate's SOP for assisting migrants (approved, and due for
review) and the Philippine Embassy in Amman's consular contingency plan (awaiting the ministry's approval).
Written through the services, as people would."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from lifeline.plans import builders
from lifeline.plans.builder_models import DocumentKind, DocumentVersion, FrozenBlock, PlanDocument

SOP_TITLE = "Assisting migrants in emergencies: standard operating procedures"
CONSULAR_TITLE = "Philippine Embassy in Amman: consular contingency plan"

SOP_TEXT = {
    "purpose": (
        "These procedures tell every Civil Defence unit how to reach, warn, rescue and shelter migrants "
        "in an emergency, whatever their status.\n\n"
        "They cover flash floods, earthquakes, heat waves and large fires in all twelve governorates, and "
        "apply to Civil Defence staff and to the partners that sign them."
    ),
    "legal-basis": (
        "- Civil Defence Law: the Directorate leads the response to disasters on Jordanian territory.\n"
        "- Everyone present in the country receives life-saving assistance, without regard to nationality "
        "or residence status.\n"
        "- The Vienna Convention on Consular Relations (article 36): a foreign national may ask that their "
        "consulate be told."
    ),
    "roles": (
        "The Directorate's operations room activates these procedures and keeps the list of focal points. "
        "Branches lead in their governorate; the Red Crescent runs shelters; the Workers' Rights Centre "
        "relays warnings to workers' associations.\n\n{{block:contacts}}\n\n"
        "Consular posts are told through the operations room (see *Consular notification*).\n\n{{block:posts}}"
    ),
    "activation": (
        "The procedures are activated when the Directorate issues an orange or red warning for a "
        "governorate, or when a branch asks for it.\n\n{{block:hazards}}\n\n{{block:advice}}"
    ),
    "particular-needs": (
        "Responders ask at every door whether anyone else lives there: live-in domestic workers are often "
        "not on any list. Children on their own, people without documents and people who do not speak "
        "Arabic are referred at once.\n\n{{block:communities}}"
    ),
    "referral": (
        "1. Medical needs: the nearest hospital, whatever the person's papers.\n"
        "2. Lost documents: the person's consulate, with their consent.\n"
        "3. Exploitation or trafficking: the Workers' Rights Centre hotline."
    ),
    "interpretation": (
        "The operations room calls an interpreter on the roster for any language staff do not speak; "
        "telephone interpretation is used while one travels.\n\n{{block:interpreters}}"
    ),
    "firewall": (
        "No information collected while helping someone is passed to the Residence and Borders Department "
        "for enforcement. Shelters do not check residence permits."
    ),
    "consular-notification": (
        "With the person's consent, the operations room tells their consulate within 24 hours of an "
        "evacuation, a hospital admission or a death."
    ),
    "data-protection": (
        "Only the data needed to help are collected, kept in Lifeline, and deleted 90 days after the "
        "emergency ends unless a case is open."
    ),
    "relocation": (
        "Assembly points and transport are announced in Arabic, English, Tagalog, Bengali and Amharic "
        "through the channels each community trusts.\n\n{{block:evacuation}}"
    ),
    "reporting": "Within 30 days of an emergency, each branch reports who was reached and what failed, and hears the workers' associations.",
    "annexes": "{{block:contact-phones}}",
}

CONSULAR_TEXT = {
    "contacts": "The duty officer carries the embassy's emergency phone day and night.\n\n{{block:contacts}}",
    "objectives": (
        "- Know where every registered Filipino in Jordan and Iraq is within 48 hours of an emergency.\n"
        "- Give every national a way to ask for help in Filipino or English.\n"
        "- Bring home those who must leave, starting with the most at risk."
    ),
    "risk-profile": (
        "Flash floods in winter, earthquakes along the Jordan Rift, heat waves in summer, and spillover "
        "from conflicts in neighbouring countries.\n\n{{block:advice}}\n\n{{block:hazards}}"
    ),
    "nationals-profile": (
        "Most nationals are domestic workers living with their employers, many without their passports; "
        "others work in hotels and hospitals.\n\n{{block:nationals}}"
    ),
    "scenarios": (
        "1. A flash flood in downtown Amman cuts off districts where many domestic workers live.\n"
        "2. Regional conflict closes the airspace for several days."
    ),
    "roles": "The ambassador decides the phase; the consul leads; the labour attaché reaches employers and agencies.",
    "evacuation-plan": "Nationals gather at the embassy or at the Philippine Overseas Labor Office.\n\n{{block:evacuation}}",
    "phase-precautionary": "Risk is rising: the post checks its lists and tells nationals how to stay in touch.",
    "phase-restriction": "Movement is limited: nationals stay where they are unless told otherwise.",
    "phase-voluntary-return": "Commercial flights still run: the post helps those who choose to leave.",
    "phase-mandatory-return": "All nationals leave on flights and convoys the post arranges.",
    "logistics": "Two vehicles, a satellite phone and a cash reserve for 30 days are kept at the embassy.\n\n{{block:interpreters}}",
    "annexes": "{{block:posts}}\n\n{{block:contact-phones}}",
}

ACTIONS = {
    "phase-precautionary": [
        {
            "text": "Check that the registration list is current and call the wardens.",
            "role": "Consul",
            "timing": "Within 24 hours",
        },
        {
            "text": "Send a message to all registered nationals with the emergency number.",
            "role": "Duty officer",
            "timing": "Same day",
        },
    ],
    "phase-restriction": [
        {
            "text": "Ask every national to answer the safety check.",
            "role": "Consul",
            "timing": "Within 12 hours",
        },
        {
            "text": "Contact employers of live-in workers who have not answered.",
            "role": "Labour attaché",
            "timing": "Within 48 hours",
        },
    ],
    "phase-voluntary-return": [
        {
            "text": "Book seats on commercial flights for those who ask.",
            "role": "Administrative officer",
            "timing": "Daily",
        },
        {
            "text": "Issue travel documents to nationals whose passports are held.",
            "role": "Consul",
            "timing": "Within 24 hours of request",
        },
    ],
    "phase-mandatory-return": [
        {
            "text": "Open the assembly points and publish the departure schedule.",
            "role": "Ambassador",
            "timing": "On activation",
        },
        {
            "text": "Confirm with the host authorities safe passage for the convoys.",
            "role": "Ambassador",
            "timing": "Before the first departure",
        },
    ],
}


def _write(document, user, texts, actions=None):
    for key, text in texts.items():
        builders.save_section(user, document, key, text, (actions or {}).get(key))


def load(orgs, **_):
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["coordinator", "admin", "consul"])
    }
    if len(users) < 3:
        return
    if not PlanDocument.objects.filter(organisation=orgs["jcd"], title=SOP_TITLE).exists():
        sop = builders.create_document(
            users["coordinator"], orgs["jcd"], DocumentKind.SOP, SOP_TITLE, "en", country=orgs["jcd"].country
        )
        _write(sop, users["coordinator"], SOP_TEXT)
        builders.submit(users["coordinator"], sop)
        builders.approve(users["admin"], sop)
        # Approved thirteen months ago: due for review on the coordinator's home.
        then = timezone.now() - datetime.timedelta(days=396)
        PlanDocument.objects.filter(pk=sop.pk).update(published_at=then)
        DocumentVersion.objects.filter(document=sop).update(created=then)
        FrozenBlock.objects.filter(version__document=sop).update(data_as_of=then)
    post = orgs["emb-amman"]
    if not PlanDocument.objects.filter(organisation=post, title=CONSULAR_TITLE).exists():
        plan = builders.create_document(
            users["consul"], post, DocumentKind.CONSULAR, CONSULAR_TITLE, "en", country=post.country
        )
        _write(plan, users["consul"], CONSULAR_TEXT, ACTIONS)
        builders.submit(users["consul"], plan)
