import pytest
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.evacuation import services
from lifeline.evacuation.models import (
    AssemblyPoint,
    ChildChecklist,
    Evacuee,
    EvacueeStatus,
    Transport,
)
from lifeline.plans.models import AnswerRecord


@pytest.fixture
def assigned(crisis, people, point, areas):
    services.assign_area(crisis, areas["amman"], point)
    return people


def test_the_crisis_page_shows_points_people_and_capacity(login, coordinator, crisis, assigned, point, bus):
    response = login(coordinator).get(reverse("evacuation:crisis", args=[crisis.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sports City gate 3" in page and "7 / 10" in page
    assert "Bus 1 (Bus)" in page
    assert reverse("evacuation:point_manifest", args=[point.pk, "pdf"]) in page
    assert reverse("evacuation:children", args=[crisis.pk]) in page
    assert 'action="/evacuation/crises/%s/assign/"' % crisis.pk in page


def test_the_index_lists_visible_crises_only(login, coordinator, immigration_user, crisis):
    assert "Flash floods in Amman" in login(coordinator).get(reverse("evacuation:index")).content.decode()
    assert (
        "Flash floods in Amman"
        not in login(immigration_user).get(reverse("evacuation:index")).content.decode()
    )


@pytest.mark.parametrize("who", ["beirut_officer", "other_ministry_user", "immigration_user"])
def test_others_cannot_see_the_evacuation(request, login, who, crisis, assigned, point, bus):
    client = login(request.getfixturevalue(who))
    checklist = ChildChecklist.objects.first()
    evacuee = Evacuee.objects.first()
    for url in (
        reverse("evacuation:crisis", args=[crisis.pk]),
        reverse("evacuation:children", args=[crisis.pk]),
        reverse("evacuation:point", args=[point.pk]),
        reverse("evacuation:transport", args=[bus.pk]),
        reverse("evacuation:checklist", args=[checklist.pk]),
        reverse("evacuation:point_create", args=[crisis.pk]),
        reverse("evacuation:unassigned", args=[crisis.pk]),
        reverse("evacuation:point_edit", args=[point.pk]),
        reverse("evacuation:transport_edit", args=[bus.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    response = client.post(reverse("evacuation:status", args=[evacuee.pk]), {"status": "boarded"})
    assert response.status_code in (403, 404)
    evacuee.refresh_from_db()
    assert evacuee.status == EvacueeStatus.TO_CONTACT


def test_the_ministry_sees_and_runs_its_posts_evacuation(login, ministry_user, crisis, assigned, point):
    client = login(ministry_user)
    assert client.get(reverse("evacuation:crisis", args=[crisis.pk])).status_code == 200
    evacuee = Evacuee.objects.get(registration=assigned["teen"])
    client.post(reverse("evacuation:status", args=[evacuee.pk]), {"status": "at_point"})
    evacuee.refresh_from_db()
    assert evacuee.status == EvacueeStatus.AT_POINT


def test_a_viewer_sees_but_cannot_change(login, viewer, crisis, assigned, point):
    client = login(viewer)
    page = client.get(reverse("evacuation:crisis", args=[crisis.pk])).content.decode()
    assert "Sports City gate 3" in page and "/assign/" not in page
    assert "PDF" not in page  # a viewer may not export
    evacuee = Evacuee.objects.get(registration=assigned["teen"])
    assert (
        client.post(reverse("evacuation:status", args=[evacuee.pk]), {"status": "boarded"}).status_code == 403
    )
    assert (
        client.post(
            reverse("evacuation:assign", args=[crisis.pk]), {"registration": assigned["teen"].pk}
        ).status_code
        == 403
    )
    assert client.get(reverse("evacuation:point_create", args=[crisis.pk])).status_code == 403
    checklist = ChildChecklist.objects.first()
    assert (
        client.post(
            reverse("evacuation:checklist", args=[checklist.pk]), {"key": "photo", "answer": "yes"}
        ).status_code
        == 403
    )
    assert not AnswerRecord.objects.exists()
    evacuee.refresh_from_db()
    assert evacuee.status == EvacueeStatus.TO_CONTACT


def test_a_post_that_only_sees_the_crisis_cannot_run_it(
    login, make_user, ministry, jordan, areas, crisis, assigned
):
    from lifeline.core.models import Organisation, OrganisationKind, Role

    neighbour = Organisation.objects.create(
        name="Consulate in Zarqa", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    neighbour.jurisdiction_areas.set([areas["amman"]])
    client = login(make_user(neighbour, Role.COORDINATOR))
    assert client.get(reverse("evacuation:crisis", args=[crisis.pk])).status_code == 200
    evacuee = Evacuee.objects.get(registration=assigned["teen"])
    assert (
        client.post(reverse("evacuation:status", args=[evacuee.pk]), {"status": "boarded"}).status_code == 404
    )
    assert (
        client.post(
            reverse("evacuation:assign", args=[crisis.pk]), {"registration": assigned["teen"].pk}
        ).status_code
        == 404
    )


def test_a_post_sharing_the_crisis_opens_only_the_places_of_its_own_people(
    login, make_user, ministry, jordan, areas, crisis, assigned, point, bus, make_registration
):
    """The lead's assembly points and transports list the lead's people: a post that shares the crisis
    sees them listed with their figures, and opens one (page and manifests) only once one of its own
    nationals is put on it, and then sees only its own."""
    from lifeline.core.models import Organisation, OrganisationKind, Role
    from lifeline.crises.services import materialise

    neighbour = Organisation.objects.create(
        name="Consulate in Zarqa", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    neighbour.jurisdiction_areas.set([areas["amman"]])
    client = login(make_user(neighbour, Role.COORDINATOR))
    urls = (
        reverse("evacuation:point", args=[point.pk]),
        reverse("evacuation:point_manifest", args=[point.pk, "csv"]),
        reverse("evacuation:transport", args=[bus.pk]),
        reverse("evacuation:transport_manifest", args=[bus.pk, "csv"]),
    )
    page = client.get(reverse("evacuation:crisis", args=[crisis.pk])).content.decode()
    assert "Sports City gate 3" in page and "Bus 1 (Bus)" in page
    assert not any(url in page for url in urls) and "/manifest." not in page
    for url in urls:
        assert client.get(url).status_code == 404, url

    own = make_registration(neighbour, given_names="Rosa", family_name="Zarqawi", area=areas["amman"])
    materialise(crisis)
    services.assign(crisis, [own.pk], point, bus)  # the ministry runs its posts' evacuation
    page = client.get(reverse("evacuation:crisis", args=[crisis.pk])).content.decode()
    assert all(url in page for url in urls)
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert "Zarqawi" in body.decode("utf-8-sig") and "Santos" not in body.decode("utf-8-sig"), url


def test_the_assembly_point_page_lists_people_with_big_status_buttons_and_audits(
    login, coordinator, assigned, point
):
    client = login(coordinator)
    page = client.get(reverse("evacuation:point", args=[point.pk])).content.decode()
    assert "Maria Santos" in page and "with 2 household members" in page
    assert 'name="status" value="boarded"' in page
    shown = AuditEntry.objects.filter(action="view", object_type="nationals.registration")
    assert shown.count() == 4
    evacuee = Evacuee.objects.get(registration=assigned["family"])
    response = client.post(
        reverse("evacuation:status", args=[evacuee.pk]),
        {"status": "boarded", "next": f"/evacuation/points/{point.pk}/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/evacuation/points/{point.pk}/"
    evacuee.refresh_from_db()
    assert evacuee.status == EvacueeStatus.BOARDED
    filtered = client.get(reverse("evacuation:point", args=[point.pk]) + "?status=boarded").content.decode()
    assert "Maria Santos" in filtered and "Ramon Cruz" not in filtered


def test_bad_status_and_foreign_redirects_are_refused(login, coordinator, assigned, point):
    client = login(coordinator)
    evacuee = Evacuee.objects.get(registration=assigned["family"])
    response = client.post(
        reverse("evacuation:status", args=[evacuee.pk]),
        {"status": "teleported", "next": "https://evil.example/"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose one of the statuses." in response.content.decode()
    assert response.redirect_chain[0][0] == f"/evacuation/points/{point.pk}/"
    evacuee.refresh_from_db()
    assert evacuee.status == EvacueeStatus.TO_CONTACT


def test_assigning_one_registration_from_the_page(login, coordinator, crisis, people, point, bus):
    client = login(coordinator)
    response = client.post(
        reverse("evacuation:assign", args=[crisis.pk]),
        {
            "registration": people["family"].pk,
            "assembly_point": point.pk,
            "transport": bus.pk,
            "seat": "4A-4C",
        },
    )
    assert response.status_code == 302
    evacuee = Evacuee.objects.get(registration=people["family"])
    assert (evacuee.assembly_point, evacuee.transport, evacuee.seat) == (point, bus, "4A-4C")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"registration": "abc"}, "Enter a whole number."),
        ({"registration": "99999999999999999999999"}, "Ensure this value is less than or equal to"),
        ({"registration": "OUTSIDE"}, "Not inside the crisis area"),
        ({"registration": "FAMILY", "assembly_point": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_assignments_get_a_clear_error_and_change_nothing(
    login, coordinator, crisis, people, point, data, message
):
    data = {"assembly_point": point.pk, **data}
    data["registration"] = {"OUTSIDE": people["outside"].pk, "FAMILY": people["family"].pk}.get(
        data["registration"], data["registration"]
    )
    response = login(coordinator).post(reverse("evacuation:assign", args=[crisis.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evacuee.objects.exists()


def test_a_full_point_says_so_on_the_page(login, coordinator, crisis, people, point, areas):
    point.capacity = 2
    point.save()
    response = login(coordinator).post(
        reverse("evacuation:assign_area", args=[crisis.pk]),
        {"area-area": areas["amman"].pk, "area-assembly_point": point.pk},
    )
    assert response.status_code == 400
    assert "is full: 2 places left, 7 people to place." in response.content.decode()
    assert not Evacuee.objects.exists()


def test_assigning_a_whole_area_from_the_page(login, coordinator, crisis, people, point, areas):
    response = login(coordinator).post(
        reverse("evacuation:assign_area", args=[crisis.pk]),
        {"area-area": areas["amman"].pk, "area-assembly_point": point.pk},
    )
    assert response.status_code == 302
    assert Evacuee.objects.filter(crisis=crisis).count() == 4


def test_creating_and_editing_points_and_transports(login, coordinator, crisis, point):
    client = login(coordinator)
    response = client.post(
        reverse("evacuation:point_create", args=[crisis.pk]),
        {
            "name": "Abdali mall car park",
            "capacity": "120",
            "location": "31.96, 35.91",
            "opens": "2026-12-01T08:00",
            "closes": "2026-12-01T20:00",
        },
    )
    assert response.status_code == 302
    created = AssemblyPoint.objects.get(name="Abdali mall car park")
    assert created.organisation == crisis.organisation and created.location == "31.96,35.91"
    assert AuditEntry.objects.filter(
        object_type="evacuation.assemblypoint", action="create", object_id=str(created.pk)
    ).exists()
    response = client.post(
        reverse("evacuation:transport_create", args=[crisis.pk]),
        {
            "kind": "flight",
            "name": "PR 659",
            "capacity": "180",
            "assembly_point": created.pk,
            "destination": "Manila",
        },
    )
    assert response.status_code == 302
    assert Transport.objects.get(name="PR 659").assembly_point == created
    response = client.post(
        reverse("evacuation:point_edit", args=[point.pk]), {"name": point.name, "capacity": "25"}
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.capacity == 25


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "X", "capacity": "0"}, "Capacity is between 1 and 100,000 people."),
        ({"name": "X", "capacity": "abc"}, "Enter a whole number."),
        (
            {"name": "X", "capacity": "10", "location": "somewhere"},
            "Write the location as latitude,longitude",
        ),
        ({"name": "X", "capacity": "10", "location": "95,200"}, "Write the location as latitude,longitude"),
        (
            {"name": "X", "capacity": "10", "opens": "2026-12-01T20:00", "closes": "2026-12-01T08:00"},
            "The point must close after it opens.",
        ),
        ({"name": "", "capacity": "10"}, "This field is required."),
        ({"name": "X", "capacity": "10", "opens": "yesterday"}, "Enter a valid date/time."),
    ],
)
def test_bad_points_get_a_clear_error(login, coordinator, crisis, data, message):
    response = login(coordinator).post(reverse("evacuation:point_create", args=[crisis.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AssemblyPoint.objects.exists()


def test_a_transport_cannot_leave_from_another_crisis_point(
    login, coordinator, crisis, point, post_amman, jordan
):
    from lifeline.crises.models import Crisis

    other = Crisis.objects.create(organisation=post_amman, name="Other", country=jordan)
    elsewhere = AssemblyPoint.objects.create(crisis=other, name="Elsewhere", capacity=5)
    response = login(coordinator).post(
        reverse("evacuation:transport_create", args=[crisis.pk]),
        {
            "kind": "bus",
            "name": "B2",
            "capacity": "40",
            "assembly_point": elsewhere.pk,
            "destination": "Aqaba",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Transport.objects.filter(name="B2").exists()


def test_capacity_cannot_drop_below_the_people_already_assigned(login, coordinator, crisis, assigned, point):
    response = login(coordinator).post(
        reverse("evacuation:point_edit", args=[point.pk]), {"name": point.name, "capacity": "5"}
    )
    assert response.status_code == 400
    assert "7 people are already assigned here" in response.content.decode()
    point.refresh_from_db()
    assert point.capacity == 10


def test_the_unassigned_list_offers_one_tap_assignment(login, coordinator, crisis, people, point):
    client = login(coordinator)
    services.assign(crisis, [people["family"].pk], point)
    page = client.get(reverse("evacuation:unassigned", args=[crisis.pk])).content.decode()
    assert (
        "Ramon Cruz" in page and "2 people" in page and "Maria Santos" not in page and "Irene Lim" not in page
    )
    assert "To Sports City gate 3" in page
    assert AuditEntry.objects.filter(
        action="view", object_type="nationals.registration", object_id=str(people["uncle"].pk)
    ).exists()
    url = reverse("evacuation:unassigned", args=[crisis.pk])
    response = client.post(
        reverse("evacuation:assign", args=[crisis.pk]),
        {"registration": people["uncle"].pk, "assembly_point": point.pk, "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert Evacuee.objects.filter(registration=people["uncle"], assembly_point=point).exists()


def test_a_viewer_sees_the_unassigned_list_without_buttons(login, viewer, crisis, people, point):
    page = login(viewer).get(reverse("evacuation:unassigned", args=[crisis.pk])).content.decode()
    # A viewer may not see people's details (nationals/disclosure.py): counted, not named.
    assert "Ramon Cruz" not in page and "registrations inside the crisis area" in page
    assert "To Sports City gate 3" not in page
