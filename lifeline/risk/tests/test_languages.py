"""Which languages are spoken in an area: the one function, on known data, and the staff table."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lifeline.core.models import AuditEntry, Language, Role
from lifeline.risk.languages import Figure, origin_languages, profiles_source, registrations_source, spoken_in
from lifeline.risk.models import OriginLanguage


def test_the_table_is_seeded_from_cldr(db):
    """The migration filled the table from CLDR's territory data, each row with its source."""
    philippines = {r.language: r for r in OriginLanguage.objects.filter(country="PH")}
    assert philippines["fil"].status == "official" and philippines["fil"].share == Decimal("60.00")
    assert philippines["en"].share == Decimal("64.00")
    assert "CLDR" in philippines["fil"].source
    assert {r.language for r in origin_languages("LK")} >= {"si", "ta", "en"}
    # Sri Lanka: Sinhala first.
    assert origin_languages("LK")[0].language == "si"


def _presence(people_by_origin):
    """A presence source as the exposure work will give one: people per origin country."""

    def source(user, areas):
        return [Figure("presence", "census 2025", n, origin=o) for o, n in people_by_origin.items()]

    return source


def test_origin_groups_become_languages_through_the_table(make_user, org_a, areas):
    planner = make_user(org_a)
    sources = [profiles_source, _presence({"LK": 1000})]
    spoken = {s.code: s for s in spoken_in(planner, [areas["amman"]], sources_=sources)}
    # 68% of Sri Lankans speak Sinhala (official: everyone in the group at the high end).
    assert (spoken["si"].people, spoken["si"].low, spoken["si"].high) == (680, 680, 1000)
    assert spoken["ta"].people == 150
    assert spoken["en"].high == 100  # not official: the share of the group at both ends
    assert spoken["si"].sources == [("presence", "census 2025", 680)]
    assert [s.code for s in spoken_in(planner, [areas["amman"]], sources_=sources)][:2] == ["si", "ta"]


def test_a_community_profile_overrides_the_table_for_its_origin(make_user, org_a, areas, philippines):
    from lifeline.communities.models import CommunityProfile

    planner = make_user(org_a)
    profile = CommunityProfile.objects.create(
        organisation=org_a, name="Sri Lankan Tamils", estimated_size=300
    )
    profile.languages.set([Language.lookup("ta")])
    profile.areas.set([areas["amman"]])
    lk, _created = type(philippines).objects.get_or_create(code="LK", defaults={"iso3": "LKA"})
    profile.origin_countries.set([lk])
    sources = [profiles_source, _presence({"LK": 1000, "PH": 200})]
    spoken = {s.code: s for s in spoken_in(planner, [areas["amman"]], sources_=sources)}
    # Sri Lankans: the profile's Tamil only (no Sinhala from the table); Filipinos through the table.
    assert "si" not in spoken
    assert spoken["ta"].people == 300 and spoken["ta"].sources == [("profile", "Sri Lankan Tamils", 300)]
    assert spoken["fil"].people == 120 and spoken["en"].people == 128
    # A profile with origins but no languages is an origin group: the table gives its languages.
    profile.languages.clear()
    spoken = {s.code: s for s in spoken_in(planner, [areas["amman"]], sources_=[profiles_source])}
    assert spoken["si"].people == 204 and spoken["si"].sources[0][1] == "Sri Lankan Tamils"


def test_registrations_are_counted_above_the_threshold_only(
    make_user, org_a, areas, post_amman, make_registration, settings, immigration
):
    settings.AGGREGATE_MIN_PEOPLE = 3
    for n in range(3):
        make_registration(post_amman, area=areas["amman"], given_names=f"Rosalinda {n}")
    make_registration(post_amman, area=areas["amman"], languages=["bn"])
    planner = make_user(org_a)
    spoken = spoken_in(planner, [areas["amman"]], sources_=[registrations_source])
    assert [(s.code, s.people, s.sources) for s in spoken] == [
        ("fil", 3, [("registrations", "registrations", 3)])
    ]
    assert spoken_in(make_user(immigration, role=Role.COORDINATOR), [areas["amman"]]) == []


