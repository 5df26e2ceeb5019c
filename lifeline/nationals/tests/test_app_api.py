import re
import uuid

import pytest

from lifeline.core.models import AuditEntry
from lifeline.nationals.models import Consent, DeviceToken, HouseholdMember, Registration, SignInCode

EMAIL = "ana.reyes@example.org"


def code_from(smtp):
    return re.search(r"\b(\d{6})\b", smtp.bodies()[-1]).group(1)


def sign_in(client, smtp, address=EMAIL, label="phone"):
    assert (
        client.post(
            "/api/app/signin", {"channel": "email", "address": address}, content_type="application/json"
        ).status_code
        == 200
    )
    response = client.post(
        "/api/app/signin/verify",
        {"channel": "email", "address": address, "code": code_from(smtp), "device_label": label},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


def registration_payload(**overrides):
    payload = {
        "idempotency_key": str(uuid.uuid4()),
        "given_names": "Ana",
        "family_name": "Reyes",
        "date_of_birth": "1990-05-01",
        "nationality": "PH",
        "document_number": "P1234567A",
        "email": EMAIL,
        "phone": "+962791234567",
        "languages": ["fil", "en"],
        "country": "JO",
        "area": "JO11",
        "city": "Amman",
        "stay_type": "resident_worker",
        "household": [{"name": "Kyla Reyes", "relation": "child", "date_of_birth": "2018-01-01"}],
        "emergency_contact": {"name": "Rosa", "relation": "mother", "phone": "+639171234567"},
        "consents": ["assistance", "crisis_messages"],
    }
    payload.update(overrides)
    return payload


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Device {token}"}


def test_email_code_goes_through_real_smtp_and_answers_the_same_for_unknown(
    client, smtp, post_amman, make_registration
):
    make_registration(post_amman, email=EMAIL)
    known = client.post(
        "/api/app/signin", {"channel": "email", "address": EMAIL}, content_type="application/json"
    )
    unknown = client.post(
        "/api/app/signin",
        {"channel": "email", "address": "nobody@example.org"},
        content_type="application/json",
    )
    assert known.status_code == unknown.status_code == 200 and known.json() == unknown.json()
    assert [to for to, _m in smtp.messages] == [[EMAIL], ["nobody@example.org"]]
    code = code_from(smtp)
    assert not SignInCode.objects.filter(digest__contains=code).exists()  # only a keyed hash is kept


def test_verify_binds_the_device_to_the_registration(client, smtp, post_amman, make_registration):
    registration = make_registration(post_amman, email=EMAIL)
    answer = sign_in(client, smtp)
    assert answer["registered"] is True
    me = client.get("/api/app/me", **auth(answer["token"]))
    assert (
        me.status_code == 200 and me.json()["id"] == registration.pk and me.json()["data"]["email"] == EMAIL
    )


def test_wrong_code_five_times_locks_the_code(client, smtp, post_amman):
    client.post("/api/app/signin", {"channel": "email", "address": EMAIL}, content_type="application/json")
    good = code_from(smtp)
    for _ in range(5):
        bad = client.post(
            "/api/app/signin/verify",
            {"channel": "email", "address": EMAIL, "code": "000000" if good != "000000" else "111111"},
            content_type="application/json",
        )
        assert bad.status_code == 400
    locked = client.post(
        "/api/app/signin/verify",
        {"channel": "email", "address": EMAIL, "code": good},
        content_type="application/json",
    )
    assert locked.status_code == 400 and "expired" in locked.json()["detail"]


def test_rate_limit_per_address_and_per_ip(client, smtp):
    for _ in range(3):
        assert (
            client.post(
                "/api/app/signin", {"channel": "email", "address": EMAIL}, content_type="application/json"
            ).status_code
            == 200
        )
    refused = client.post(
        "/api/app/signin", {"channel": "email", "address": EMAIL}, content_type="application/json"
    )
    assert refused.status_code == 429 and "Wait" in refused.json()["detail"]
    # The same IP cannot move on to other addresses either.
    assert (
        client.post(
            "/api/app/signin",
            {"channel": "email", "address": "b@example.org"},
            content_type="application/json",
        ).status_code
        == 429
    )
    assert len(smtp.messages) == 3


def test_bad_address_and_unconfigured_sms(client, settings, db):
    settings.SMS_GATEWAY_URL = ""
    bad = client.post(
        "/api/app/signin", {"channel": "email", "address": "not an address"}, content_type="application/json"
    )
    assert bad.status_code == 422
    sms = client.post(
        "/api/app/signin", {"channel": "sms", "address": "+962791234567"}, content_type="application/json"
    )
    assert sms.status_code == 503 and "use email" in sms.json()["detail"]
    assert not SignInCode.objects.exists()


def test_self_registration_is_idempotent_and_needs_the_verified_address(client, smtp, post_amman, areas):
    token = sign_in(client, smtp)["token"]
    assert client.get("/api/app/me", **auth(token)).status_code == 401
    other = client.post(
        "/api/app/me",
        registration_payload(email="someone@example.org"),
        content_type="application/json",
        **auth(token),
    )
    assert other.status_code == 422 and not Registration.objects.exists()
    payload = registration_payload()
    first = client.post("/api/app/me", payload, content_type="application/json", **auth(token))
    assert first.status_code == 201, first.content
    again = client.post("/api/app/me", payload, content_type="application/json", **auth(token))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    registration = Registration.objects.get()
    assert registration.source == "self" and registration.organisation == post_amman
    assert registration.members.count() == 1 and registration.consents.filter(granted=True).count() == 2
    assert client.get("/api/app/me", **auth(token)).json()["data"]["household"][0]["name"] == "Kyla Reyes"


def test_self_registration_requires_assistance_consent_and_valid_fields(client, smtp, post_amman, areas):
    token = sign_in(client, smtp)["token"]
    response = client.post(
        "/api/app/me",
        registration_payload(consents=["crisis_messages"], area="JO99", country="ZZ"),
        content_type="application/json",
        **auth(token),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"consents", "area", "country"} <= set(errors)
    assert not Registration.objects.exists()


def test_update_export_devices_and_delete(client, smtp, post_amman, areas):
    token = sign_in(client, smtp, label="phone")["token"]
    client.post("/api/app/me", registration_payload(), content_type="application/json", **auth(token))
    second = sign_in(client, smtp, label="tablet")["token"]
    assert (
        client.get("/api/app/me", **auth(second)).status_code == 200
    )  # the second device finds the registration
    updated = client.put(
        "/api/app/me",
        registration_payload(city="Zarqa", area="", household=[]),
        content_type="application/json",
        **auth(token),
    )
    assert updated.status_code == 200 and updated.json()["data"]["city"] == "Zarqa"
    assert not HouseholdMember.objects.exists()
    export = client.get("/api/app/me/export", **auth(token)).json()
    assert {"consents", "household", "devices", "document_number"} <= set(export) and len(
        export["devices"]
    ) == 2
    devices = client.get("/api/app/devices", **auth(token)).json()
    tablet = next(d for d in devices if d["label"] == "tablet")
    assert client.delete(f"/api/app/devices/{tablet['id']}", **auth(token)).status_code == 204
    assert client.get("/api/app/me", **auth(second)).status_code == 401
    assert client.delete("/api/app/me", **auth(token)).json()["deleted"] is True
    assert not Registration.objects.exists() and not DeviceToken.objects.exists()
    assert AuditEntry.objects.filter(reason="deleted by the person from the app").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="Reyes").exists()


def test_consents_and_withdrawing_assistance_deletes(client, smtp, post_amman, areas):
    token = sign_in(client, smtp)["token"]
    client.post("/api/app/me", registration_payload(), content_type="application/json", **auth(token))
    answer = client.post(
        "/api/app/consents",
        {"purpose": "advice_updates", "granted": True},
        content_type="application/json",
        **auth(token),
    ).json()
    assert answer["deleted"] is False and Consent.objects.get(purpose="advice_updates").granted
    client.post(
        "/api/app/consents",
        {"purpose": "crisis_messages", "granted": False},
        content_type="application/json",
        **auth(token),
    )
    assert not Consent.objects.get(purpose="crisis_messages").granted
    answer = client.post(
        "/api/app/consents",
        {"purpose": "assistance", "granted": False},
        content_type="application/json",
        **auth(token),
    ).json()
    assert answer["deleted"] is True and answer["warning"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("header", ["", "Device nonsense", "Bearer x"])
def test_me_needs_a_device_token(client, header, db):
    assert client.get("/api/app/me", HTTP_AUTHORIZATION=header).status_code == 401
