import json

import pytest
from django.core.exceptions import ValidationError

from lifeline.crises import services
from lifeline.crises.models import CrisisMember
from lifeline.crises.tests.conftest import AMMAN, INSIDE


def ids(values):
    return sorted(int(v) for v in values)


def test_a_polygon_selects_the_registrations_inside_it(make_crisis, people):
    crisis = make_crisis()
    assert ids(services.registrations_in(crisis)) == ids(r.pk for r in people["inside"])
    assert crisis.member_count == 3
    assert set(CrisisMember.objects.filter(crisis=crisis).values_list("registration_id", flat=True)) == {
        r.pk for r in people["inside"]
    }


def test_merged_registrations_and_other_ministries_are_left_out(
    make_crisis, people, make_registration, other_ministry, philippines
):
    merged = people["inside"][1]
    merged.merged_into = people["inside"][0]
    merged.save()
    make_registration(other_ministry, location=INSIDE)  # another ministry's national: not ours to target
    found = ids(services.registrations_in(make_crisis(count=False)))
    assert found == ids([people["inside"][0].pk, people["inside"][2].pk])


def test_a_circle_admin_areas_and_whole_countries_add_up(
    make_crisis, people, areas, lebanon, post_beirut, make_registration
):
    circle = make_crisis(geometry=None, circle_lat=31.953, circle_lon=35.912, circle_radius_km=3, count=False)
    assert ids(services.registrations_in(circle)) == [people["inside"][0].pk]

    by_area = make_crisis(geometry=None, count=False)
    by_area.areas.set([areas["irbid"]])
    assert ids(services.registrations_in(by_area)) == [people["outside"].pk]

    in_beirut = make_registration(post_beirut, location="33.89,35.50")
    by_country = make_crisis(geometry=None, count=False)
    by_country.countries.set([lebanon])
    by_country.areas.set([areas["irbid"]])
    assert ids(services.registrations_in(by_country)) == ids([people["outside"].pk, in_beirut.pk])


def test_a_crisis_without_any_area_targets_nobody(make_crisis, people):
    assert len(services.registrations_in(make_crisis(geometry=None, count=False))) == 0


def test_recount_follows_a_changed_area(make_crisis, people):
    crisis = make_crisis()
    assert crisis.member_count == 3
    crisis.geometry = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[35.9, 31.94], [35.92, 31.94], [35.92, 31.96], [35.9, 31.96], [35.9, 31.94]]],
        }
    )
    crisis.save()
    assert services.materialise(crisis) == 1
    assert CrisisMember.objects.filter(crisis=crisis).count() == 1


@pytest.mark.parametrize(
    "text,message",
    [
        ("{not json", "not even valid JSON"),
        (json.dumps({"type": "Point", "coordinates": [35.9, 31.9]}), "Only polygons"),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}),
            "not valid",
        ),
        (json.dumps({"type": "Polygon", "coordinates": [[["a", 0]]]}), "malformed"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "no polygon"),
        (json.dumps({"type": "FeatureCollection", "features": "x"}), "no list"),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[200, 0], [201, 0], [201, 1], [200, 0]]]}),
            "longitude, latitude",
        ),
        (json.dumps([1, 2]), "not a GeoJSON"),
    ],
)
def test_bad_geojson_gets_a_clear_error(text, message):
    with pytest.raises(ValidationError) as exc:
        services.parse_area(text)
    assert message in exc.value.messages[0]


def test_features_and_collections_are_unioned():
    other = {"type": "Polygon", "coordinates": [[[36.1, 31.9], [36.2, 31.9], [36.2, 32.0], [36.1, 31.9]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": AMMAN},
            {"type": "Feature", "properties": {}, "geometry": other},
        ],
    }
    geometry = services.parse_area(json.dumps(collection))
    assert geometry.geom_type == "MultiPolygon"
    assert services.parse_area(json.dumps({"type": "Feature", "geometry": AMMAN})).geom_type == "Polygon"


def test_a_circle_polygon_has_the_radius_asked():
    polygon = services.circle_polygon(31.95, 35.91, 10)
    minx, miny, maxx, maxy = polygon.bounds
    assert abs((maxy - miny) * 111.32 - 20) < 0.1
    assert abs((maxx - minx) * 111.32 * 0.8486 - 20) < 0.2  # cos(31.95°)


def test_a_deleted_registration_leaves_the_member_set(make_crisis, people):
    crisis = make_crisis()
    people["inside"][0].delete()
    assert CrisisMember.objects.filter(crisis=crisis).count() == 2
    assert services.members(crisis).count() == 2
    assert services.materialise(crisis) == 2
