"""The nationals' app speaks the person's language and never contradicts itself: "I am safe" with
no open check-in is the person's own news (recorded, shown to the post, confirmed once), "My data"
is readable sections, and every error the app API sends is in the person's language."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from lifeline.core.models import AuditEntry
from lifeline.crises.models import CheckInAnswer
from lifeline.nationals.models import Consent, DeviceToken, HouseholdMember, Purpose, StatusReport

ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def arabic(message):
    with translation.override("ar"):
        return str(translation.gettext(message))


@pytest.fixture
def person(post_amman, make_registration, areas):
    registration = make_registration(
        post_amman,
        languages=["ar", "fil"],
        area=areas["amman"],
        city="Amman",
        stay_type="resident_worker",
        employer="Hotel Amman",
    )
    HouseholdMember.objects.create(registration=registration, name="Lea Santos", relation="child")
    Consent.objects.create(registration=registration, purpose=Purpose.ASSISTANCE)
    _token, raw = DeviceToken.issue(registration=registration, label="phone")
    return registration, {"HTTP_AUTHORIZATION": f"Device {raw}"}


def _status(client, headers, status="safe", key=None, **extra):
    body = {"status": status, "idempotency_key": str(key or uuid.uuid4())}
    return client.post("/api/app/status", body, content_type="application/json", **headers, **extra)


def test_i_am_safe_without_a_check_in_is_recorded_and_confirmed_once_in_arabic(client, person):
    registration, headers = person
    key = uuid.uuid4()
    response = _status(client, headers, key=key, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "safe" and body["duplicate"] is False
    assert body["detail"] == arabic("Thank you. Your embassy now knows that you are safe.")
    assert ARABIC.search(body["detail"]) and not LATIN_WORD.search(body["detail"])
    report = StatusReport.objects.get(registration=registration)
    assert report.status == "safe" and report.via == "app"
    assert AuditEntry.objects.filter(object_type="nationals.statusreport", object_id=str(report.pk)).exists()
    assert CheckInAnswer.objects.count() == 0  # no check-in was asked: nothing is invented

    # The phone retries (a lost answer): the same key changes nothing.
    again = _status(client, headers, key=key, HTTP_ACCEPT_LANGUAGE="ar")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert StatusReport.objects.filter(registration=registration).count() == 1


def test_i_need_help_without_a_check_in_is_the_latest_status_the_post_sees(client, person, login, consul):
    registration, headers = person
    assert _status(client, headers, "safe").status_code == 201
    assert _status(client, headers, "need_help").status_code == 201
    from lifeline.nationals.services import latest_status

    latest = latest_status(registration)
    assert latest["status"] == "need_help" and latest["asked"] is False

    page = login(consul).get(reverse("nationals:detail", args=[registration.pk])).content.decode()
    section = page.split("Latest status", 1)[1].split("<h2>", 1)[0]
    assert "Needs help" in section and "said in the app without being asked" in section


def test_a_status_from_someone_else_or_nobody_is_refused(client, person, post_amman, make_registration):
    _registration, headers = person
    assert _status(client, {}).status_code == 401
    # Signed in but not registered: no status to record.
    _token, raw = DeviceToken.issue(address_index="x" * 40, channel="email")
    assert _status(client, {"HTTP_AUTHORIZATION": f"Device {raw}"}).status_code == 401
    assert StatusReport.objects.count() == 0


def test_a_bad_status_is_refused_in_arabic_and_changes_nothing(client, person):
    _registration, headers = person
    response = _status(client, headers, "not_in_area", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == arabic("Some answers are missing or not valid.")
    assert body["errors"] == {"status": [arabic("Choose one of the options offered.")]}
    assert "Input should" not in response.content.decode()
    assert StatusReport.objects.count() == 0


def test_a_check_in_answer_with_nothing_open_is_refused_in_the_persons_language(client, person):
    _registration, headers = person
    body = {"answer": "safe", "idempotency_key": str(uuid.uuid4())}
    response = client.post(
        "/api/app/checkins", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ar", **headers
    )
    assert response.status_code == 404
    assert response.json()["detail"] == arabic("No check-in is open for you.")
    assert ARABIC.search(response.json()["detail"])


def test_without_a_language_asked_the_registration_decides(client, person):
    """No Accept-Language (a bare client): the person's registered language; ``lang`` overrides both."""
    _registration, headers = person
    response = client.get("/api/app/requests/999999", **headers)
    assert response.status_code == 404
    assert response.json()["detail"] == arabic("Not found.")
    response = client.get("/api/app/requests/999999?lang=fr", HTTP_ACCEPT_LANGUAGE="ar", **headers)
    with translation.override("fr"):
        assert response.json()["detail"] == translation.gettext("Not found.") != "Not found."


