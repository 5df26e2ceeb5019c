import pytest
from django.urls import reverse

from lifeline.communities.models import CommunityProfile, ProfileVersion
from lifeline.communities.tests.helpers import form_data
from lifeline.core.models import AuditEntry, Role
from lifeline.directory.models import KeyContact


def test_list_shows_own_organisation_only(login, make_user, org_a, org_b, profile_a):
    CommunityProfile.objects.create(organisation=org_b, name="Other agency's community")
    response = login(make_user(org_a)).get(reverse("communities:list"))
    assert response.status_code == 200
    assert b"Filipino domestic workers in Amman" in response.content
    assert b"Other agency" not in response.content


@pytest.mark.parametrize("name", ["communities:edit", "communities:versions", "communities:compare"])
def test_other_organisation_gets_404(login, make_user, org_b, profile_a, name):
    # org_b may read the profile itself (shared knowledge of its country: test_shared_knowledge.py),
    # never edit it or read its history.
    client = login(make_user(org_b, role=Role.COORDINATOR))
    assert client.get(reverse(name, args=[profile_a.pk])).status_code == 404


def test_other_organisation_cannot_delete_or_see_a_version(login, make_user, org_b, profile_a):
    client = login(make_user(org_b, role=Role.COORDINATOR))
    assert client.post(reverse("communities:delete", args=[profile_a.pk])).status_code == 404
    assert client.get(reverse("communities:version", args=[profile_a.pk, 1])).status_code == 404
    assert CommunityProfile.objects.filter(pk=profile_a.pk).exists()


def test_viewer_can_read_but_not_edit(login, make_user, org_a, profile_a):
    client = login(make_user(org_a, role=Role.VIEWER))
    assert client.get(reverse("communities:detail", args=[profile_a.pk])).status_code == 200
    assert client.get(reverse("communities:create")).status_code == 403
    assert client.get(reverse("communities:edit", args=[profile_a.pk])).status_code == 403
    assert (
        client.post(
            reverse("communities:edit", args=[profile_a.pk]), form_data(profile_a.organisation)
        ).status_code
        == 403
    )
    assert client.get(reverse("communities:import")).status_code == 403
    profile_a.refresh_from_db()
    assert profile_a.name == "Filipino domestic workers in Amman"


def test_detail_shows_fields_and_links_focal_points(login, make_user, org_a, profile_a, leader):
    body = login(make_user(org_a)).get(reverse("communities:detail", args=[profile_a.pk])).content.decode()
    assert reverse("contacts:detail", args=[leader.pk]) in body
    for text in (
        "12,000",  # grouped in the reader's locale
        "Embassy estimate",
        "85%",
        "Domestic work",
        "Live-in",
        "Amman (JO11)",
        "Philippines",
    ):
        assert text in body


