"""Demo data: a host country (Jordan) and a home country (the Philippines).

Invented people and organisations in real places, built to look like a
deployment a few months after hand-over. Loading is idempotent.
"""

import datetime
import importlib
import importlib.util
import json
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from lifeline.core.audit import acting_as
from lifeline.core.models import Branding, Language, Organisation, OrganisationKind, Role, Scope, StaffProfile
from lifeline.geo.models import AdminArea, Country
from lifeline.geo.services import ensure_countries, import_boundaries, load_country_outlines

# Apps that add their own demo data, in this order, through ``lifeline.<app>.demo.load``.
DEMO_APPS = ["nationals", "advice", "crises", "evacuation", "cases", "alerts", "messaging"]

PASSWORD = "Lifeline-demo-2026"
# The ministry's own branding: its staff, its posts' staff and its public advice pages show it.
MINISTRY_BRAND = ("Department of Foreign Affairs, Republic of the Philippines", "#0038a8", "#a6620a")
BACKUP_CODES = [f"demo{n:04d}" for n in range(1, 21)]

# Jordan's governorates and their OCHA P-codes (facts); boundaries are loaded from a
# COD file when one is available (see geo_files()).
JORDAN_AREAS = [
    ("JO11", "Amman", "عمان"),
    ("JO12", "Al Balqa", "البلقاء"),
    ("JO13", "Zarqa", "الزرقاء"),
    ("JO14", "Madaba", "مادبا"),
    ("JO21", "Irbid", "إربد"),
    ("JO22", "Al Mafraq", "المفرق"),
    ("JO23", "Jarash", "جرش"),
    ("JO24", "Ajloun", "عجلون"),
    ("JO31", "Al Karak", "الكرك"),
    ("JO32", "At Tafilah", "الطفيلة"),
    ("JO33", "Ma'an", "معان"),
    ("JO34", "Al Aqaba", "العقبة"),
]

HOST_ORGS = [
    (
        "jcd",
        "Civil Defence Directorate",
        "JCD",
        OrganisationKind.CIVIL_PROTECTION,
        None,
        ["JO11", "JO12", "JO13", "JO14", "JO21", "JO22", "JO23", "JO24", "JO31", "JO32", "JO33", "JO34"],
    ),
    (
        "jcd-amman",
        "Civil Defence Directorate, Amman branch",
        "JCD-AMM",
        OrganisationKind.CIVIL_PROTECTION,
        "jcd",
        ["JO11"],
    ),
    (
        "jcd-irbid",
        "Civil Defence Directorate, Irbid branch",
        "JCD-IRB",
        OrganisationKind.CIVIL_PROTECTION,
        "jcd",
        ["JO21"],
    ),
    ("crescent", "National Red Crescent Society", "NRCS", OrganisationKind.RED_CROSS, None, []),
    ("immigration", "Residence and Borders Department", "RBD", OrganisationKind.IMMIGRATION, None, []),
    ("tamkeen", "Workers' Rights Centre (NGO)", "WRC", OrganisationKind.NGO, None, ["JO11", "JO21"]),
    ("labour", "Ministry of Labour, migrant workers unit", "MOL", OrganisationKind.LABOUR, None, []),
    ("iom-jo", "IOM country office", "IOM", OrganisationKind.INTERNATIONAL, None, []),
]
HOME_POSTS = [
    (
        "mfa-ph",
        "Department of Foreign Affairs, Office of Migrant Workers Affairs",
        "DFA-OMWA",
        OrganisationKind.FOREIGN_AFFAIRS,
        None,
        "PH",
        [],
    ),
    ("crisis-ph", "DFA Crisis Management Cell", "DFA-CMC", OrganisationKind.CRISIS_CELL, "mfa-ph", "PH", []),
    (
        "emb-amman",
        "Philippine Embassy in Amman",
        "PE-AMM",
        OrganisationKind.CONSULAR_POST,
        "mfa-ph",
        "JO",
        ["JO", "IQ"],
    ),
    (
        "emb-beirut",
        "Philippine Embassy in Beirut",
        "PE-BEY",
        OrganisationKind.CONSULAR_POST,
        "mfa-ph",
        "LB",
        ["LB", "SY"],
    ),
    (
        "cg-dubai",
        "Philippine Consulate General in Dubai",
        "PCG-DXB",
        OrganisationKind.CONSULAR_POST,
        "mfa-ph",
        "AE",
        ["AE"],
    ),
    (
        "emb-kuwait",
        "Philippine Embassy in Kuwait",
        "PE-KWT",
        OrganisationKind.CONSULAR_POST,
        "mfa-ph",
        "KW",
        ["KW"],
    ),
]

