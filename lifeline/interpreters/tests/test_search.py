import datetime

from django.urls import reverse
from django.utils import timezone

from lifeline.communities.models import CommunityProfile
from lifeline.core.models import Language, Role
from lifeline.geo.models import AdminArea
from lifeline.interpreters.models import AvailabilityWindow, Interpreter
from lifeline.interpreters.services import find_interpreters, language_gaps, resolve_language

from .conftest import make_interpreter

MONDAY_10 = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))  # a Monday


def test_language_names_and_codes_resolve():
    assert resolve_language("Tagalog") == "fil"
    assert resolve_language("tl") == "fil"
    assert resolve_language("Spanish") == "es"
    assert resolve_language("no such language") is None


def test_in_area_available_medical_ranks_above_remote(org_a, areas):
    local = make_interpreter(
        org_a,
        "Local medic",
        pairs=[("fil", "es", True, 3)],
        home_area=areas["amman"],
        specialisations=["medical"],
    )
    AvailabilityWindow.objects.create(
        interpreter=local, weekday=0, start=datetime.time(8), end=datetime.time(18)
    )
    make_interpreter(
        org_a,
        "Remote one",
        pairs=[("tl", "es", False, 4)],
        home_area=areas["irbid"],
        modalities=["remote_phone"],
        always_available=True,
    )
    make_interpreter(
        org_a, "Irbid not remote", pairs=[("fil", "es")], home_area=areas["irbid"], always_available=True
    )
    make_interpreter(org_a, "Wrong direction", pairs=[("es", "fil", False)], home_area=areas["amman"])
    make_interpreter(org_a, "No pair", pairs=[("ar", "en")], home_area=areas["amman"])
    make_interpreter(
        org_a, "Not contactable", pairs=[("fil", "es")], home_area=areas["amman"], consent_contact=False
    )

    matches = find_interpreters(
        Interpreter.objects.all(),
        "Tagalog",
        "es",
        area=areas["amman"],
        specialisation="medical",
        when=MONDAY_10,
    )
    assert [m.interpreter.full_name for m in matches] == ["Local medic", "Remote one"]
    best, remote = matches
    assert best.reasons == ["in_area", "available", "medical"] and best.score > remote.score
    assert remote.remote and "remote" in remote.reasons

    nobody_remote = find_interpreters(
        Interpreter.objects.all(), "fil", "es", area=areas["amman"], remote_ok=False, when=MONDAY_10
    )
    assert [m.interpreter.full_name for m in nobody_remote] == ["Local medic"]


def test_available_now_and_district_inside_province(org_a, areas, jordan):
    district = AdminArea.objects.create(
        country=jordan, pcode="JO1101", name="Marka", level=2, parent=areas["amman"]
    )
    make_interpreter(
        org_a, "District, on call", pairs=[("fil", "es")], home_area=district, always_available=True
    )
    make_interpreter(org_a, "Amman, weekends", pairs=[("fil", "es")], home_area=areas["amman"])
    matches = find_interpreters(
        Interpreter.objects.all(), "fil", "es", area=areas["amman"], available_now=True, when=MONDAY_10
    )
    assert [(m.interpreter.full_name, m.in_area) for m in matches] == [("District, on call", True)]


def test_search_page_shows_ranked_badges_and_resolves_names(login, make_user, org_a, org_b, maria, areas):
    make_interpreter(org_b, "Other agency", pairs=[("fil", "es")], always_available=True)
    client = login(make_user(org_a, role=Role.VIEWER))
    response = client.get(
        reverse("interpreters:search"),
        {
            "source": "Tagalog",
            "target": "Spanish",
            "area": areas["amman"].pk,
            "remote_ok": "on",
            "specialisation": "medical",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Maria Santos" in body and "Other agency" not in body
    assert "in the area" in body and "available now" in body and "Medical" in body
    assert "+962791234567" not in body

    bad = client.get(reverse("interpreters:search"), {"source": "Qwertyish"}).content.decode()
    assert "is not a language we know" in bad


def test_language_gaps_lists_languages_nobody_interprets(org_a, areas, maria):
    nepali = CommunityProfile.objects.create(organisation=org_a, name="Nepali workers", estimated_size=900)
    nepali.languages.set([Language.lookup("ne")])
    nepali.areas.set([areas["amman"]])
    filipino = CommunityProfile.objects.create(
        organisation=org_a, name="Filipino workers", estimated_size=5000
    )
    filipino.languages.set([Language.lookup("tl")])
    filipino.areas.set([areas["amman"]])

    gaps = language_gaps(CommunityProfile.objects.all(), Interpreter.objects.all(), areas["amman"])
    assert [
        (language.code, [c.name for c in communities], people) for language, communities, people in gaps
    ] == [("ne", ["Nepali workers"], 900)]
    maria.active = False
    maria.save()
    gaps = language_gaps(CommunityProfile.objects.all(), Interpreter.objects.all(), areas["amman"])
    assert [language.code for language, _c, _p in gaps] == ["fil", "ne"]