def test_the_sources_are_a_setting(make_user, org_a, areas, settings):
    settings.RISK_LANGUAGE_SOURCES = ["lifeline.risk.tests.test_languages.nepali_source"]
    assert [(s.code, s.people) for s in spoken_in(make_user(org_a), [areas["amman"]])] == [("ne", 42)]


def nepali_source(user, areas):
    return [Figure("presence", "test", 42, language="ne")]


def test_a_coordinator_edits_the_table_and_the_audit_log_keeps_it(login, make_user, org_a):
    client = login(make_user(org_a, role=Role.COORDINATOR))
    page = client.get(reverse("risk:languages") + "?country=Sri+Lanka")
    assert page.status_code == 200 and "Sinhala" in page.content.decode()
    row = OriginLanguage.objects.get(country="LK", language="ta")
    response = client.post(
        reverse("risk:language_edit", args=[row.pk]),
        {
            "country": "Sri Lanka",
            "language": "Tamil",
            "share": "24.5",
            "status": "official",
            "source": "Census 2012",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.share, row.source) == (Decimal("24.50"), "Census 2012")
    entry = AuditEntry.objects.filter(object_type="risk.originlanguage", object_id=str(row.pk)).latest("at")
    assert set(entry.fields) >= {"share", "source"}
    # A new row; then the same language again is refused, nothing changed.
    response = client.post(
        reverse("risk:language_create"),
        {"country": "LK", "language": "Malay", "share": "0.3", "status": "", "source": "Survey"},
    )
    assert response.status_code == 302 and OriginLanguage.objects.filter(country="LK", language="ms").exists()
    count = OriginLanguage.objects.count()
    response = client.post(
        reverse("risk:language_create"),
        {"country": "LK", "language": "Malay", "share": "101", "status": "", "source": "Survey"},
    )
    assert response.status_code == 200 and OriginLanguage.objects.count() == count
    response = client.post(
        reverse("risk:language_create"),
        {"country": "LK", "language": "Malay", "share": "2", "status": "", "source": "Survey"},
    )
    assert "already in the table" in response.content.decode() and OriginLanguage.objects.count() == count
    # Removed.
    ms = OriginLanguage.objects.get(country="LK", language="ms")
    assert client.post(reverse("risk:language_edit", args=[ms.pk]), {"do": "delete"}).status_code == 302
    assert not OriginLanguage.objects.filter(pk=ms.pk).exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER])
def test_only_those_who_change_risk_edit_the_table(login, make_user, org_a, role):
    client = login(make_user(org_a, role=role))
    row = OriginLanguage.objects.get(country="LK", language="ta")
    assert client.get(reverse("risk:languages") + "?country=LK").status_code == 200
    assert client.post(reverse("risk:language_edit", args=[row.pk]), {"do": "delete"}).status_code == 403
    assert OriginLanguage.objects.filter(pk=row.pk).exists()


