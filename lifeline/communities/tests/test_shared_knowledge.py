"""Shared knowledge is shared: community profiles and interpreters' languages are read by every
organisation whose jurisdiction covers their area; editing and personal details stay with the owner."""

import pytest
from django.urls import reverse

from lifeline.api.tests.conftest import api  # noqa: F401 - the fixture
from lifeline.communities.models import CommunityProfile
from lifeline.core.models import Language, Organisation, OrganisationKind, Role, Scope
from lifeline.directory.models import KeyContact
from lifeline.interpreters.models import Interpreter, LanguagePair


@pytest.fixture
def amman_branch(org_a, jordan, areas):
    branch = Organisation.objects.create(
        name="Civil Defence A, Amman branch",
        kind=OrganisationKind.CIVIL_PROTECTION,
        country=jordan,
        parent=org_a,
    )
    branch.jurisdiction_areas.set([areas["amman"]])
    return branch


@pytest.fixture
def knowledge(org_a, areas):
    """The directorate's profiles: two in Amman (one with an individual focal point), one in Irbid."""
    leader = KeyContact.objects.create(organisation=org_a, name="Rosa Dela Cruz", kind="individual")
    profiles = {}
    for key, name, area, language in (
        ("domestic", "Filipino domestic workers", "amman", "fil"),
        ("students", "Nepali students", "amman", "ne"),
        ("farm", "Egyptian farm workers", "irbid", "arz"),
    ):
        profile = CommunityProfile.objects.create(organisation=org_a, name=name, estimated_size=1000)
        profile.areas.set([areas[area]])
        profile.languages.set([Language.lookup(language)])
        profiles[key] = profile
    profiles["domestic"].focal_points.set([leader])
    interpreter = Interpreter.objects.create(
        organisation=org_a,
        full_name="Ana Tagalog",
        phone="+962790001234",
        email="ana@example.org",
        home_area=areas["amman"],
        consent_stored=True,
        consent_contact=True,
    )
    LanguagePair.objects.create(
        interpreter=interpreter, source=Language.lookup("fil"), target=Language.lookup("ar")
    )
    return {**profiles, "leader": leader, "interpreter": interpreter}


@pytest.fixture
def branch_officer(make_user, amman_branch):
    return make_user(amman_branch, Role.OFFICER)


def test_the_branch_officer_reads_the_directorates_profiles_for_their_area(login, branch_officer, knowledge):
    client = login(branch_officer)
    listed = client.get(reverse("communities:list"))
    names = {p.name for p in listed.context["object_list"]}
    assert names == {"Filipino domestic workers", "Nepali students"}
    detail = client.get(reverse("communities:detail", args=[knowledge["domestic"].pk]))
    assert detail.status_code == 200 and detail.context["can_change"] is False
    assert client.get(reverse("communities:detail", args=[knowledge["farm"].pk])).status_code == 404


def test_the_branch_officer_cannot_edit_or_delete_them(login, branch_officer, knowledge):
    client = login(branch_officer)
    profile = knowledge["domestic"]
    assert client.get(reverse("communities:edit", args=[profile.pk])).status_code == 404
    assert client.post(reverse("communities:edit", args=[profile.pk]), {"name": "Renamed"}).status_code == 404
    assert client.post(reverse("communities:delete", args=[profile.pk])).status_code == 404
    profile.refresh_from_db()
    assert profile.name == "Filipino domestic workers"


def test_the_home_page_gap_lists_use_the_same_rule(login, branch_officer, knowledge, areas):
    page = login(branch_officer).get(reverse("home"), {"area": areas["amman"].pk})
    assert {c.name for c in page.context["no_focal_point"]} == {"Nepali students"}
    gaps = {language.code for language, _communities, _people in page.context["language_gaps"]}
    assert gaps == {"ne"}  # Filipino is covered by the directorate's interpreter in Amman
    assert page.context["counts"]["communities"] == 2 and page.context["counts"]["interpreters"] == 1


def test_individuals_details_stay_with_the_owner(login, branch_officer, knowledge, make_user, org_a):
    client = login(branch_officer)
    detail = client.get(reverse("communities:detail", args=[knowledge["domestic"].pk])).content.decode()
    listed = client.get(reverse("communities:list")).content.decode()
    for text in (detail, listed):
        assert "Rosa Dela Cruz" not in text and "A person (name not shown)" in text
    interpreter = knowledge["interpreter"]
    page = client.get(reverse("interpreters:detail", args=[interpreter.pk]))
    assert page.status_code == 200 and page.context["show_personal"] is False
    text = page.content.decode()
    assert "Ana Tagalog" in text and interpreter.phone not in text and interpreter.email not in text
    assert client.get(reverse("interpreters:edit", args=[interpreter.pk])).status_code == 404
    export = client.get(reverse("interpreters:export"), {"format": "csv"}).content.decode()
    assert interpreter.phone not in export
    owner = login(make_user(org_a, Role.OFFICER)).get(reverse("interpreters:detail", args=[interpreter.pk]))
    assert interpreter.phone in owner.content.decode()


def test_immigration_reads_only_its_own(login, make_user, immigration, knowledge):
    client = login(make_user(immigration, Role.COORDINATOR, Scope.DEPLOYMENT))
    assert client.get(reverse("communities:list")).context["object_list"] is not None
    own = CommunityProfile.objects.create(organisation=immigration, name="Own survey")
    own.focal_points.set([knowledge["leader"]])
    page = client.get(reverse("communities:detail", args=[own.pk])).content.decode()
    assert "Rosa Dela Cruz" not in page and "A person (name not shown)" in page


def test_the_api_reads_the_same_way(api, branch_officer, knowledge):  # noqa: F811
    client = api(branch_officer)
    listed = client.get("/api/communities").json()["items"]
    assert {p["name"] for p in listed} == {"Filipino domestic workers", "Nepali students"}
    assert client.get(f"/api/communities/{knowledge['farm'].pk}").status_code == 404
    assert client.put(
        f"/api/communities/{knowledge['domestic'].pk}", {"name": "x"}, content_type="application/json"
    ).status_code in (403, 404, 422)
    interpreter = knowledge["interpreter"]
    got = client.get(f"/api/interpreters/{interpreter.pk}").json()
    assert got["full_name"] == "Ana Tagalog" and got["phone"] is None and got["email"] is None
    export = client.get("/api/interpreters/export").content.decode()
    assert interpreter.phone not in export and "Ana Tagalog" not in export