def test_signed_out_and_unknown_routes_answer_json_in_arabic(client, db):
    response = client.get("/api/app/me", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 401
    assert response.json()["detail"] == arabic(
        "You are not signed in, or your sign-in has ended. Sign in again."
    )
    response = client.get("/api/app/no-such-thing", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == arabic("Not found.")


def test_my_data_is_readable_sections_in_arabic(client, person):
    registration, headers = person
    _status(client, headers, "safe")
    data = client.get("/api/app/me", HTTP_ACCEPT_LANGUAGE="ar", **headers).json()
    sections = {s["key"]: s for s in data["sections"]}
    assert list(sections)[:6] == ["identity", "contact", "address", "household", "trips", "consents"]
    assert sections["identity"]["title"] == arabic("Identity")
    identity = {row["label"]: row["value"] for row in sections["identity"]["rows"]}
    assert identity[arabic("Nationality")] != "PH" and ARABIC.search(identity[arabic("Nationality")])
    assert registration.given_names in identity.values()
    contact = {row["label"]: row["value"] for row in sections["contact"]["rows"]}
    assert contact[arabic("Phone")] == registration.phone
    place = [row["value"] for row in sections["address"]["rows"]]
    assert "Amman" in place and "JO" not in place
    household = sections["household"]["rows"]
    assert household[0]["label"] == "Lea Santos" and ARABIC.search(household[0]["value"])
    trips = " ".join(row["value"] for row in sections["trips"]["rows"])
    assert "resident_worker" not in trips and "Hotel Amman" in trips
    consents = sections["consents"]["rows"]
    assert ARABIC.search(consents[0]["label"]) and "assistance" not in consents[0]["label"]
    assert ARABIC.search(sections["status"]["rows"][0]["label"])
    for section in data["sections"]:
        for row in section["rows"]:
            assert isinstance(row["value"], str) and "object" not in row["value"]
    # The export keeps the person's own news too.
    assert [s["status"] for s in data["data"]["status_reports"]] == ["safe"]


def test_the_fast_lane_refuses_in_the_same_words_and_falls_back_to_the_registration(
    keep_test_connection, person
):
    from django.core.handlers.wsgi import WSGIHandler

    from lifeline.crises.fastlane import FastLane
    from lifeline.crises.tests.test_fastlane import Recorder, call

    _registration, headers = person
    token = headers["HTTP_AUTHORIZATION"][7:]
    body = {"answer": "safe", "idempotency_key": str(uuid.uuid4())}
    fast = call(FastLane(Recorder()), body, token, language="ar")
    django = call(WSGIHandler(), body, token, language="ar")
    assert fast[0] == django[0] == "404 Not Found"
    assert fast[2] == django[2] == {"detail": arabic("No check-in is open for you.")}
    # No Accept-Language at all: the registration's first language.
    assert call(FastLane(Recorder()), body, token, language="")[2] == {
        "detail": arabic("No check-in is open for you.")
    }


def test_public_endpoints_follow_the_lang_parameter(client, db):
    response = client.get("/api/app/posts?country=ZZ&lang=ar", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    with translation.override("ar"):
        expected = translation.gettext("Unknown country code: %(code)s.") % {"code": "ZZ"}
    assert response.json()["detail"] == expected and ARABIC.search(expected)