USERS = [
    ("admin", "jcd", Role.ADMINISTRATOR, Scope.DEPLOYMENT, True),
    ("coordinator", "jcd", Role.COORDINATOR, Scope.CHILDREN, False),
    ("officer", "jcd-amman", Role.OFFICER, Scope.OWN, False),
    ("viewer", "jcd-irbid", Role.VIEWER, Scope.OWN, False),
    ("partner", "tamkeen", Role.PARTNER, Scope.OWN, False),
    ("trainer", "iom-jo", Role.TRAINER, Scope.OWN, False),
    ("immigration", "immigration", Role.COORDINATOR, Scope.DEPLOYMENT, False),
    ("consul", "emb-amman", Role.OFFICER, Scope.OWN, False),
    ("ministry", "mfa-ph", Role.COORDINATOR, Scope.CHILDREN, False),
]

COMMUNITIES = [
    {
        "name": "Filipino domestic workers in Amman",
        "origin": ["PH"],
        "languages": ["fil", "en", "ceb"],
        "areas": ["JO11"],
        "estimated_size": 26000,
        "size_source": "Ministry of Labour permits and embassy estimate",
        "female_pct": 92,
        "children_pct": 2,
        "elderly_pct": 1,
        "literacy_rate": 97,
        "literacy_notes": "Read Filipino and English; little Arabic script",
        "sectors": ["domestic_work", "hospitality"],
        "housing": "live_in",
        "vulnerabilities": ["documents_held", "isolation", "irregular_status"],
        "vulnerability_notes": "Many live-in workers cannot leave the employer's home without permission; passports often held by employers.",
        "networks": "Church groups in Jabal Al Weibdeh; Filipino workers' association; weekend gatherings in downtown Amman.",
        "trusted_channels": "Facebook groups, church announcements, embassy hotline",
        "media": "Facebook, TikTok, OFW radio programmes online",
        "phone_use_pct": 96,
        "smartphone_pct": 90,
        "apps": "Facebook Messenger, WhatsApp, Viber",
        "religious_needs": "Catholic mass on Fridays and Sundays",
        "dietary_needs": "Rice staple",
        "fear_of_enforcement": "high",
        "past_emergency_experience": "Winter storm 2022: workers could not reach shelters without employer consent.",
        "consular_presence": "Philippine Embassy in Amman; Migrant Workers Office shelter",
        "focal": ["Filipino Workers' Association of Jordan", "Fr. Ramon Dizon"],
    },
    {
        "name": "Egyptian agricultural workers in the Jordan Valley",
        "origin": ["EG"],
        "languages": ["arz", "ar"],
        "areas": ["JO12", "JO21"],
        "estimated_size": 48000,
        "size_source": "Labour inspection estimate",
        "female_pct": 4,
        "children_pct": 3,
        "literacy_rate": 61,
        "literacy_notes": "Spoken Egyptian Arabic; many read Arabic with difficulty",
        "sectors": ["agriculture"],
        "housing": "employer",
        "vulnerabilities": ["working_conditions", "no_health_cover", "irregular_status"],
        "vulnerability_notes": "Seasonal work, tents and farm housing near flood-prone wadis; heat exposure.",
        "networks": "Village-of-origin networks; foremen (rayyis) recruit and house crews.",
        "trusted_channels": "Foremen, WhatsApp voice notes, mosque",
        "media": "Egyptian satellite TV, WhatsApp",
        "phone_use_pct": 88,
        "smartphone_pct": 60,
        "apps": "WhatsApp",
        "religious_needs": "Friday prayers",
        "fear_of_enforcement": "high",
        "past_emergency_experience": "Flash floods in the Jordan Valley, 2018.",
        "consular_presence": "Embassy of Egypt, Amman",
        "focal": [],
    },
    {
        "name": "Sri Lankan garment workers in Al Hassan Industrial Estate",
        "origin": ["LK"],
        "languages": ["si", "ta"],
        "areas": ["JO21"],
        "estimated_size": 9000,
        "size_source": "Factory dormitory registers (aggregated)",
        "female_pct": 85,
        "children_pct": 0,
        "literacy_rate": 92,
        "literacy_notes": "Read Sinhala or Tamil; basic English",
        "sectors": ["manufacturing"],
        "housing": "employer",
        "vulnerabilities": ["language", "debt"],
        "networks": "Buddhist temple committee; dormitory representatives",
        "trusted_channels": "Dormitory supervisors, Viber groups",
        "media": "Sri Lankan radio online",
        "phone_use_pct": 95,
        "smartphone_pct": 84,
        "apps": "Viber, IMO, WhatsApp",
        "religious_needs": "Buddhist and Hindu observances",
        "dietary_needs": "Vegetarian options",
        "fear_of_enforcement": "medium",
        "past_emergency_experience": "COVID-19 lockdown in dormitories, 2020.",
        "consular_presence": "Embassy of Sri Lanka, Amman",
        "focal": ["Al Hassan Buddhist Welfare Committee"],
    },
    {
        "name": "Bangladeshi garment workers in Irbid and Zarqa",
        "origin": ["BD"],
        "languages": ["bn"],
        "areas": ["JO21", "JO13"],
        "estimated_size": 22000,
        "size_source": "Ministry of Labour, 2025",
        "female_pct": 70,
        "literacy_rate": 74,
        "literacy_notes": "Read Bengali; little English or Arabic",
        "sectors": ["manufacturing"],
        "housing": "employer",
        "vulnerabilities": ["language", "debt", "documents_held"],
        "networks": "Bangladeshi workers' welfare association",
        "trusted_channels": "Association leaders, IMO groups",
        "media": "IMO, Facebook",
        "phone_use_pct": 93,
        "smartphone_pct": 70,
        "apps": "IMO, Facebook",
        "religious_needs": "Friday prayers; Ramadan shifts",
        "dietary_needs": "Halal",
        "fear_of_enforcement": "medium",
        "consular_presence": "Embassy of Bangladesh, Amman",
        "focal": [],
    },
    {
        "name": "Sudanese and Yemeni asylum seekers in East Amman",
        "origin": ["SD", "YE"],
        "languages": ["apd", "ar", "bej"],
        "areas": ["JO11"],
        "estimated_size": 12000,
        "size_source": "Partner NGO caseloads (aggregated)",
        "female_pct": 45,
        "children_pct": 38,
        "elderly_pct": 4,
        "literacy_rate": 70,
        "literacy_notes": "Arabic script readers; some Beja speakers do not read",
        "sectors": ["informal"],
        "housing": "rented",
        "vulnerabilities": ["irregular_status", "detention", "no_health_cover", "children"],
        "networks": "Community centres in Hashmi Shamali and Jabal Al Nasr",
        "trusted_channels": "Community centre volunteers, WhatsApp groups",
        "media": "WhatsApp",
        "phone_use_pct": 80,
        "smartphone_pct": 62,
        "apps": "WhatsApp, Telegram",
        "fear_of_enforcement": "high",
        "past_emergency_experience": "Winter flooding of basement flats, 2019 and 2022.",
        "consular_presence": "None relied upon",
        "focal": ["Sudanese Community Centre, Hashmi"],
    },
    {
        "name": "Ethiopian and Eritrean domestic workers",
        "origin": ["ET", "ER"],
        "languages": ["am", "om", "ti"],
        "areas": ["JO11", "JO13"],
        "estimated_size": 7000,
        "size_source": "Embassy and NGO estimates",
        "female_pct": 95,
        "literacy_rate": 68,
        "literacy_notes": "Amharic (Ge'ez script) readers; Oromo in Latin script",
        "sectors": ["domestic_work"],
        "housing": "live_in",
        "vulnerabilities": ["isolation", "documents_held", "irregular_status", "language"],
        "trusted_channels": "Orthodox church, Telegram channels",
        "media": "Telegram, Facebook",
        "phone_use_pct": 85,
        "smartphone_pct": 75,
        "apps": "Telegram, IMO",
        "religious_needs": "Orthodox fasting periods",
        "fear_of_enforcement": "high",
        "consular_presence": "Embassy of Ethiopia, Amman",
        "focal": [],
    },
]

