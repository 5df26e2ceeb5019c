"""Demo data for nationals abroad: the posts' public details and about 400 invented Filipino nationals.

Real places (governorate and city centres), invented people. Loading twice changes nothing.
"""

import datetime

from django.utils import timezone

from lifeline.nationals.models import (
    Consent,
    DocumentStatus,
    DocumentType,
    HouseholdMember,
    Kind,
    PostDetails,
    Purpose,
    Registration,
    Relation,
    Source,
    SpecialNeed,
    StayType,
    prepare,
)

POSTS = {
    # key: (emergency phone, lat, lon, {language: office hours}, notes)
    "emb-amman": (
        "+962795551234",
        31.9539,
        35.9106,
        {"en": "Sunday to Thursday, 08:00–16:00", "ar": "الأحد إلى الخميس، 08:00–16:00"},
        "Walk-in consular services in the morning; the hotline answers day and night.",
    ),
    "emb-beirut": (
        "+96171555123",
        33.8938,
        35.5018,
        {"en": "Monday to Friday, 08:00–16:00", "ar": "الاثنين إلى الجمعة، 08:00–16:00"},
        "Assistance to domestic workers without documents: call the hotline first.",
    ),
    "cg-dubai": (
        "+971505551234",
        25.2048,
        55.2708,
        {"en": "Monday to Friday, 08:00–17:00", "ar": "الاثنين إلى الجمعة، 08:00–17:00"},
        "Passport renewal by appointment.",
    ),
    "emb-kuwait": (
        "+96555512345",
        29.3759,
        47.9774,
        {"en": "Sunday to Thursday, 08:00–16:00", "ar": "الأحد إلى الخميس، 08:00–16:00"},
        "The shelter for distressed workers is run from the labour office of the embassy.",
    ),
}

# Where people live: (post key, country, P-code or None, city, lat, lon, weight)
PLACES = [
    ("emb-amman", "JO", "JO11", "Amman", 31.9539, 35.9106, 52),
    ("emb-amman", "JO", "JO21", "Irbid", 32.5556, 35.8500, 9),
    ("emb-amman", "JO", "JO13", "Zarqa", 32.0728, 36.0880, 8),
    ("emb-amman", "JO", "JO34", "Aqaba", 29.5321, 35.0063, 6),
    ("emb-amman", "JO", "JO12", "As-Salt", 32.0392, 35.7272, 3),
    ("emb-amman", "JO", "JO14", "Madaba", 31.7160, 35.7939, 3),
    ("emb-amman", "JO", "JO23", "Jerash", 32.2747, 35.8961, 1),
    ("emb-amman", "JO", "JO22", "Mafraq", 32.3434, 36.2080, 1),
    ("emb-amman", "JO", "JO31", "Karak", 31.1853, 35.7048, 1),
    ("emb-beirut", "LB", None, "Beirut", 33.8938, 35.5018, 7),
    ("emb-beirut", "LB", None, "Sidon", 33.5631, 35.3689, 2),
    ("emb-beirut", "LB", None, "Tyre", 33.2705, 35.2038, 2),
    ("cg-dubai", "AE", None, "Dubai", 25.2048, 55.2708, 3),
    ("emb-kuwait", "KW", None, "Kuwait City", 29.3759, 47.9774, 2),
]

GIVEN_F = [
    "Maria",
    "Jocelyn",
    "Rowena",
    "Marites",
    "Analyn",
    "Jennifer",
    "Lorna",
    "Rosalie",
    "Cristina",
    "Grace",
    "Joy",
    "Mary Ann",
    "Divina",
    "Evangeline",
    "Liezel",
    "Rhea",
    "Nenita",
    "Erlinda",
    "Leah",
    "Gemma",
    "Josephine",
    "Aileen",
]
GIVEN_M = [
    "Juan",
    "Jose",
    "Mark",
    "Rodel",
    "Ramil",
    "Arnel",
    "Reynaldo",
    "Jun",
    "Noel",
    "Ricardo",
    "Dennis",
    "Edwin",
]
FAMILY = [
    "Santos",
    "Reyes",
    "Cruz",
    "Bautista",
    "Ocampo",
    "Garcia",
    "Mendoza",
    "Torres",
    "Villanueva",
    "Dela Cruz",
    "Aquino",
    "Ramos",
    "Castillo",
    "Flores",
    "Navarro",
    "Gonzales",
    "Manalo",
    "Pascual",
    "Domingo",
    "Salazar",
    "Tolentino",
    "Magbanua",
    "Dimaculangan",
    "Macaraeg",
    "Sison",
    "Lacson",
]
CHILDREN = ["Angelo", "Princess", "Jhon", "Kyla", "Althea", "Miguel", "Bea", "Paolo", "Trisha", "Carlo"]
LANGUAGE_SETS = [
    ["fil", "en"],
    ["fil", "en"],
    ["ceb", "fil", "en"],
    ["ilo", "fil", "en"],
    ["fil", "en", "ar"],
    ["en", "fil"],
]
EMPLOYERS = [
    "Private household",
    "Private household",
    "Private household",
    "Hotel in Aqaba",
    "Garment factory, Al Hassan",
    "Hospital in Amman",
    "Restaurant group",
    "Cleaning company",
]
RECRUITERS = ["Al Noor Manpower Agency", "Golden Bridge Recruitment", "Pacific Link Placement", ""]
COUNT = 400


