from django.urls import reverse

from lifeline.core.models import AuditEntry, Role
from lifeline.nationals.models import PostDetails, haversine_km


def test_haversine_matches_a_known_distance():
    # Amman to Beirut is about 220 km as the crow flies.
    assert 210 < haversine_km(31.9539, 35.9106, 33.8938, 35.5018) < 230
    assert haversine_km(10, 20, 10, 20) == 0


def test_network_page_lists_the_services_posts(login, consul, post_amman, post_beirut, jordan, areas):
    post_amman.jurisdiction_areas.set([areas["amman"]])
    PostDetails.objects.create(
        organisation=post_beirut, emergency_phone="+96171555123", office_hours={"en": "Mon–Fri 8–16"}
    )
    response = login(consul).get(reverse("nationals:posts"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Embassy in Amman" in text and "Embassy in Beirut" in text
    assert "Amman" in text and "+96171555123" in text and "Mon–Fri 8–16" in text
    # Only the own post is editable by a post officer.
    assert reverse("nationals:post_edit", args=[post_amman.pk]) in text
    assert reverse("nationals:post_edit", args=[post_beirut.pk]) not in text


def test_post_officer_edits_own_post_details(login, consul, post_amman):
    client = login(consul)
    response = client.post(
        reverse("nationals:post_edit", args=[post_amman.pk]),
        {
            "emergency_phone": "+962 79 555 1234",
            "latitude": "31.95",
            "longitude": "35.91",
            "public_notes": "Hotline day and night",
            "hours_en": "Sun–Thu 8–16",
            "hours_ar": "الأحد–الخميس",
        },
    )
    assert response.status_code == 302
    details = PostDetails.objects.get(organisation=post_amman)
    assert details.emergency_phone == "+962795551234"
    assert details.office_hours == {"en": "Sun–Thu 8–16", "ar": "الأحد–الخميس"}
    assert AuditEntry.objects.filter(object_type="nationals.postdetails", action="create").exists()


def test_bad_post_details_are_refused_and_change_nothing(login, consul, post_amman):
    response = login(consul).post(
        reverse("nationals:post_edit", args=[post_amman.pk]),
        {
            "emergency_phone": "12",
            "latitude": "95",
            "longitude": "",
        },
    )
    assert response.status_code == 200
    assert "not a valid phone number" in response.content.decode()
    assert not PostDetails.objects.exists()


def test_other_post_and_viewer_cannot_edit(login, make_user, consul, post_amman, post_beirut):
    client = login(consul)
    assert client.get(reverse("nationals:post_edit", args=[post_beirut.pk])).status_code == 404
    viewer = make_user(post_amman, Role.VIEWER)
    client = login(viewer)
    assert client.get(reverse("nationals:posts")).status_code == 200
    assert (
        client.post(reverse("nationals:post_edit", args=[post_amman.pk]), {"emergency_phone": ""}).status_code
        == 403
    )


def test_public_list_sorts_by_distance_without_login(client, post_amman, post_beirut):
    PostDetails.objects.create(
        organisation=post_amman,
        latitude=31.9539,
        longitude=35.9106,
        office_hours={"en": "Sun–Thu", "ar": "الأحد"},
    )
    PostDetails.objects.create(organisation=post_beirut, latitude=33.8938, longitude=35.5018)
    near_beirut = client.get("/api/app/posts", {"lat": 33.5, "lon": 35.4}).json()
    assert [p["name"] for p in near_beirut] == ["Embassy in Beirut", "Embassy in Amman"]
    assert 40 < near_beirut[0]["distance_km"] < 50
    in_arabic = client.get("/api/app/posts", {"lat": 32, "lon": 36, "lang": "ar"}).json()
    assert in_arabic[0]["office_hours"] == "الأحد"


def test_public_list_by_country(client, post_amman, post_beirut):
    rows = client.get("/api/app/posts", {"country": "LB"}).json()
    assert [p["name"] for p in rows] == ["Embassy in Beirut"] and rows[0]["distance_km"] is None
    assert client.get("/api/app/posts", {"country": "XX"}).status_code == 422
    assert client.get("/api/app/posts", {"lat": 200, "lon": 0}).status_code == 422