def test_presence_tables_are_a_source_of_the_languages(make_user, org_a, areas, philippines):
    """Two presence tables for Amman (census 2015: 1,000 Sri Lankans; survey 2024: 1,600) become
    one origin group with a range; a community profile naming Sri Lankans and their languages
    overrides the table for them, while Filipinos still come through the table."""
    import datetime

    from lifeline.communities.models import CommunityProfile
    from lifeline.risk.languages import presence_source
    from lifeline.risk.presence import import_presence

    lk, _created = type(philippines).objects.get_or_create(code="LK", defaults={"iso3": "LKA"})
    for data, name, source, date in (
        (
            b"pcode,nationality,count\nJO11,LK,1000\nJO11,PH,200\n",
            "c.csv",
            "Census",
            datetime.date(2015, 1, 1),
        ),
        (b"pcode,nationality,count\nJO11,LK,1600\n", "s.csv", "Survey", datetime.date(2024, 1, 1)),
    ):
        report = import_presence(data, name, org_a, "JO", source, date)
        assert not report.errors
    planner = make_user(org_a, role=Role.COORDINATOR)
    figures = {f.origin: f for f in presence_source(planner, [areas["amman"]])}
    lk_figure = figures["LK"]
    assert (lk_figure.people, lk_figure.low, lk_figure.high) == (1600, 1000, 1600)
    assert lk_figure.label == "Census (2015-01-01); Survey (2024-01-01)"
    assert presence_source(planner, [areas["irbid"]]) == []
    # the setting's sources, in order: profiles, presence, registrations
    spoken = {s.code: s for s in spoken_in(planner, [areas["amman"]])}
    # 68% of Sri Lankans speak Sinhala: the latest figure 1,600 → 1,088; low 680; official → high 1,600
    assert (spoken["si"].people, spoken["si"].low, spoken["si"].high) == (1088, 680, 1600)
    assert spoken["si"].source_keys == ["presence"]
    assert spoken["fil"].people == 120  # 200 Filipinos (census), 60% Filipino
    # A profile without languages, of the same origin: the same people, not added twice.
    profile = CommunityProfile.objects.create(
        organisation=org_a, name="Sri Lankan workers", estimated_size=2000
    )
    profile.areas.set([areas["amman"]])
    profile.origin_countries.set([lk])
    spoken = {s.code: s for s in spoken_in(planner, [areas["amman"]])}
    assert (spoken["si"].people, spoken["si"].low, spoken["si"].high) == (1360, 680, 2000)
    assert sorted(label for _k, label, _n in spoken["si"].sources) == [
        "Census (2015-01-01); Survey (2024-01-01)",
        "Sri Lankan workers",
    ]
    # With its languages named, the profile overrides the table for Sri Lankans.
    profile.languages.set([Language.lookup("ta")])
    spoken = {s.code: s for s in spoken_in(planner, [areas["amman"]])}
    assert "si" not in spoken and spoken["ta"].people == 2000 and spoken["ta"].source_keys == ["profile"]
    assert spoken["fil"].people == 120
    # Whoever does not read risk analysis gets no presence figures.
    assert presence_source(make_user(org_a, role=Role.PARTNER), [areas["amman"]]) == []


def test_all_areas_in_one_batched_pass(
    make_user, org_a, jordan, philippines, post_amman, make_registration, settings
):
    """spoken_in_each gives for every area what spoken_in gives for it alone, and reads the
    database the same number of times for two areas as for six (no per-area queries)."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lifeline.communities.models import CommunityProfile
    from lifeline.geo.models import AdminArea
    from lifeline.risk.languages import spoken_in_each
    from lifeline.risk.presence import import_presence

    settings.AGGREGATE_MIN_PEOPLE = 1
    lk, _created = type(philippines).objects.get_or_create(code="LK", defaults={"iso3": "LKA"})
    areas = []
    lines = ["pcode,nationality,count"]
    for n in range(6):
        top = AdminArea.objects.create(country=jordan, pcode=f"JO{n}0", name=f"Area {n}")
        inner = AdminArea.objects.create(country=jordan, pcode=f"JO{n}1", name=f"District {n}", parent=top)
        areas.append(top)
        lines.append(f"JO{n}1,LK,{100 * (n + 1)}")
        profile = CommunityProfile.objects.create(
            organisation=org_a, name=f"Nepali {n}", estimated_size=10 + n
        )
        profile.languages.set([Language.lookup("ne")])
        profile.areas.set([inner if n % 2 else top])
        if n % 3 == 0:
            bare = CommunityProfile.objects.create(
                organisation=org_a, name=f"Filipinos {n}", estimated_size=50
            )
            bare.origin_countries.set([philippines])
            bare.areas.set([top])
        make_registration(post_amman, area=inner if n % 2 else top, given_names=f"Rosa {n}")
    report = import_presence(
        "\n".join(lines).encode(), "t.csv", org_a, "JO", "Census", datetime.date(2020, 1, 1)
    )
    assert not report.errors
    planner = make_user(org_a, role=Role.COORDINATOR)

    def as_tuples(spoken):
        return [(s.code, s.people, s.low, s.high, sorted(s.sources)) for s in spoken]

    batched = spoken_in_each(planner, areas)
    for area in areas:
        assert as_tuples(batched[area.pk]) == as_tuples(spoken_in(planner, [area])), area.pcode
    assert {s.code for s in batched[areas[0].pk]} >= {"si", "ne", "fil"}
    counts = []
    for some in (areas[:2], areas):
        with CaptureQueriesContext(connection) as queries:
            spoken_in_each(planner, some)
        counts.append(len(queries))
    assert counts[0] == counts[1]