def load(orgs, areas, countries, rng, write):
    for key, (phone, lat, lon, hours, notes) in POSTS.items():
        if key in orgs:
            PostDetails.objects.update_or_create(
                organisation=orgs[key],
                defaults={
                    "emergency_phone": phone,
                    "latitude": lat,
                    "longitude": lon,
                    "office_hours": hours,
                    "public_notes": notes,
                },
            )
    posts = [orgs[key] for key in POSTS if key in orgs]
    if Registration.objects.filter(organisation__in=posts).exists():
        write("Nationals: already loaded.\n")
        return
    registrations = _registrations(orgs, areas, countries, rng)
    for registration in registrations:
        prepare(registration)
    Registration.objects.bulk_create(registrations, batch_size=200)
    created = list(Registration.objects.filter(organisation__in=posts).order_by("pk"))
    _households(created, countries, rng)
    write(f"Nationals: {len(created)} registrations with their households.\n")


def _place(rng):
    total = sum(p[-1] for p in PLACES)
    pick = rng.uniform(0, total)
    for place in PLACES:
        pick -= place[-1]
        if pick <= 0:
            return place
    return PLACES[0]


def _registrations(orgs, areas, countries, rng):
    today = timezone.localdate()
    ph = countries["PH"]
    rows = []
    for n in range(COUNT):
        post_key, country, pcode, city, lat, lon, _w = _place(rng)
        roll = rng.random()
        stay = (
            StayType.RESIDENT_WORKER
            if roll < 0.78
            else StayType.STUDENT
            if roll < 0.86
            else StayType.TOURIST
            if roll < 0.95
            else StayType.RESIDENT
        )
        female = stay != StayType.RESIDENT_WORKER or rng.random() < 0.9
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        family = rng.choice(FAMILY)
        born = today - datetime.timedelta(
            days=int(365.25 * rng.randint(19 if stay != StayType.STUDENT else 18, 58)) + rng.randint(0, 364)
        )
        held = stay == StayType.RESIDENT_WORKER and rng.random() < 0.3
        arrival = today - datetime.timedelta(
            days=rng.randint(20, 2500) if stay != StayType.TOURIST else rng.randint(1, 10)
        )
        departure = today + datetime.timedelta(days=rng.randint(3, 25)) if stay == StayType.TOURIST else None
        review = today + datetime.timedelta(days=rng.randint(30, 700)) if departure is None else None
        if n % 40 == 7:  # a few whose registration is about to lapse
            departure, review = today - datetime.timedelta(days=rng.randint(20, 28)), None
        needs = []
        if rng.random() < 0.06:
            needs.append(SpecialNeed.MEDICAL)
        if female and rng.random() < 0.03:
            needs.append(SpecialNeed.PREGNANCY)
        if rng.random() < 0.02:
            needs.append(SpecialNeed.DISABILITY)
        phone = {
            "JO": f"+9627{rng.choice('789')}{rng.randint(1000000, 9999999)}",
            "LB": f"+9617{rng.choice('0136')}{rng.randint(100000, 999999)}",
            "AE": f"+97150{rng.randint(1000000, 9999999)}",
            "KW": f"+9655{rng.randint(1000000, 9999999)}",
        }[country]
        jitter = 0.03 if city in ("Amman", "Beirut", "Dubai") else 0.015
        location = (
            f"{lat + rng.uniform(-jitter, jitter):.5f},{lon + rng.uniform(-jitter, jitter):.5f}"
            if rng.random() < 0.7
            else ""
        )
        rows.append(
            Registration(
                organisation=orgs[post_key],
                kind=Kind.JUST_IN_CASE,
                source=rng.choice([Source.SELF, Source.SELF, Source.WALK_IN, Source.PHONE]),
                given_names=given,
                family_name=family,
                date_of_birth=born,
                nationality=ph,
                document_type=DocumentType.PASSPORT,
                document_number=f"P{rng.randint(1000000, 9999999)}{rng.choice('ABC')}",
                document_status=DocumentStatus.HELD
                if held
                else rng.choice([DocumentStatus.VALID] * 6 + [DocumentStatus.EXPIRED, DocumentStatus.LOST]),
                phone=phone,
                email=f"{given.split()[0].lower()}.{family.replace(' ', '').lower()}{n}@example.com"
                if rng.random() < 0.6
                else "",
                messaging=[{"type": "whatsapp", "value": phone}] if rng.random() < 0.5 else [],
                languages=rng.choice(LANGUAGE_SETS),
                country=countries[country],
                area=areas.get(pcode) if pcode else None,
                city=city,
                address=f"Building {rng.randint(1, 90)}, street {rng.randint(1, 40)}"
                if rng.random() < 0.5
                else "",
                location=location,
                stay_type=stay,
                arrival=arrival,
                departure=departure,
                review_date=review,
                employer=rng.choice(EMPLOYERS) if stay == StayType.RESIDENT_WORKER else "",
                recruiter=rng.choice(RECRUITERS) if stay == StayType.RESIDENT_WORKER else "",
                special_needs=needs,
                needs_details="Needs regular medication" if SpecialNeed.MEDICAL in needs else "",
                emergency_contact={
                    "name": f"{rng.choice(GIVEN_F + GIVEN_M)} {family}",
                    "relation": rng.choice(["mother", "husband", "sister", "brother"]),
                    "phone": f"+639{rng.randint(100000000, 999999999)}",
                },
            )
        )
    # Three likely duplicate pairs: the same person registered twice (walk-in after the app; spelling differs).
    for first, how in zip(rows[:3], ("document", "phone", "name_birth")):
        twin = Registration(
            **{
                f.attname: getattr(first, f.attname)
                for f in Registration._meta.concrete_fields
                if f.attname != "id"
            }
        )
        twin.source = Source.WALK_IN
        if how != "document":
            twin.document_number = ""
        if how != "phone":
            twin.phone, twin.messaging = "", []
        twin.email = ""
        rows.append(twin)
    return rows