CONTACT_TEMPLATES = [
    (
        "Filipino Workers' Association of Jordan",
        "organisation",
        "migrant_association",
        "",
        ["fil", "en"],
        ["JO11"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "Fr. Ramon Dizon",
        "individual",
        "faith",
        "Church of the Annunciation, Jabal Al Weibdeh",
        ["fil", "en", "ar"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Al Hassan Buddhist Welfare Committee",
        "organisation",
        "faith",
        "",
        ["si", "ta"],
        ["JO21"],
        "high",
        "informal",
        False,
    ),
    (
        "Sudanese Community Centre, Hashmi",
        "organisation",
        "migrant_association",
        "",
        ["ar", "apd"],
        ["JO11"],
        "medium",
        "informal",
        False,
    ),
    (
        "Bangladeshi Workers' Welfare Association",
        "organisation",
        "migrant_association",
        "",
        ["bn"],
        ["JO21", "JO13"],
        "medium",
        "none",
        False,
    ),
    (
        "Ethiopian Orthodox Community of Amman",
        "organisation",
        "faith",
        "",
        ["am", "ti"],
        ["JO11"],
        "medium",
        "none",
        False,
    ),
    (
        "Workers' Rights Centre hotline",
        "organisation",
        "ngo",
        "Workers' Rights Centre",
        ["ar", "en", "bn", "si"],
        ["JO11", "JO21"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "Jordan Valley Farmers' Cooperative",
        "organisation",
        "employer",
        "",
        ["ar"],
        ["JO12"],
        "medium",
        "none",
        False,
    ),
    (
        "Golden Needle Garments Ltd. HR office",
        "organisation",
        "employer",
        "",
        ["ar", "en", "bn"],
        ["JO21"],
        "low",
        "none",
        False,
    ),
    (
        "Manila-Amman Manpower Services",
        "organisation",
        "recruiter",
        "",
        ["fil", "en", "ar"],
        ["JO11"],
        "low",
        "none",
        False,
    ),
    (
        "Radio Al Balad community radio",
        "organisation",
        "media",
        "",
        ["ar", "en"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Irbid Municipality social services",
        "organisation",
        "local_authority",
        "",
        ["ar"],
        ["JO21"],
        "high",
        "mou_draft",
        False,
    ),
    (
        "Zarqa Health Directorate migrant desk",
        "organisation",
        "health",
        "",
        ["ar", "en"],
        ["JO13"],
        "medium",
        "none",
        True,
    ),
    (
        "Embassy of Sri Lanka, labour section",
        "organisation",
        "consulate",
        "",
        ["si", "ta", "en"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Embassy of Bangladesh, welfare wing",
        "organisation",
        "consulate",
        "",
        ["bn", "en"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Philippine Embassy assistance to nationals",
        "organisation",
        "consulate",
        "",
        ["fil", "en"],
        ["JO11"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "National Red Crescent, Irbid branch",
        "organisation",
        "red_cross",
        "",
        ["ar", "en"],
        ["JO21"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "National Red Crescent, Amman branch",
        "organisation",
        "red_cross",
        "",
        ["ar", "en"],
        ["JO11"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "Caritas migrant programme",
        "organisation",
        "ngo",
        "",
        ["ar", "en", "fil", "am"],
        ["JO11", "JO13"],
        "high",
        "mou_signed",
        False,
    ),
    (
        "Collateral Repair Project",
        "organisation",
        "ngo",
        "",
        ["ar", "en"],
        ["JO11"],
        "medium",
        "informal",
        False,
    ),
    (
        "Sister Almaz Tesfaye",
        "individual",
        "community_leader",
        "Ethiopian Orthodox Community of Amman",
        ["am", "om"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Mohammed Abdelrahim",
        "individual",
        "community_leader",
        "Sudanese Community Centre, Hashmi",
        ["ar", "apd"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Rashed Karim",
        "individual",
        "community_leader",
        "Bangladeshi Workers' Welfare Association",
        ["bn", "ar"],
        ["JO21"],
        "medium",
        "none",
        False,
    ),
    (
        "Kamala Perera",
        "individual",
        "community_leader",
        "Al Hassan Buddhist Welfare Committee",
        ["si", "en"],
        ["JO21"],
        "high",
        "informal",
        False,
    ),
    (
        "Maricel Bautista",
        "individual",
        "community_leader",
        "Filipino Workers' Association of Jordan",
        ["fil", "en"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
    (
        "Hassan El-Sayed",
        "individual",
        "community_leader",
        "Egyptian workers in Deir Alla",
        ["arz", "ar"],
        ["JO12"],
        "medium",
        "none",
        False,
    ),
    (
        "Aqaba Port workers' committee",
        "organisation",
        "migrant_association",
        "",
        ["ar", "arz", "ur"],
        ["JO34"],
        "medium",
        "none",
        False,
    ),
    (
        "Mafraq Field Hospital outreach",
        "organisation",
        "health",
        "",
        ["ar", "en"],
        ["JO22"],
        "high",
        "mou_signed",
        True,
    ),
    ("Madaba Church Council", "organisation", "faith", "", ["ar", "en"], ["JO14"], "medium", "none", False),
    (
        "Karak Governorate emergency room",
        "organisation",
        "local_authority",
        "",
        ["ar"],
        ["JO31"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "IOM Jordan migrant assistance",
        "organisation",
        "international",
        "",
        ["ar", "en", "fr"],
        ["JO11", "JO21", "JO13"],
        "high",
        "mou_signed",
        True,
    ),
    (
        "Nepali Society in Jordan",
        "organisation",
        "migrant_association",
        "",
        ["ne", "hi"],
        ["JO11"],
        "medium",
        "none",
        False,
    ),
    (
        "Pakistani construction workers' network",
        "organisation",
        "migrant_association",
        "",
        ["ur", "pa"],
        ["JO13", "JO11"],
        "low",
        "none",
        False,
    ),
    (
        "Indonesian Embassy citizen services",
        "organisation",
        "consulate",
        "",
        ["id", "en"],
        ["JO11"],
        "high",
        "informal",
        False,
    ),
]

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


def geo_files():
    """Boundary files of the shared reference data, when the project sits beside it."""
    root = Path(settings.BASE_DIR).parent / "shared" / "data" / "geo"
    return root / "geo_jor_admbnda_adm1_jdos.geojson", root / "geo_world_countries_iso3.geojson"


@transaction.atomic
def load(stdout=None):
    write = stdout.write if stdout else (lambda *_: None)
    rng = random.Random(2026)
    ensure_countries()
    countries = {c.code: c for c in Country.objects.all()}
    jordan = countries["JO"]
    for pcode, name, local in JORDAN_AREAS:
        AdminArea.objects.update_or_create(
            pcode=pcode, defaults={"country": jordan, "name": name, "name_local": local, "level": 1}
        )
    adm1, world = geo_files()
    if adm1.exists():
        import_boundaries(json.loads(adm1.read_text(encoding="utf-8")), jordan, level=1)
    if world.exists():
        load_country_outlines(json.loads(world.read_text(encoding="utf-8")))
    areas = {a.pcode: a for a in AdminArea.objects.all()}

    branding = Branding.current()
    if branding.pk is None:
        branding.owner_name = "Civil Defence Directorate and partners"
        branding.save()

    orgs = {}
    for key, name, short, kind, parent, jurisdiction in HOST_ORGS:
        org, _ = Organisation.objects.update_or_create(
            short_name=short,
            defaults={"name": name, "kind": kind, "country": jordan, "parent": orgs.get(parent)},
        )
        org.jurisdiction_areas.set([areas[p] for p in jurisdiction])
        orgs[key] = org
    for key, name, short, kind, parent, country, jurisdiction in HOME_POSTS:
        org, _ = Organisation.objects.update_or_create(
            short_name=short,
            defaults={"name": name, "kind": kind, "country": countries[country], "parent": orgs.get(parent)},
        )
        org.jurisdiction_countries.set([countries[c] for c in jurisdiction])
        orgs[key] = org
    _ministry_branding(orgs["mfa-ph"])

    User = get_user_model()
    for username, org_key, role, scope, superuser in USERS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.invalid"}
        )
        user.set_password(PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.first_name = username.capitalize()
        user.save()
        StaffProfile.objects.update_or_create(
            user=user, defaults={"organisation": orgs[org_key], "role": role, "scope": scope}
        )
        from lifeline.core.otp import issue_backup_codes

        issue_backup_codes(user, BACKUP_CODES)

    with acting_as(None, via="demo"):
        contacts = _contacts(orgs, areas, rng)
        _communities(orgs, areas, countries, contacts)
        _interpreters(orgs, areas, rng)
        for app in DEMO_APPS:
            if importlib.util.find_spec(f"lifeline.{app}.demo") is not None:
                importlib.import_module(f"lifeline.{app}.demo").load(
                    orgs=orgs, areas=areas, countries=countries, rng=rng, write=write
                )
    write("Demo data loaded.\n")


def _lang(code):
    return Language.lookup(code)


def _phone(rng, prefix="+9627"):
    """A random number that the product's own validation accepts."""
    from lifeline.core.phones import e164_or_none

    while True:
        number = f"{prefix}{rng.choice('789')}{rng.randrange(1000000, 9999999)}"
        if e164_or_none(number):
            return number


def _ascii(text):
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _contacts(orgs, areas, rng):
    from lifeline.directory.models import KeyContact

    today = datetime.date(2026, 11, 1)
    owners = [orgs["jcd"], orgs["jcd-amman"], orgs["jcd-irbid"], orgs["tamkeen"], orgs["crescent"]]
    found = {}
    for index, (name, kind, category, affiliation, langs, pcodes, trust, agreement, h24) in enumerate(
        CONTACT_TEMPLATES
    ):
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
        channels = [{"type": "phone", "value": _phone(rng)}]
        channels.append({"type": "whatsapp" if index % 3 else "telegram", "value": _phone(rng)})
        channels.append({"type": "email", "value": f"{slug}@example.org"})
        owner = owners[index % len(owners)] if index % 4 else orgs["jcd"]
        contact, _ = KeyContact.objects.update_or_create(
            organisation=owner,
            name=name,
            defaults={
                "kind": kind,
                "category": category,
                "affiliation": affiliation,
                "trust_level": trust,
                "agreement_status": agreement,
                "available_24_7": h24,
                "channels": channels,
                "last_verified": today - datetime.timedelta(days=(index * 23) % 400),
                "capacity": "Can relay warnings to members within hours"
                if kind == "organisation"
                else "Trusted voice; relays messages by phone",
            },
        )
        contact.languages.set([_lang(c) for c in langs])
        contact.coverage_areas.set([areas[p] for p in pcodes])
        found[name] = contact
    return found


def _communities(orgs, areas, countries, contacts):
    from lifeline.communities.models import CommunityProfile
    from lifeline.communities.services import record_version

    fields = {f.name for f in CommunityProfile._meta.concrete_fields}
    for data in COMMUNITIES:
        data = dict(data)
        origin, langs, pcodes, focal = (
            data.pop("origin"),
            data.pop("languages"),
            data.pop("areas"),
            data.pop("focal"),
        )
        defaults = {k: v for k, v in data.items() if k in fields and k != "name"}
        defaults["size_date"] = datetime.date(2026, 6, 30)
        profile, created = CommunityProfile.objects.update_or_create(
            organisation=orgs["jcd"], name=data["name"], defaults=defaults
        )
        profile.origin_countries.set([countries[c] for c in origin])
        profile.languages.set([_lang(c) for c in langs])
        profile.areas.set([areas[p] for p in pcodes])
        profile.focal_points.set([contacts[n] for n in focal if n in contacts])
        if created or not profile.versions.exists():
            record_version(profile, note="Profile from key-informant interviews, June 2026")


def _interpreters(orgs, areas, rng):
    from lifeline.interpreters.models import AvailabilityWindow, Deployment, Interpreter, LanguagePair

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


def _ministry_branding(ministry):
    """Give the demo ministry its own name, logo and colours (once); its posts inherit them."""
    if ministry.brand_name:
        return
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    name, primary, accent = MINISTRY_BRAND
    image = Image.new("RGB", (96, 96), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 90, 90), fill=primary)
    draw.polygon(
        [(48, 18), (56, 40), (78, 40), (60, 54), (67, 76), (48, 62), (29, 76), (36, 54), (18, 40), (40, 40)],
        fill="#fcd116",
    )
    data = io.BytesIO()
    image.save(data, "PNG")
    ministry.brand_name, ministry.brand_primary_colour, ministry.brand_accent_colour = name, primary, accent
    ministry.brand_logo.save("logo.png", ContentFile(data.getvalue()), save=False)
    ministry.save(update_fields=["brand_name", "brand_logo", "brand_primary_colour", "brand_accent_colour"])
