"""Declaring and changing a crisis (``crises/services.save_crisis``), which the page and the API both call."""

import pytest
from django.core.exceptions import PermissionDenied

from lifeline.core.errors import Invalid
from lifeline.core.models import AuditEntry, Role
from lifeline.core.versions import ChangedMeanwhile, fingerprint
from lifeline.crises import services
from lifeline.crises.models import Crisis
from lifeline.crises.tests.conftest import AMMAN
from lifeline.geo.models import AdminArea


def _values(post, jordan, **extra):
    return {
        "name": "Floods",
        "type": "natural_hazard",
        "phase": "precautionary",
        "organisation": post,
        "country": jordan,
        "description": "",
        "geometry": AMMAN,
        "circle_lat": None,
        "circle_lon": None,
        "circle_radius_km": None,
        "areas": [],
        "countries": [],
        **extra,
    }


def test_declared_from_plain_values_counted_and_audited_as_the_actor(officer, post_amman, jordan, people):
    crisis = services.save_crisis(officer, None, _values(post_amman, jordan))
    crisis.refresh_from_db()
    assert crisis.member_count == 3 and crisis.counted is not None
    assert crisis.geometry.startswith('{"type":"Polygon"')  # stored as the service writes it
    entry = AuditEntry.objects.get(object_type="crises.crisis", action="create", object_id=str(crisis.pk))
    assert entry.actor_id == officer.pk


def test_refused_input_names_each_field_and_saves_nothing(officer, post_amman, jordan, other_ministry, areas):
    bad = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}  # edges cross
    with pytest.raises(Invalid) as refused:
        services.save_crisis(
            officer,
            None,
            _values(
                other_ministry,
                jordan,
                name=" ",
                geometry=bad,
                circle_lat=95.0,
                circle_lon=35.0,
                circle_radius_km=5.0,
                areas=[AdminArea.objects.create(country=jordan, pcode="JO1101", name="Qasabah", level=2)],
            ),
        )
    errors = refused.value.errors
    assert list(errors) == ["name", "organisation", "geometry", "circle_lat", "areas", "__all__"]
    assert "between -90 and 90" in errors["circle_lat"][0]
    assert "A circle needs" in errors["__all__"][0]  # the refused latitude counts as not given
    assert Crisis.objects.count() == 0


def test_no_area_at_all_is_refused(officer, post_amman, jordan):
    with pytest.raises(Invalid) as refused:
        services.save_crisis(officer, None, _values(post_amman, jordan, geometry=None))
    assert list(refused.value.errors) == ["__all__"]
    assert "Give the affected area" in refused.value.errors["__all__"][0]


def test_a_role_that_may_not_change_crises_is_refused(make_user, post_amman, jordan):
    with pytest.raises(PermissionDenied):
        services.save_crisis(make_user(post_amman, Role.VIEWER), None, _values(post_amman, jordan))
    assert Crisis.objects.count() == 0


def test_a_crisis_led_elsewhere_is_not_changed(officer, make_crisis, other_ministry, post_amman, jordan):
    theirs = make_crisis(organisation=other_ministry, name="Theirs")
    with pytest.raises(PermissionDenied):
        services.save_crisis(officer, theirs, _values(post_amman, jordan))
    assert Crisis.objects.get(pk=theirs.pk).name == "Theirs"


def test_recounted_only_when_the_area_changes(officer, post_amman, jordan, people):
    crisis = services.save_crisis(officer, None, _values(post_amman, jordan))
    counted = Crisis.objects.get(pk=crisis.pk).counted
    services.save_crisis(officer, crisis, _values(post_amman, jordan, name="Renamed", geometry=AMMAN))
    assert Crisis.objects.get(pk=crisis.pk).counted == counted
    services.save_crisis(officer, crisis, _values(post_amman, jordan, geometry=None, countries=[jordan]))
    changed = Crisis.objects.get(pk=crisis.pk)
    assert changed.counted > counted and changed.member_count == 4


def test_a_change_over_a_version_its_author_did_not_see_is_refused(officer, make_crisis, post_amman, jordan):
    crisis = make_crisis()
    seen = fingerprint(crisis)
    services.save_crisis(officer, Crisis.objects.get(pk=crisis.pk), _values(post_amman, jordan, name="First"))
    with pytest.raises(ChangedMeanwhile):
        services.save_crisis(
            officer,
            Crisis.objects.get(pk=crisis.pk),
            _values(post_amman, jordan, name="Second"),
            version=seen,
        )
    assert Crisis.objects.get(pk=crisis.pk).name == "First"
