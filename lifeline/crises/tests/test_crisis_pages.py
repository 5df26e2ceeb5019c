import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lifeline.core.models import AuditEntry, Organisation, OrganisationKind, Role, Scope
from lifeline.crises.models import Crisis, Status
from lifeline.crises.tests.conftest import AMMAN


def form_data(post, jordan, **extra):
    data = {
        "name": "Floods",
        "type": "natural_hazard",
        "phase": "precautionary",
        "organisation": post.pk,
        "country": jordan.pk,
    }
    data.update(extra)
    return data


def test_an_officer_declares_a_crisis_from_pasted_geojson(login, officer, post_amman, jordan, people):
    client = login(officer)
    response = client.post(
        reverse("crises:create"), form_data(post_amman, jordan, geometry=json.dumps(AMMAN))
    )
    crisis = Crisis.objects.get()
    assert response.status_code == 302
    assert crisis.member_count == 3
    assert AuditEntry.objects.filter(object_type="crises.crisis", action="create").exists()
    page = client.get(reverse("crises:detail", args=[crisis.pk]))
    assert page.status_code == 200
    assert b"<svg" in page.content and b"Live figures" in page.content


def test_an_uploaded_file_sets_the_area(login, officer, post_amman, jordan, people):
    upload = SimpleUploadedFile(
        "area.geojson", json.dumps({"type": "Feature", "geometry": AMMAN}).encode(), "application/geo+json"
    )
    response = login(officer).post(
        reverse("crises:create"), {**form_data(post_amman, jordan), "geojson_file": upload}
    )
    assert response.status_code == 302
    assert json.loads(Crisis.objects.get().geometry)["type"] == "Polygon"


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"geometry": '{"type": "Point", "coordinates": [1, 2]}'}, "Only polygons"),
        ({"circle_lat": "31.9"}, "A circle needs"),
        ({}, "Give the affected area"),
        ({"circle_lat": "95", "circle_lon": "35", "circle_radius_km": "5"}, "between -90 and 90"),
    ],
)
def test_bad_areas_are_refused_and_nothing_is_saved(login, officer, post_amman, jordan, extra, message):
    response = login(officer).post(reverse("crises:create"), form_data(post_amman, jordan, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Crisis.objects.exists()


def test_a_bad_or_too_big_file_is_refused(login, officer, post_amman, jordan, monkeypatch):
    client = login(officer)
    bad = SimpleUploadedFile("area.geojson", b"\xff\xfe nonsense", "application/geo+json")
    response = client.post(reverse("crises:create"), {**form_data(post_amman, jordan), "geojson_file": bad})
    assert "not UTF-8" in response.content.decode()
    monkeypatch.setattr("lifeline.crises.forms.MAX_GEOJSON_BYTES", 10)
    big = SimpleUploadedFile("area.geojson", json.dumps(AMMAN).encode(), "application/geo+json")
    response = client.post(reverse("crises:create"), {**form_data(post_amman, jordan), "geojson_file": big})
    assert "larger than 5 MB" in response.content.decode()
    assert not Crisis.objects.exists()


def test_closing_a_crisis(login, officer, make_crisis):
    crisis = make_crisis()
    response = login(officer).post(reverse("crises:close", args=[crisis.pk]))
    crisis.refresh_from_db()
    assert response.status_code == 302 and crisis.status == Status.CLOSED and crisis.closed is not None


def test_the_lead_and_its_ministry_see_the_crisis(login, officer, ministry_user, make_crisis):
    crisis = make_crisis()
    for user in (officer, ministry_user):
        assert crisis in Crisis.objects.for_user(user)
        assert login(user).get(reverse("crises:list")).content.decode().count("Flash floods") == 1


def test_a_post_of_the_same_ministry_whose_jurisdiction_meets_it_sees_it_but_cannot_change_it(
    login, make_user, ministry, jordan, make_crisis
):
    consulate = Organisation.objects.create(
        name="Consulate in Aqaba", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    consulate.jurisdiction_countries.set([jordan])
    crisis = make_crisis()
    client = login(make_user(consulate, Role.COORDINATOR))
    assert client.get(reverse("crises:detail", args=[crisis.pk])).status_code == 200
    assert client.get(reverse("crises:edit", args=[crisis.pk])).status_code == 404
    assert client.post(reverse("crises:close", args=[crisis.pk])).status_code == 404
    assert client.post(reverse("crises:detail", args=[crisis.pk]), {"recount": "1"}).status_code == 404


def test_an_unrelated_post_another_ministry_and_immigration_cannot_see_it(
    login, make_user, post_beirut, other_ministry, immigration, make_crisis
):
    crisis = make_crisis()
    for org in (post_beirut, other_ministry, immigration):
        user = make_user(org, Role.COORDINATOR, Scope.OWN)
        assert crisis not in Crisis.objects.for_user(user)
        assert login(user).get(reverse("crises:detail", args=[crisis.pk])).status_code == 404


def test_immigration_with_deployment_scope_still_sees_no_crisis(make_user, immigration, make_crisis):
    crisis = make_crisis()
    assert crisis not in Crisis.objects.for_user(make_user(immigration, Role.ADMINISTRATOR, Scope.DEPLOYMENT))


def test_a_viewer_cannot_change(login, make_user, post_amman, make_crisis, jordan):
    crisis = make_crisis()
    client = login(make_user(post_amman, Role.VIEWER))
    assert client.get(reverse("crises:detail", args=[crisis.pk])).status_code == 200
    assert client.get(reverse("crises:create")).status_code == 403
    assert client.post(reverse("crises:close", args=[crisis.pk])).status_code == 403
    assert (
        client.post(
            reverse("crises:campaign_start", args=[crisis.pk]), {"language": "en", "message": "Safe?"}
        ).status_code
        == 403
    )
    assert Crisis.objects.get().status == Status.ACTIVE


def test_the_crisis_area_is_drawn_on_the_map_polygons_only(login, officer, post_amman, jordan, people):
    client = login(officer)
    page = client.get(reverse("crises:create"))
    config = page.context["map_config"]
    assert config["circles"] is False and config["tiles"] == ""  # no tile server: boundaries only
    assert b'data-area-map="crisis"' in page.content and b'id="area-map-config"' in page.content
    # What the map writes: a FeatureCollection of the polygons drawn.
    drawn = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": AMMAN}],
    }
    response = client.post(
        reverse("crises:create"), form_data(post_amman, jordan, geometry=json.dumps(drawn))
    )
    assert response.status_code == 302
    crisis = Crisis.objects.get()
    assert json.loads(crisis.geometry)["type"] == "Polygon" and crisis.member_count == 3
    # Back on the form, the stored polygon is what the map reads.
    again = client.get(reverse("crises:edit", args=[crisis.pk]))
    assert json.loads(again.context["form"]["geometry"].value())["type"] == "Polygon"


def test_the_country_of_a_crisis_is_picked_by_name_with_the_deployments_own_first(login, officer, jordan):
    from lifeline.geo.models import Country

    Country.objects.get_or_create(code="AE", defaults={"iso3": "ARE"})
    Country.objects.get_or_create(code="AF", defaults={"iso3": "AFG"})
    page = login(officer).get(reverse("crises:create"))
    select = page.content.decode().split('name="country"', 1)[1].split("</select>", 1)[0]
    names = [line.split(">", 1)[1].split("<", 1)[0].strip() for line in select.split("<option")[2:]]
    from lifeline.core.forms import deployment_country_codes
    from lifeline.core.names import country_name

    own = sorted((country_name(code) for code in deployment_country_codes()), key=str.casefold)
    assert "Jordan" in own and names[: len(own)] == own  # where the deployment works, first
    others = names[len(own) :]
    assert others == sorted(others, key=str.casefold) and "Afghanistan" in others  # by name, not code


def test_a_crisis_declared_by_admin_areas_alone_is_drawn_with_their_boundaries(
    login, officer, post_amman, jordan, areas
):
    areas["irbid"].set_geometry(
        {
            "type": "Polygon",
            "coordinates": [[[35.6, 32.4], [36.1, 32.4], [36.1, 32.7], [35.6, 32.7], [35.6, 32.4]]],
        }
    )
    areas["irbid"].save()
    client = login(officer)
    client.post(reverse("crises:create"), form_data(post_amman, jordan, areas=[areas["irbid"].pk]))
    crisis = Crisis.objects.get()
    page = client.get(reverse("crises:detail", args=[crisis.pk])).content.decode()
    svg = page.split('<svg class="crisis-map"', 1)[1].split("</svg>", 1)[0]
    assert "<path" in svg  # the outline of Irbid, not dots on a blank square
