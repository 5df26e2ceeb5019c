"""Demo data for community profiles: collective, from key-informant interviews (no individuals)."""

import datetime

from lifeline.communities.models import CommunityProfile
from lifeline.communities.services import record_version
from lifeline.core.demo import _lang
from lifeline.directory.models import KeyContact

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


def load(orgs, areas, countries, **_):
    contacts = {c.name: c for c in KeyContact.objects.all()}

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
