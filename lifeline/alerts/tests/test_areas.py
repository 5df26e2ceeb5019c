"""The map's GeoJSON ↔ CAP polygons and circles: a shape drawn on the map goes through the form,
the stored area, the CAP XML and back to the map unchanged (within a metre); a shape that is no
area is refused with a reason and nothing is saved. The form puts an expiry on every alert and
offers the languages spoken in the area."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from lifeline.alerts.areas import geojson_from_shapes, shapes_from_geojson
from lifeline.alerts.cap import check_circle, check_polygon
from lifeline.alerts.models import Alert
from lifeline.alerts.services import area_languages
from lifeline.core.models import Role

from .test_pages import alert_data

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"

# What the widget writes: a polygon drawn with five clicks, and a circle (radius in metres).
DRAWN = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [35.871234, 31.951234],
                        [35.951234, 31.948765],
                        [35.962345, 31.99],
                        [35.88, 32.001234],
                        [35.871234, 31.951234],
                    ]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"radius": 2500.5},
            "geometry": {"type": "Point", "coordinates": [35.93, 31.96]},
        },
    ],
}


def close(a, b, tolerance=1e-5):
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(close(x, y, tolerance) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, float | int) and isinstance(b, float | int):
        return abs(a - b) <= tolerance
    return a == b


def test_map_to_cap_and_back_gives_the_same_shapes(login, make_user, org_a):
    client = login(make_user(org_a))
    response = client.post(
        reverse("alerts:create"),
        alert_data(org_a, **{"area-polygons": "", "area-shapes": json.dumps(DRAWN)}),
    )
    assert response.status_code == 302, response.context and response.context["area_form"].errors
    alert = Alert.objects.get()
    area = alert.info.first().areas.get()
    assert area.polygons == [
        "31.95123,35.87123 31.94877,35.95123 31.99,35.96234 32.00123,35.88 31.95123,35.87123"
    ]
    assert area.circles == ["31.96,35.93 2.5005"]

    # The CAP XML as it would be sent, read back by the same reader that imports CAP from elsewhere.
    xml = client.get(reverse("alerts:cap", args=[alert.pk])).content
    root = etree.fromstring(xml)
    polygons = [e.text for e in root.iter(f"{CAP}polygon")]
    circles = [e.text for e in root.iter(f"{CAP}circle")]
    assert len(polygons) == len(circles) == 2  # one area in each of the two languages
    assert [check_polygon(p) for p in polygons[:1]] and [check_circle(c) for c in circles[:1]]
    back = geojson_from_shapes(polygons[:1], circles[:1])
    assert close(back, DRAWN)

    # The form shows the stored shapes on the map again, as GeoJSON.
    page = client.get(reverse("alerts:edit", args=[alert.pk]))
    assert close(json.loads(page.context["area_form"].initial["shapes"]), DRAWN)


@pytest.mark.parametrize(
    "geometry, reason",
    [
        (  # a bow tie: the edges cross
            {
                "type": "Polygon",
                "coordinates": [[[35.8, 31.9], [36.0, 32.0], [36.0, 31.9], [35.8, 32.0], [35.8, 31.9]]],
            },
            "crosses itself",
        ),
        ({"type": "Polygon", "coordinates": [[[35.8, 31.9], [36.0, 32.0], [35.8, 31.9]]]}, "three corners"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[31.9, 135.8], [32.0, 136.0], [31.9, 136.0], [31.9, 135.8]]],
            },
            "longitude",
        ),
        ({"type": "Point", "coordinates": [35.9, 31.9]}, "radius"),
        (
            {
                "type": "Feature",
                "properties": {"radius": -5},
                "geometry": {"type": "Point", "coordinates": [35.9, 31.9]},
            },
            "radius",
        ),
        ({"type": "LineString", "coordinates": [[35.8, 31.9], [36.0, 32.0]]}, "Only polygons and circles"),
    ],
)
def test_a_shape_that_is_no_area_is_refused_with_its_reason(login, make_user, org_a, geometry, reason):
    with pytest.raises(ValidationError) as refused:
        shapes_from_geojson(json.dumps(geometry))
    assert reason in " ".join(refused.value.messages)
    client = login(make_user(org_a))
    response = client.post(
        reverse("alerts:create"),
        alert_data(org_a, **{"area-polygons": "", "area-shapes": json.dumps(geometry)}),
    )
    assert response.status_code == 200 and reason in response.content.decode()
    assert not Alert.objects.exists()


def test_pasted_geojson_that_is_not_json_is_refused(login, make_user, org_a):
    client = login(make_user(org_a))
    response = client.post(reverse("alerts:create"), alert_data(org_a, **{"area-shapes": "{not json"}))
    assert response.status_code == 200 and "not valid JSON" in response.content.decode()
    assert not Alert.objects.exists()


def test_an_alert_without_an_expiry_gets_one(login, make_user, org_a, settings):
    settings.ALERT_DEFAULT_HOURS = 6
    client = login(make_user(org_a))
    data = alert_data(org_a)
    data["info-0-expires"] = data["info-1-expires"] = ""
    before = timezone.now()
    assert client.post(reverse("alerts:create"), data).status_code == 302
    alert = Alert.objects.get()
    assert alert.expires is not None
    assert (
        before + timedelta(hours=6) - timedelta(minutes=1)
        <= alert.expires
        <= timezone.now() + timedelta(hours=6)
    )


def test_a_template_gives_an_expiry_and_the_languages_spoken_in_the_area(login, make_user, org_a, areas):
    from lifeline.communities.models import CommunityProfile
    from lifeline.core.models import Language

    author = make_user(org_a)
    profile = CommunityProfile.objects.create(
        organisation=org_a, name="Sri Lankan Tamil workers", estimated_size=900
    )
    profile.languages.set([Language.objects.get_or_create(code=c)[0] for c in ("ta", "ar")])
    profile.areas.set([areas["amman"]])
    assert area_languages(author, [areas["amman"]]) == ["ar", "ta"]

    response = login(author).get(reverse("alerts:create") + f"?template=flood&areas={areas['amman'].pcode}")
    forms = response.context["infos"].forms
    # Arabic, written by the template, first; Tamil, which it lacks, as a block to write.
    assert [f.initial["language"] for f in forms[:2]] == ["ar", "ta"]
    assert forms[0].initial["headline"] and not forms[1].initial["headline"]
    assert forms[0].initial["expires"] > timezone.now() + timedelta(hours=23)


def test_a_blank_language_block_left_empty_is_not_saved(login, make_user, org_a):
    client = login(make_user(org_a))
    data = alert_data(org_a)
    data.update(
        {
            "info-TOTAL_FORMS": "3",
            "info-2-language": "bn",
            "info-2-categories": ["Met"],
            "info-2-urgency": "Immediate",
            "info-2-severity": "Severe",
            "info-2-certainty": "Likely",
        }
    )
    assert client.post(reverse("alerts:create"), data).status_code == 302
    assert sorted(Alert.objects.get().info.values_list("language", flat=True)) == ["en", "fil"]


def test_the_area_description_may_differ_per_language(login, make_user, org_a):
    client = login(make_user(org_a))
    data = alert_data(org_a, **{"info-1-area_desc": "Amman, mababang lugar"})
    assert client.post(reverse("alerts:create"), data).status_code == 302
    descs = dict(Alert.objects.get().info.values_list("language", "areas__area_desc"))
    assert descs == {"en": "Amman", "fil": "Amman, mababang lugar"}


def test_the_languages_of_registrations_in_the_area_are_counted_never_shown(
    login, make_user, org_a, areas, post_amman, make_registration, settings, immigration
):
    """A host-country planner writing for Amman gets Filipino from six registrations of a foreign
    ministry's post (no community profile says it): a count only, never a name. Four people of
    another language are too few to be counted; merged registrations are not counted."""
    from lifeline.geo.models import AdminArea
    from lifeline.nationals.models import Registration

    settings.AGGREGATE_MIN_PEOPLE = 5
    planner = make_user(org_a)
    district = AdminArea.objects.create(
        country=areas["amman"].country, pcode="JO1101", name="Marka", parent=areas["amman"]
    )
    # Six Filipino speakers: four in Amman, one in a district of it, one written the old way (tl).
    for n in range(4):
        make_registration(post_amman, area=areas["amman"], given_names=f"Rosalinda {n}")
    make_registration(post_amman, area=district, given_names="Rosalinda 4")
    make_registration(post_amman, area=areas["amman"], languages=["tl"], given_names="Rosalinda 5")
    # Four Bengali speakers: fewer than AGGREGATE_MIN_PEOPLE, so not counted.
    for n in range(4):
        make_registration(post_amman, area=areas["amman"], languages=["bn", "en"], given_names=f"Farida {n}")
    # Nepali: five registrations, but two merged into the others, so three people.
    nepali = [
        make_registration(post_amman, area=areas["amman"], languages=["ne"], given_names=f"Sunita {n}")
        for n in range(5)
    ]
    Registration.objects.filter(pk__in=[r.pk for r in nepali[3:]]).update(merged_into=nepali[0])
    # Elsewhere (Irbid): not in the area.
    for n in range(6):
        make_registration(post_amman, area=areas["irbid"], languages=["si"], given_names=f"Nirmala {n}")

    assert area_languages(planner, [areas["amman"]]) == ["fil"]
    assert area_languages(planner, [areas["irbid"]]) == ["si"]
    # An immigration authority is not even told how many registered people read a language.
    assert area_languages(make_user(immigration, role=Role.COORDINATOR), [areas["amman"]]) == []
    # No area picked: the planner's whole jurisdiction (Jordan).
    assert area_languages(planner) == ["fil", "si"]
    settings.AGGREGATE_MIN_PEOPLE = 3
    assert area_languages(planner, [areas["amman"]]) == ["fil", "bn", "ne"]
    settings.AGGREGATE_MIN_PEOPLE = 5

    response = login(planner).get(reverse("alerts:create") + f"?template=flood&areas={areas['amman'].pcode}")
    forms = response.context["infos"].forms
    assert [f.initial["language"] for f in forms] == ["fil"]
    page = response.content.decode()
    for word in ("Rosalinda", "Farida", "Sunita", "Nirmala", "Santos", "+96279"):
        assert word not in page


def test_registrations_add_to_the_profiles_most_people_first(
    make_user, org_a, areas, post_amman, make_registration, settings
):
    from lifeline.communities.models import CommunityProfile
    from lifeline.core.models import Language

    settings.AGGREGATE_MIN_PEOPLE = 5
    planner = make_user(org_a)
    profile = CommunityProfile.objects.create(organisation=org_a, name="Tamil workers", estimated_size=4)
    profile.languages.set([Language.objects.get_or_create(code=c)[0] for c in ("ta", "fil")])
    profile.areas.set([areas["amman"]])
    for _n in range(5):
        make_registration(post_amman, area=areas["amman"])
    # Filipino: 4 (profile) + 5 (registrations) = 9, before Tamil's 4.
    assert area_languages(planner, [areas["amman"]]) == ["fil", "ta"]