def test_create_records_first_version_with_note(login, make_user, org_a, origins, leader, areas):
    user = make_user(org_a)
    data = form_data(
        org_a, focal_points=[leader.pk], areas=[areas["irbid"].pk], note="From the March interviews"
    )
    response = login(user).post(reverse("communities:create"), data)
    assert response.status_code == 302
    profile = CommunityProfile.objects.get(name="Nepali construction workers")
    assert profile.sectors == ["construction"] and profile.vulnerabilities == ["documents_held", "language"]
    assert list(profile.focal_points.all()) == [leader]
    version = profile.versions.get()
    assert (version.number, version.note, version.created_by) == (1, "From the March interviews", user)
    assert version.data["origin_countries"] == ["NP"] and version.data["languages"] == ["ne"]
    assert version.data["focal_points"] == ["Filipino Workers Association"]
    assert profile.version == 1
    assert AuditEntry.objects.filter(action="create", object_id=str(profile.pk)).exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"female_pct": "150"}, "female_pct", "Enter a percentage from 0 to 100."),
        ({"literacy_rate": "101"}, "literacy_rate", "Enter a percentage from 0 to 100."),
        ({"children_pct": "60", "elderly_pct": "50"}, "elderly_pct", "cannot add up to more than 100%"),
        (
            {"phone_use_pct": "50", "smartphone_pct": "70"},
            "smartphone_pct",
            "More people cannot have a smartphone",
        ),
        ({"female_pct": "-3"}, "female_pct", "greater than or equal to 0"),
        ({"origin_countries": "PH, XX"}, "origin_countries", "“XX” is not a country we know."),
        ({"languages": "qqq"}, "languages", "is not a language we know"),
        ({"sectors": ["mining"]}, "sectors", "Select a valid choice"),
    ],
)
def test_bad_input_shows_error_and_saves_nothing(login, make_user, org_a, origins, overrides, field, message):
    response = login(make_user(org_a)).post(reverse("communities:create"), form_data(org_a, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "has-error" in response.content.decode()
    assert not CommunityProfile.objects.exists()
    assert not ProfileVersion.objects.exists()


def test_focal_points_are_limited_to_visible_contacts(login, make_user, org_a, org_b, origins, leader):
    hidden = KeyContact.objects.create(organisation=org_b, name="Other agency's leader")
    response = login(make_user(org_a)).post(
        reverse("communities:create"), form_data(org_a, focal_points=[hidden.pk])
    )
    assert response.status_code == 200
    assert "focal_points" in response.context["form"].errors
    form = login(make_user(org_a)).get(reverse("communities:create")).context["form"]
    assert list(form.fields["focal_points"].queryset) == [leader]
    assert not CommunityProfile.objects.exists()


def test_edit_records_a_version_and_compare_highlights_changes(login, make_user, org_a, profile_a, leader):
    client = login(make_user(org_a))
    data = form_data(
        org_a,
        name=profile_a.name,
        origin_countries="PH",
        languages="fil, en",
        estimated_size="15000",
        female_pct="85",
        focal_points=[leader.pk],
        note="New embassy figure",
    )
    assert client.post(reverse("communities:edit", args=[profile_a.pk]), data).status_code == 302
    assert list(profile_a.versions.values_list("number", flat=True)) == [2, 1]
    profile_a.refresh_from_db()
    assert profile_a.version == 2 and profile_a.estimated_size == 15000

    response = client.get(reverse("communities:compare", args=[profile_a.pk]), {"a": 1, "b": 2})
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["estimated_size"].changed and (rows["estimated_size"].old, rows["estimated_size"].new) == (
        "12000",
        "15000",
    )
    assert rows["sectors"].changed and rows["sectors"].new == "Construction"
    assert not rows["name"].changed and not rows["languages"].changed and not rows["focal_points"].changed
    body = response.content.decode()
    assert body.count('class="changed"') == sum(row.changed for row in rows.values())
    assert "New embassy figure" in body

    history = client.get(reverse("communities:versions", args=[profile_a.pk])).content.decode()
    assert "New embassy figure" in history and "first" in history
    one = client.get(reverse("communities:version", args=[profile_a.pk, 1]))
    assert {row.name: row.new for row in one.context["rows"]}["estimated_size"] == "12000"


def test_delete_removes_profile_and_its_versions(login, make_user, org_a, profile_a):
    response = login(make_user(org_a)).post(reverse("communities:delete", args=[profile_a.pk]))
    assert response.status_code == 302
    assert not CommunityProfile.objects.exists() and not ProfileVersion.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(profile_a.pk)).exists()


def test_filters(login, make_user, org_a, profile_a, areas, origins):
    other = CommunityProfile.objects.create(organisation=org_a, name="Sri Lankan garment workers")
    other.origin_countries.set([origins["LK"]])
    other.areas.set([areas["irbid"]])
    client = login(make_user(org_a))

    def names(**params):
        return [p.name for p in client.get(reverse("communities:list"), params).context["object_list"]]

    assert names() == ["Filipino domestic workers in Amman", "Sri Lankan garment workers"]
    assert names(q="garment") == ["Sri Lankan garment workers"]
    assert names(area=areas["amman"].pk) == ["Filipino domestic workers in Amman"]
    assert names(language="tl") == ["Filipino domestic workers in Amman"]
    assert names(origin="lka") == ["Sri Lankan garment workers"]
    assert names(no_focal_point="on") == ["Sri Lankan garment workers"]


def test_list_paginates(login, make_user, org_a):
    CommunityProfile.objects.bulk_create(
        CommunityProfile(organisation=org_a, name=f"Group {i:02}") for i in range(30)
    )
    client = login(make_user(org_a))
    first = client.get(reverse("communities:list"))
    second = client.get(reverse("communities:list"), {"page": 2})
    assert len(first.context["object_list"]) == 25 and len(second.context["object_list"]) == 5
    assert b'rel="next"' in first.content
