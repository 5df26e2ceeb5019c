"""Writes of a registration live in one place: ``services.register`` and ``services.update_registration``.

The staff page, the staff API and the app parse what they receive and call them; the services check
every rule before saving anything, save in one transaction and are audited as the actor. The app
registers a household, companions and trips, with languages chosen by name."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from lifeline.core.models import AuditEntry, Role
from lifeline.geo.models import AdminArea
from lifeline.nationals import services
from lifeline.nationals.models import DeviceToken, HouseholdMember, Registration, Trip
from lifeline.nationals.tests.test_app_api import auth, registration_payload, sign_in

ARABIC = re.compile(r"[\u0600-\u06FF]")


def arabic(message):
    with translation.override("ar"):
        return str(translation.gettext(message))


@pytest.fixture
def lebanon_areas(lebanon):
    return {"beirut": AdminArea.objects.create(country=lebanon, pcode="LB11", name="Beirut")}


def values(philippines, jordan, **more):
    base = {
        "given_names": "Ana",
        "family_name": "Reyes",
        "nationality": philippines,
        "country": jordan,
        "phone": "+962791234567",
        "email": "ana.reyes@example.org",
        "languages": ["fil"],
    }
    base.update(more)
    return base


def _day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def entries(model_label, **filters):
    return AuditEntry.objects.filter(object_type=f"nationals.{model_label}", **filters)


def test_staff_register_and_update_are_audited_as_the_user(
    make_user, post_amman, philippines, jordan, lebanon, lebanon_areas
):
    consul = make_user(post_amman, Role.OFFICER)
    registration, created = services.register(
        consul,
        values(philippines, jordan),
        consents=["assistance"],
        household=[{"name": "Kyla", "relation": "child", "nationality": philippines}],
        trips=[{"country": lebanon, "area": lebanon_areas["beirut"], "start": _day(10), "end": _day(20)}],
    )
    assert created and registration.organisation == post_amman
    member, trip = registration.members.get(), registration.trips.get()
    assert member.nationality == philippines and trip.area == lebanon_areas["beirut"]
    for label, pk in (("registration", registration.pk), ("householdmember", member.pk), ("trip", trip.pk)):
        entry = entries(label, object_id=str(pk), action="create").get()
        assert entry.actor_id == consul.pk and entry.organisation_id == post_amman.pk
    # The household and trips are replaced as given: the stored member kept by id, the trip gone.
    services.update_registration(
        consul,
        registration,
        {"city": "Zarqa"},
        household=[{"id": member.pk, "name": "Kyla Reyes", "relation": "child"}],
        trips=[],
    )
    member.refresh_from_db()
    assert member.name == "Kyla Reyes" and not Trip.objects.exists()
    assert entries("householdmember", object_id=str(member.pk), action="update", actor_id=consul.pk).exists()
    assert entries("trip", object_id=str(trip.pk), action="delete", actor_id=consul.pk).exists()
    assert entries("registration", object_id=str(registration.pk), action="update").get().fields == ["city"]


def test_a_rule_broken_anywhere_saves_nothing(make_user, post_amman, philippines, jordan, lebanon, areas):
    consul = make_user(post_amman, Role.OFFICER)
    before = AuditEntry.objects.count()
    with pytest.raises(services.Invalid) as refused:
        services.register(
            consul,
            values(philippines, jordan, area=areas["amman"]),
            consents=["assistance"],
            household=[{"name": "Kyla", "relation": "child"}],
            trips=[{"country": lebanon, "area": areas["irbid"], "start": _day(10), "end": _day(5)}],
        )
    assert set(refused.value.errors) == {"trips[0].area", "trips[0].end"}
    with pytest.raises(services.Invalid) as refused:
        services.register(
            consul,
            values(philippines, jordan),
            consents=["assistance"],
            household=[{"name": "", "relation": "cousin"}],
        )
    assert {"household[0].name", "household[0].relation"} <= set(refused.value.errors)
    assert not Registration.objects.exists() and not HouseholdMember.objects.exists()
    assert AuditEntry.objects.count() == before


def test_staff_without_the_permissions_or_outside_their_tree_is_refused(
    make_user, post_amman, post_beirut, philippines, jordan, make_registration
):
    viewer = make_user(post_amman, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.register(viewer, values(philippines, jordan), consents=["assistance"])
    other_post = make_registration(post_beirut)
    beirut_consul = make_user(post_beirut, Role.OFFICER)
    amman_consul = make_user(post_amman, Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.update_registration(amman_consul, other_post, {"city": "Tyre"})
    services.update_registration(beirut_consul, other_post, {"city": "Tyre"})
    assert not Registration.objects.filter(organisation=post_amman).exists()


def test_the_app_registers_household_and_trips_with_languages_by_name(
    client, smtp, post_amman, areas, lebanon, lebanon_areas
):
    token = sign_in(client, smtp)["token"]
    payload = registration_payload(
        languages=["Tagalog", "inglés"],
        household=[
            {"name": "Kyla Reyes", "relation": "child", "date_of_birth": "2018-01-01", "nationality": "PH"},
            {
                "name": "Leila Haddad",
                "relation": "companion",
                "nationality": "LB",
                "special_needs": ["medical"],
            },
        ],
        trips=[{"country": "LB", "area": "LB11", "start": "2027-01-10", "end": "2027-01-20"}],
    )
    response = client.post("/api/app/me", payload, content_type="application/json", **auth(token))
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert registration.languages == ["fil", "en"]
    assert [m.nationality.code for m in registration.members.order_by("id")] == ["PH", "LB"]
    trip = registration.trips.get()
    assert (trip.country.code, trip.area.pcode, str(trip.start), str(trip.end)) == (
        "LB",
        "LB11",
        "2027-01-10",
        "2027-01-20",
    )
    # The registration is kept at least until the last trip is over.
    assert registration.expires_on > trip.end
    device = DeviceToken.objects.get(registration=registration)
    assert entries("trip", object_id=str(trip.pk), action="create", via="app", actor_id=None).exists()
    assert entries("registration", object_id=str(registration.pk), action="create", via="app").exists()
    assert device.registration_id == registration.pk
    # "My data" in Arabic shows the household and the trip.
    mine = client.get("/api/app/me", HTTP_ACCEPT_LANGUAGE="ar", **auth(token)).json()
    sections = {s["key"]: s for s in mine["sections"]}
    household = {row["label"]: row["value"] for row in sections["household"]["rows"]}
    assert set(household) == {"Kyla Reyes", "Leila Haddad"} and ARABIC.search(household["Leila Haddad"])
    trip_rows = [row for row in sections["trips"]["rows"] if "Beirut" in row["value"]]
    assert len(trip_rows) == 1 and ARABIC.search(trip_rows[0]["label"])
    assert mine["data"]["trips"][0]["area"] == "LB11"
    assert mine["data"]["household"][1]["nationality"] == "LB"


def test_bad_household_or_trip_from_the_app_gets_translated_errors_and_saves_nothing(
    client, smtp, post_amman, areas, lebanon
):
    token = sign_in(client, smtp)["token"]
    payload = registration_payload(
        idempotency_key=str(uuid.uuid4()),
        languages=["Xyzzyqq"],
        household=[
            {"name": "Kyla", "relation": "child", "date_of_birth": "2099-01-01"},
            {"name": "Rosa", "relation": "parent", "unaccompanied": True},
        ],
        trips=[
            {"country": "LB", "start": "2027-01-20", "end": "2027-01-10"},
            {"country": "QQ", "area": "JO11", "start": "2027-02-01"},
        ],
    )
    response = client.post(
        "/api/app/me", payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ar", **auth(token)
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {
        "languages",
        "household[0].date_of_birth",
        "household[1].unaccompanied",
        "trips[0].end",
        "trips[1].country",
    } <= set(errors)
    assert errors["trips[0].end"] == [arabic("The end of a trip cannot be before its start.")]
    assert all(ARABIC.search(" ".join(messages)) for messages in errors.values())
    assert not Registration.objects.exists() and not Trip.objects.exists()
    assert not HouseholdMember.objects.exists()


def test_the_app_and_staff_api_no_longer_post_fake_form_data(
    client, smtp, post_amman, areas, api, make_user, monkeypatch
):
    """The API schemas parse; no registration page form is built behind them."""
    from lifeline.nationals import app_api, forms

    def refuse(*args, **kwargs):
        raise AssertionError("a page form was built for an API request")

    monkeypatch.setattr(forms.RegistrationForm, "__init__", refuse)
    monkeypatch.setattr(forms.MemberFormSet, "__init__", refuse)
    assert not hasattr(app_api, "form_data") and not hasattr(app_api, "validated")
    token = sign_in(client, smtp)["token"]
    created = client.post(
        "/api/app/me", registration_payload(), content_type="application/json", **auth(token)
    )
    assert created.status_code == 201, created.content
    updated = client.put(
        "/api/app/me", registration_payload(city="Zarqa"), content_type="application/json", **auth(token)
    )
    assert updated.status_code == 200 and updated.json()["data"]["city"] == "Zarqa"
    staff = api(make_user(post_amman, Role.OFFICER))
    response = staff.post(
        "/api/nationals",
        registration_payload(email="", phone="+962790000001", idempotency_key=None),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_the_app_keeps_the_address_it_proved(client, smtp, post_amman, areas):
    token = sign_in(client, smtp)["token"]
    client.post("/api/app/me", registration_payload(), content_type="application/json", **auth(token))
    response = client.put(
        "/api/app/me",
        registration_payload(email="other@example.org"),
        content_type="application/json",
        **auth(token),
    )
    assert response.status_code == 422 and "email" in response.json()["errors"]
    assert Registration.objects.get().email == "ana.reyes@example.org"


def test_an_update_over_a_version_changed_meanwhile_saves_nothing(
    make_user, post_amman, philippines, jordan, make_registration
):
    """The service checks the version its caller read again under the row lock (a colleague may
    have saved between the page's or the API's first check and the write)."""
    from lifeline.core.versions import ChangedMeanwhile, fingerprint

    consul = make_user(post_amman, Role.OFFICER)
    registration = make_registration(post_amman, city="Zarqa")
    seen = fingerprint(registration)
    Registration.objects.filter(pk=registration.pk).update(city="Irbid")
    household = [{"name": "Kyla", "relation": "child"}]
    with pytest.raises(ChangedMeanwhile):
        services.update_registration(
            consul, registration, {"city": "Aqaba"}, household=household, version=seen
        )
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.city == "Irbid" and not stored.members.exists()
    # Over the version now stored, the same change is saved.
    current = Registration.objects.get(pk=registration.pk)
    services.update_registration(consul, current, {"city": "Aqaba"}, version=fingerprint(current))
    assert Registration.objects.get(pk=registration.pk).city == "Aqaba"
