"""Demo data for assistance cases: about 30 invented requests at the posts in Amman and Beirut.

Runs after the nationals demo and uses whatever registrations it made. Each case has
an idempotency key, so loading twice changes nothing.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from lifeline.cases import services
from lifeline.cases.models import Case, CaseEvent, CaseMessage, CaseSource, CaseTeam, InternalNote, Status

# (category, summary, priority, reason, status, age in hours, source)
CASES = [
    (
        "wages",
        "My employer has not paid me for four months and keeps my passport.",
        "high",
        "Documents held, no income",
        Status.IN_PROGRESS,
        60,
        CaseSource.APP,
    ),
    (
        "documents",
        "I lost my passport on the bus from Irbid.",
        "normal",
        "",
        Status.TRIAGED,
        30,
        CaseSource.APP,
    ),
    (
        "medical",
        "My friend fainted at work and the employer will not take her to hospital.",
        "critical",
        "Unconscious worker",
        Status.IN_PROGRESS,
        5,
        CaseSource.APP,
    ),
    (
        "detention",
        "My husband was arrested at a checkpoint; we do not know where he is.",
        "critical",
        "Detained, no consular access yet",
        Status.TRIAGED,
        3,
        CaseSource.PHONE,
    ),
    (
        "shelter",
        "I ran away from my employer's house and have nowhere to sleep.",
        "high",
        "Alone at night",
        Status.REFERRED,
        20,
        CaseSource.WALK_IN,
    ),
    (
        "repatriation",
        "My contract ended and I want to go home but I have no ticket.",
        "low",
        "",
        Status.NEW,
        10,
        CaseSource.APP,
    ),
    (
        "trafficking",
        "The agency took my documents and moved me to another house; I am not allowed out.",
        "critical",
        "Signs of trafficking",
        Status.IN_PROGRESS,
        26,
        CaseSource.SMS,
    ),
    (
        "gbv",
        "I was hurt by my employer's son. I need a safe place.",
        "critical",
        "Risk of further harm",
        Status.IN_PROGRESS,
        8,
        CaseSource.PHONE,
    ),
    (
        "death",
        "My brother died in a work accident in Zarqa. How do we bring him home?",
        "high",
        "Family in the Philippines waiting",
        Status.IN_PROGRESS,
        80,
        CaseSource.PHONE,
    ),
    (
        "missing",
        "My cousin has not answered her phone for ten days.",
        "high",
        "No contact for 10 days",
        Status.TRIAGED,
        40,
        CaseSource.APP,
    ),
    (
        "food_water",
        "There is no food in our dormitory since the factory closed.",
        "high",
        "Group of 12 workers",
        Status.NEW,
        2,
        CaseSource.APP,
    ),
    (
        "evacuation",
        "The road to our village is flooded; we are 5 Filipinos here.",
        "critical",
        "Flood, five nationals",
        Status.IN_PROGRESS,
        1,
        CaseSource.APP,
    ),
    (
        "documents",
        "My residence permit expired because the employer did not renew it.",
        "normal",
        "",
        Status.RESOLVED,
        200,
        CaseSource.WALK_IN,
    ),
    (
        "wages",
        "The recruitment agency charged me fees I cannot pay.",
        "normal",
        "",
        Status.CLOSED,
        400,
        CaseSource.APP,
    ),
    (
        "medical",
        "I am pregnant and need a doctor who speaks English.",
        "normal",
        "",
        Status.REOPENED,
        150,
        CaseSource.APP,
    ),
    (
        "other",
        "I want to report a fake recruitment page on Facebook.",
        "low",
        "",
        Status.TRIAGED,
        120,
        CaseSource.APP,
    ),
    ("shelter", "My room flooded after the storm.", "normal", "", Status.NEW, 90, CaseSource.APP),
    (
        "documents",
        "My child was born here and has no birth certificate.",
        "normal",
        "",
        Status.IN_PROGRESS,
        300,
        CaseSource.WALK_IN,
    ),
    (
        "detention",
        "I was detained for overstaying and I am in the deportation centre.",
        "high",
        "In detention",
        Status.REFERRED,
        100,
        CaseSource.PHONE,
    ),
    (
        "repatriation",
        "I am sick and my employer agrees to let me go home.",
        "normal",
        "",
        Status.IN_PROGRESS,
        50,
        CaseSource.APP,
    ),
    (
        "wages",
        "I was dismissed without my end-of-service pay.",
        "low",
        "",
        Status.RESOLVED,
        500,
        CaseSource.APP,
    ),
    (
        "medical",
        "My son has a high fever and the clinic asked for a deposit.",
        "high",
        "Child, fever",
        Status.TRIAGED,
        14,
        CaseSource.APP,
    ),
    (
        "missing",
        "Our mother went to the market and did not come back.",
        "critical",
        "Elderly person missing",
        Status.IN_PROGRESS,
        4,
        CaseSource.PHONE,
    ),
    ("other", "Can the embassy certify my diploma?", "low", "", Status.CLOSED, 700, CaseSource.APP),
    (
        "food_water",
        "We have no drinking water in the building for two days.",
        "normal",
        "",
        Status.NEW,
        100,
        CaseSource.SMS,
    ),
    (
        "gbv",
        "My friend is afraid of her husband and wants to talk to someone.",
        "high",
        "Safety of a woman at risk",
        Status.TRIAGED,
        30,
        CaseSource.APP,
    ),
    (
        "evacuation",
        "Fighting near our street in Tyre; can the embassy help us leave?",
        "critical",
        "Armed conflict nearby",
        Status.TRIAGED,
        6,
        CaseSource.APP,
    ),
    (
        "shelter",
        "The employer threw me out after I asked for my salary.",
        "high",
        "No shelter",
        Status.IN_PROGRESS,
        35,
        CaseSource.WALK_IN,
    ),
    (
        "documents",
        "My passport is with my former employer who moved to another city.",
        "normal",
        "",
        Status.TRIAGED,
        180,
        CaseSource.APP,
    ),
    (
        "wages",
        "Three of us were not paid for overtime for a year.",
        "normal",
        "",
        Status.NEW,
        20,
        CaseSource.APP,
    ),
]

NOTES = [
    "Called the employer: he denies holding the passport. Follow up with the labour inspectorate.",
    "Spoke to the person in Filipino; she is safe tonight with a friend.",
    "Checked with the police liaison: detained at the central station, visit requested.",
]
REPLIES = [
    "We received your request. An officer will call you today.",
    "Please keep your phone charged; we are contacting your employer.",
    "The embassy shelter has a place for you. Can you come tomorrow morning?",
]
ANSWERS = [
    "Thank you, I am waiting.",
    "I can come at 9.",
    "My phone number is the same as in my registration.",
]

# The walk-in order of statuses a case passes through to reach the one it has in the demo.
PATH = {
    Status.NEW: [],
    Status.TRIAGED: [],
    Status.IN_PROGRESS: [Status.IN_PROGRESS],
    Status.REFERRED: [Status.IN_PROGRESS],  # the referral itself moves it on
    Status.RESOLVED: [Status.IN_PROGRESS, Status.RESOLVED],
    Status.CLOSED: [Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED],
    Status.REOPENED: [Status.IN_PROGRESS, Status.RESOLVED, Status.REOPENED],
}


def load(orgs, areas, countries, rng, write):
    from lifeline.directory.models import ContactKind, KeyContact
    from lifeline.nationals.models import Registration

    if Case.objects.filter(idempotency_key__startswith="demo-case-").exists():
        write("Cases: already loaded.\n")
        return
    local = random.Random(3)  # the cases' own randomness: other apps' demo data stays the same
    posts = [orgs["emb-amman"], orgs["emb-beirut"]]
    people = {
        post.pk: list(Registration.objects.filter(organisation=post).order_by("pk")[:200]) for post in posts
    }
    if not any(people.values()):
        write("Cases: no registrations at the posts, none made.\n")
        return
    User = get_user_model()
    consul = User.objects.filter(username="consul").first()
    team, _ = CaseTeam.objects.get_or_create(organisation=orgs["emb-amman"], name="Welfare and labour")
    if consul is not None:
        team.members.add(consul)
    # The post keeps its own list of partners it refers to (the host's directory is not in its scope).
    partner, _ = KeyContact.objects.update_or_create(
        organisation=orgs["emb-amman"],
        name="Workers' Rights Centre hotline",
        defaults={
            "kind": ContactKind.ORGANISATION,
            "category": "ngo",
            "affiliation": "Workers' Rights Centre",
            "capacity": "Free legal aid for unpaid wages and withheld passports",
            "available_24_7": True,
            "channels": [{"type": "phone", "value": "+96265560006"}],
        },
    )
    now = timezone.now()
    made = 0
    for index, (category, summary, priority, reason, status, hours, source) in enumerate(CASES):
        post = posts[1] if index % 5 == 4 and people[posts[1].pk] else posts[0]
        registration = local.choice(people[post.pk] or people[posts[0].pk])
        case, created = services.create_case(
            registration=registration,
            category=category,
            summary=summary,
            source=source,
            priority=priority,
            idempotency_key=f"demo-case-{index:02d}",
        )
        if not created:
            continue
        made += 1
        user = consul if case.organisation == orgs["emb-amman"] else None
        if status != Status.NEW:
            services.triage(case, priority, reason, user=user)
        for step in PATH[status]:
            services.change_status(case, step, user=user)
        if status == Status.REFERRED and case.organisation == partner.organisation and consul is not None:
            services.refer(
                case,
                partner,
                consul,
                consent_asked=True,
                note="Unpaid wages and passport held by the employer.",
            )
        elif status == Status.REFERRED:
            services.change_status(case, Status.REFERRED, user=user)
        if consul is not None and case.organisation == orgs["emb-amman"] and index % 3 != 2:
            services.assign(
                case,
                officer=consul if index % 2 == 0 else None,
                team=team if index % 2 else None,
                user=consul,
            )
        if index % 2 == 0:
            services.add_note(case, NOTES[index % len(NOTES)], user=user)
        if index % 3 == 0 and case.is_open:
            services.receive_message(case, "Please help, I am still waiting.")
            services.send_message(case, REPLIES[index % len(REPLIES)], user=user)
            if index % 2:
                services.receive_message(case, ANSWERS[index % len(ANSWERS)])
        # Age the case: some of them are overdue on purpose.
        created_at = now - datetime.timedelta(hours=hours)
        shift = created_at - now
        Case.objects.filter(pk=case.pk).update(
            created=created_at, due_at=services.due_at(case.priority, created_at)
        )
        CaseEvent.objects.filter(case=case).update(at=F("at") + shift)
        InternalNote.objects.filter(case=case).update(created=F("created") + shift)
        CaseMessage.objects.filter(case=case).update(created=F("created") + shift)
    write(f"Cases: {made} made.\n")