def _households(registrations, countries, rng):
    today = timezone.localdate()
    members, consents = [], []
    now = timezone.now()
    for n, r in enumerate(registrations):
        language = (r.languages or ["en"])[0]
        consents.append(
            Consent(registration=r, purpose=Purpose.ASSISTANCE, granted=True, language=language, at=now)
        )
        if rng.random() < 0.8:
            consents.append(
                Consent(
                    registration=r, purpose=Purpose.CRISIS_MESSAGES, granted=True, language=language, at=now
                )
            )
        if r.stay_type != StayType.RESIDENT_WORKER or rng.random() < 0.12:
            for _child in range(rng.randint(1, 3)):
                born = today - datetime.timedelta(days=rng.randint(200, 17 * 365))
                members.append(
                    HouseholdMember(
                        registration=r,
                        name=f"{rng.choice(CHILDREN)} {r.family_name}",
                        relation=Relation.CHILD,
                        date_of_birth=born,
                        nationality=countries["PH"],
                        document_status=DocumentStatus.VALID,
                    )
                )
            if rng.random() < 0.5:
                members.append(
                    HouseholdMember(
                        registration=r,
                        name=f"{rng.choice(GIVEN_M)} {r.family_name}",
                        relation=Relation.SPOUSE,
                        nationality=countries["PH"],
                        document_status=DocumentStatus.VALID,
                    )
                )
        if n % 97 == 13:  # a few unaccompanied minors registered by a relative or a shelter
            members.append(
                HouseholdMember(
                    registration=r,
                    name=f"{rng.choice(CHILDREN)} {rng.choice(FAMILY)}",
                    relation=Relation.RELATIVE,
                    date_of_birth=today - datetime.timedelta(days=rng.randint(14 * 365, 17 * 365)),
                    nationality=countries["PH"],
                    document_status=DocumentStatus.LOST,
                    unaccompanied=True,
                )
            )
    HouseholdMember.objects.bulk_create(members, batch_size=500)
    Consent.objects.bulk_create(consents, batch_size=500)
