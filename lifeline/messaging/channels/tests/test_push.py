import json

import pytest

from lifeline.messaging.channels import get_channel, vapid
from lifeline.messaging.channels.push import MAX_PAYLOAD, payload
from tests.rigs.push_service import PushService, verify_vapid

from .conftest import message


@pytest.fixture
def keys(settings):
    pair = vapid.generate()
    settings.VAPID_PRIVATE_KEY = pair["private_key"]
    settings.VAPID_PUBLIC_KEY = pair["public_key"]
    settings.VAPID_SUBJECT = "mailto:ops@lifeline.example"
    return pair


@pytest.fixture
def service(keys):
    with PushService(expected_key=keys["public_key"]) as push:
        yield push


def test_a_push_is_encrypted_signed_and_decrypted_by_the_service(service):
    subscription = service.subscribe()
    text = "تحذير: فيضانات. توجهوا إلى مكان مرتفع."
    [result] = get_channel("push").send_batch(
        [message(11, address=json.dumps(subscription), language="ar", subject="تحذير", body=text)]
    )
    assert result.ok and not result.retryable and not result.delivered
    [received] = service.received
    assert json.loads(received["plaintext"]) == {
        "title": "تحذير",
        "body": text,
        "lang": "ar",
        "id": 11,
        "url": "https://lifeline.example/u/abc",
    }
    assert received["claims"]["aud"] == service.url
    assert received["claims"]["sub"] == "mailto:ops@lifeline.example"
    assert received["ttl"] > 0
    assert result.provider_id.startswith(service.url + "/message/")


def test_a_batch_reaches_each_subscription(service):
    subscriptions = [service.subscribe() for _ in range(5)]
    results = get_channel("push").send_batch(
        [message(i, address=json.dumps(s), short=f"msg {i}") for i, s in enumerate(subscriptions)]
    )
    assert [r.delivery_id for r in results] == list(range(5))
    assert all(r.ok for r in results)
    assert sorted(json.loads(r["plaintext"])["body"] for r in service.received) == [
        f"msg {i}" for i in range(5)
    ]


def test_an_expired_subscription_is_gone_and_not_retryable(service):
    subscription = service.subscribe()
    service.expire(subscription)
    [result] = get_channel("push").send_batch([message(address=json.dumps(subscription))])
    assert not result.ok and not result.retryable and result.gone
    assert "410" in result.error
    assert service.received == []


def test_a_key_the_service_does_not_know_is_refused(settings, keys):
    with PushService(expected_key=vapid.generate()["public_key"]) as other:
        [result] = get_channel("push").send_batch([message(address=json.dumps(other.subscribe()))])
        assert other.rejected == ["unknown application server key"]
    assert not result.ok and not result.retryable and not result.gone


@pytest.mark.parametrize(
    "address",
    [
        "",
        "not json",
        "[]",
        '{"endpoint": "ftp://x", "keys": {"p256dh": "a", "auth": "b"}}',
        '{"endpoint": "https://push.example/x"}',
        '{"endpoint": "https://push.example/x", "keys": {"p256dh": "bad", "auth": "bad"}}',
    ],
)
def test_an_invalid_subscription_fails_without_raising(keys, address):
    [result] = get_channel("push").send_batch([message(address=address)])
    assert not result.ok and not result.retryable and result.gone


def test_an_unreachable_push_service_is_retryable(keys):
    with PushService() as service:
        subscription = service.subscribe()
    [result] = get_channel("push").send_batch([message(address=json.dumps(subscription))])
    assert not result.ok and result.retryable


def test_without_keys_every_message_is_retryable(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEYS_FILE = str(tmp_path / "none.json")
    results = get_channel("push").send_batch([message(1), message(2)])
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, True)]


def test_a_long_body_is_cut_to_fit_a_push_message():
    data = payload(message(body="ж" * 5000))
    assert len(data.encode()) <= MAX_PAYLOAD
    assert json.loads(data)["body"].endswith("…")


def test_the_loopback_service_checks_the_audience(keys):
    from py_vapid import Vapid

    signer = Vapid.from_raw(keys["private_key"].encode())
    header = signer.sign({"sub": "mailto:a@example.org", "aud": "http://127.0.0.1:1", "exp": 9999999999})[
        "Authorization"
    ]
    with pytest.raises(ValueError, match="aud|exp"):
        verify_vapid(header, "http://127.0.0.1:2")


@pytest.mark.parametrize("status, retryable", [(503, True), (429, True), (413, False)])
def test_push_service_errors(keys, status, retryable):
    with PushService(fail_with=status) as service:
        [result] = get_channel("push").send_batch([message(address=json.dumps(service.subscribe()))])
    assert not result.ok and result.retryable is retryable and not result.gone
    assert str(status) in result.error
