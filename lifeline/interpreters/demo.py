"""Demo data for the interpreters' registry: invented people with consent recorded."""

import datetime

from lifeline.core.demo import _ascii, _lang, _phone
from lifeline.interpreters.models import AvailabilityWindow, Deployment, Interpreter, LanguagePair

# (language, given names, family names, dialects) for interpreters
INTERPRETER_POOL = [
    ("fil", ["Ana", "Jose", "Liza", "Mark", "Rowena"], ["Santos", "Reyes", "Cruz", "Garcia"], "Tagalog"),
    ("si", ["Nimal", "Chathuri", "Dilani"], ["Fernando", "Silva", "Jayasinghe"], ""),
    ("ta", ["Arun", "Priya"], ["Kumar", "Raman"], "Sri Lankan Tamil"),
    ("bn", ["Farhana", "Rahim", "Sadia", "Tanvir"], ["Hossain", "Akter", "Rahman"], ""),
    ("am", ["Meron", "Dawit", "Hiwot"], ["Bekele", "Alemu", "Tesfaye"], ""),
    ("om", ["Chaltu", "Gemechu"], ["Tola", "Dinsa"], ""),
    ("ti", ["Senait"], ["Gebremedhin"], ""),
    ("ne", ["Sita", "Bikash"], ["Gurung", "Thapa"], ""),
    ("ur", ["Imran", "Ayesha"], ["Qureshi", "Malik"], ""),
    ("hi", ["Pooja"], ["Sharma"], ""),
    ("id", ["Dewi", "Agus"], ["Lestari", "Wibowo"], ""),
    ("fr", ["Claire", "Moussa"], ["Martin", "Diallo"], ""),
    ("es", ["Lucía"], ["Fernández"], ""),
    ("ru", ["Olga"], ["Ivanova"], ""),
    ("apd", ["Amna"], ["Osman"], "Sudanese Arabic"),
    ("bej", ["Idris"], ["Hamid"], "Beja (Bedawi)"),
    ("sw", ["Neema", "Baraka"], ["Mwangi", "Otieno"], ""),
    ("so", ["Hodan", "Abdi"], ["Warsame", "Farah"], ""),
    ("fa-AF", ["Zahra"], ["Ahmadi"], "Dari"),
    ("ps", ["Gul"], ["Khan"], ""),
    ("ckb", ["Shirin"], ["Aziz"], "Sorani"),
    ("fil", ["Gloria", "Ramon"], ["Villanueva", "Mendoza"], "Tagalog"),
]


def load(orgs, areas, rng, **_):

    owners = [orgs["jcd"], orgs["jcd-amman"], orgs["jcd-irbid"], orgs["crescent"], orgs["tamkeen"]]
    pcodes = ["JO11", "JO11", "JO21", "JO13", "JO12", "JO34"]
    modality_sets = [
        ["consecutive", "remote_phone"],
        ["written"],
        ["consecutive", "simultaneous"],
        ["remote_video", "remote_phone"],
        ["consecutive"],
        ["written", "consecutive", "remote_video"],
    ]
    specialisations = [
        ["medical"],
        ["legal"],
        ["psychosocial", "gbv"],
        [],
        ["emergency"],
        ["medical", "child"],
    ]
    index = 0
    for code, given, family, dialect in INTERPRETER_POOL:
        for g in given:
            name = f"{g} {family[index % len(family)]}"
            target = "ar" if index % 3 else "en"
            home = areas[pcodes[index % len(pcodes)]]
            interpreter, _ = Interpreter.objects.update_or_create(
                organisation=owners[index % len(owners)],
                full_name=name,
                defaults={
                    "phone": _phone(rng),
                    "email": f"{_ascii(g)}.{index}@example.org",
                    "modalities": sorted(modality_sets[index % len(modality_sets)]),
                    "specialisations": sorted(specialisations[index % len(specialisations)]),
                    "home_area": home,
                    "city": home.name,
                    "travel_range_km": [0, 25, 50, 100][index % 4],
                    "always_available": index % 7 == 0,
                    "engagement": ["volunteer", "paid", "volunteer", "staff"][index % 4],
                    "vetting": ["vetted", "vetted", "in_progress", "not_vetted"][index % 4],
                    "vetted_on": datetime.date(2026, 3, 1) if index % 4 < 2 else None,
                    "code_of_conduct_signed": datetime.date(2026, 3, 1) if index % 4 < 3 else None,
                    "consent_stored": True,
                    "consent_contact": True,
                    "consent_date": datetime.date(2026, 2, 15),
                    "last_verified": datetime.date(2026, 10, 1) - datetime.timedelta(days=index * 9),
                },
            )
            interpreter.pairs.all().delete()
            LanguagePair.objects.create(
                interpreter=interpreter,
                source=_lang(code),
                target=_lang(target),
                both_directions=True,
                dialect=dialect,
                proficiency=3 + index % 2,
                certified=index % 5 == 0,
            )
            if index % 2 == 0:
                LanguagePair.objects.create(
                    interpreter=interpreter,
                    source=_lang(code),
                    target=_lang("en" if target == "ar" else "ar"),
                    both_directions=index % 4 == 0,
                    proficiency=2 + index % 3,
                )
            if code == "fil" and index % 2:
                LanguagePair.objects.get_or_create(
                    interpreter=interpreter,
                    source=_lang("fil"),
                    target=_lang("es"),
                    defaults={"both_directions": True, "proficiency": 3},
                )
            interpreter.availability.all().delete()
            for day in range(0, 5 if index % 2 else 7, 1 + index % 2):
                AvailabilityWindow.objects.create(
                    interpreter=interpreter,
                    weekday=day,
                    start=datetime.time(8 + index % 3),
                    end=datetime.time(16 + index % 4),
                )
            if not interpreter.deployments.exists() and index % 3 == 0:
                Deployment.objects.create(
                    interpreter=interpreter,
                    date=datetime.date(2026, 9, 10) - datetime.timedelta(days=index),
                    place=home.name,
                    event="Winter preparedness session with community leaders",
                    hours=3,
                    rating=4 + index % 2,
                    feedback="Clear and trusted by participants.",
                )
            index += 1
