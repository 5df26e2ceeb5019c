import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from lifeline.crises import services
from lifeline.crises.models import CrisisMember, JustInTimeSubmission
from lifeline.nationals.models import Consent, Kind, Registration, Source


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def form(philippines, areas, **extra):
    data = {
        "key": str(uuid.uuid4()),
        "given_names": "Ana",
        "family_name": "Reyes",
        "phone": "+962 79 123 4567",
        "nationality": philippines.pk,
        "area": areas["amman"].pk,
        "location": "31.95,35.91",
        "household_size": 3,
        "children": 1,
        "special_needs": ["pregnancy"],
        "need_help": "yes",
    }
    data.update(extra)
    return data


def test_a_person_registers_just_in_time_once(client, make_crisis, post_amman, philippines, areas):
    crisis = make_crisis()
    url = reverse("crises:register", args=[crisis.pk, crisis.public_token])
    assert client.get(url).status_code == 200
    data = form(philippines, areas)
    response = client.post(url, data)
    assert response.status_code == 200 and b"you are registered" in response.content
    again = client.post(url, data)
    assert again.status_code == 200
    registration = Registration.objects.get()
    assert registration.kind == Kind.JUST_IN_TIME and registration.source == Source.JUST_IN_TIME
    assert (
        registration.organisation == post_amman
        and registration.phone == "+962791234567"
        and registration.lat == 31.95
    )
    assert set(Consent.objects.values_list("purpose", flat=True)) == {"assistance", "crisis_messages"}
    submission = JustInTimeSubmission.objects.get()
    assert submission.need_help and submission.household_size == 3 and submission.children == 1
    assert CrisisMember.objects.filter(crisis=crisis, registration=registration).exists()


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"phone": "", "email": ""}, "Give a phone number or an email"),
        ({"phone": "12"}, "country code"),
        ({"location": "somewhere"}, "latitude,longitude"),
        ({"children": 5}, "more children than people"),
        ({"key": "not-a-uuid"}, "damaged on the way"),
    ],
)
def test_bad_input_is_refused(client, make_crisis, philippines, areas, extra, message):
    crisis = make_crisis()
    response = client.post(
        reverse("crises:register", args=[crisis.pk, crisis.public_token]), form(philippines, areas, **extra)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_wrong_token_or_a_closed_crisis_is_not_found(client, make_crisis, philippines, areas):
    crisis = make_crisis()
    assert client.get(reverse("crises:register", args=[crisis.pk, "guess"])).status_code == 404
    services.close_crisis(crisis)
    assert client.get(reverse("crises:register", args=[crisis.pk, crisis.public_token])).status_code == 404


def test_submissions_are_rate_limited_per_connection(client, make_crisis, philippines, areas, monkeypatch):
    monkeypatch.setattr("lifeline.crises.views.RATE_LIMIT", 2)
    crisis = make_crisis()
    url = reverse("crises:register", args=[crisis.pk, crisis.public_token])
    codes = [client.post(url, form(philippines, areas)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Registration.objects.count() == 2
