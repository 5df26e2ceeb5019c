"""Demo data: a host country (Jordan) and a home country (the Philippines).

Invented people and organisations in real places, built to look like a
deployment a few months after hand-over. Loading is idempotent.
"""

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
DEMO_APPS = [
    "directory",
    "communities",
    "interpreters",
    "nationals",
    "advice",
    "crises",
    "evacuation",
    "cases",
    "alerts",
    "messaging",
    "plans",
    "risk",
]

PASSWORD = "Lifeline-demo-2026"
# The ministry's own branding: its staff, its posts' staff and its public advice pages show it.
MINISTRY_BRAND = ("Department of Foreign Affairs, Republic of the Philippines", "#0038a8", "#a6620a")
BACKUP_CODES = [f"demo{n:04d}" for n in range(1, 21)]

# Jordan's governorates and their OCHA P-codes (facts); boundaries are loaded from a
# COD file when one is available (see geo_files()).
JORDAN_AREAS = [
    # P-code, name (boundary file), Arabic, French, Russian
    ("JO11", "Amman", "عمان", "Amman", "Амман"),
    ("JO12", "Al Balqa", "البلقاء", "Balqa", "Эль-Балка"),
    ("JO13", "Zarqa", "الزرقاء", "Zarka", "Эз-Зарка"),
    ("JO14", "Madaba", "مادبا", "Madaba", "Мадаба"),
    ("JO21", "Irbid", "إربد", "Irbid", "Ирбид"),
    ("JO22", "Al Mafraq", "المفرق", "Mafraq", "Эль-Мафрак"),
    ("JO23", "Jarash", "جرش", "Jerash", "Джераш"),
    ("JO24", "Ajloun", "عجلون", "Ajloun", "Аджлун"),
    ("JO31", "Al Karak", "الكرك", "Kerak", "Эль-Карак"),
    ("JO32", "At Tafilah", "الطفيلة", "Tafilé", "Эт-Тафила"),
    ("JO33", "Ma'an", "معان", "Maan", "Маан"),
    ("JO34", "Al Aqaba", "العقبة", "Aqaba", "Эль-Акаба"),
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
    for pcode, name, local, french, russian in JORDAN_AREAS:
        AdminArea.objects.update_or_create(
            pcode=pcode,
            defaults={
                "country": jordan,
                "name": name,
                "name_local": local,
                "names": {"fr": french, "ru": russian},
                "level": 1,
            },
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
    # The demo offers every shipped language (a deployment made before one shipped ticks it itself).
    branding.languages = [code for code, _name in settings.LANGUAGES]
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
