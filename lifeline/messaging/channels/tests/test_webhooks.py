import contextlib
import hashlib
import hmac
import json
import threading
import time
from unittest import mock
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.dispatch import receiver

from lifeline.messaging.channels import inbound
from tests.rigs.gateway import Gateway

from .conftest import SECRET, message

RECEIPT = "/messaging/hooks/sms/receipt"
INBOUND = "/messaging/hooks/sms/inbound"


@pytest.fixture
def recorded(monkeypatch):
    calls = []
    monkeypatch.setattr(inbound, "record", lambda *args: calls.append(args))
    return calls


@pytest.fixture
def heard():
    signals = []

    @receiver(inbound.sms_received, weak=False)
    def listen(sender, **kwargs):
        signals.append(kwargs)

    yield signals
    inbound.sms_received.disconnect(listen)


def signed(body, secret=SECRET, now=None):
    """The headers the gateway sends (as test client keyword arguments)."""
    headers = inbound.signed_headers(body, secret, now=now)
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


def post_json(client, url, data, secret=SECRET):
    body = json.dumps(data).encode()
    extra = signed(body, secret) if secret is not None else {}
    return client.post(url, body, content_type="application/json", **extra)


def post_form(client, url, data, secret=SECRET):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, data)
    return client.generic("POST", url, body, content_type=MULTIPART_CONTENT, **signed(body, secret))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


# --- receipts ---------------------------------------------------------------


def test_a_receipt_is_recorded(client, webhook_secret, recorded):
    response = post_json(client, RECEIPT, {"id": "gw-1", "status": "delivered"})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "recorded": 1}
    assert recorded == [("sms", "gw-1", "delivered", "")]


def test_a_list_of_receipts_with_failures_and_interim_states(client, webhook_secret, recorded):
    data = [
        {"id": "gw-1", "status": "DELIVRD"},
        {"message_id": "gw-2", "status": "undelivered", "error": "absent subscriber"},
        {"id": "gw-3", "status": "sent"},
    ]
    assert post_json(client, RECEIPT, data).status_code == 200
    assert recorded == [("sms", "gw-1", "delivered", ""), ("sms", "gw-2", "failed", "absent subscriber")]


def test_a_form_receipt_is_read(client, webhook_secret, recorded):
    response = post_form(
        client, RECEIPT, {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "30003"}
    )
    assert response.status_code == 200
    assert recorded == [("sms", "SM1", "failed", "30003")]


def test_a_receipt_sent_again_with_a_new_signature_is_harmless(client, webhook_secret, recorded):
    for now in (1_000, 1_001):
        body = json.dumps({"id": "gw-1", "status": "delivered"}).encode()
        with _clock(now):
            response = client.post(RECEIPT, body, content_type="application/json", **signed(body, now=now))
        assert response.status_code == 200
    assert (
        recorded == [("sms", "gw-1", "delivered", "")] * 2
    )  # the core's record_receipt is idempotent per provider id


@pytest.mark.parametrize("secret", [None, "", "wrong"])
def test_a_wrong_secret_is_refused(client, webhook_secret, recorded, secret):
    response = post_json(client, RECEIPT, {"id": "gw-1", "status": "delivered"}, secret=secret)
    assert response.status_code == 403
    assert "signature" in response.json()["detail"]
    assert recorded == []


def test_no_secret_configured_refuses_everything(client, settings, recorded):
    settings.SMS_WEBHOOK_SECRET = ""
    response = post_json(client, RECEIPT, {"id": "gw-1", "status": "delivered"}, secret="")
    assert response.status_code == 403
    assert recorded == []


def test_the_signature_covers_the_timestamp_and_the_body(client, settings, recorded):
    settings.SMS_WEBHOOK_SECRET = SECRET
    settings.SMS_WEBHOOK_HEADER = "X-Signature"
    settings.SMS_WEBHOOK_TIMESTAMP_HEADER = "X-Time"
    body = json.dumps({"id": "gw-9", "status": "delivered"}).encode()
    stamp = str(int(time.time()))
    good = "sha256=" + hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()

    def post(data, signature, timestamp=stamp):
        return client.post(
            RECEIPT, data, content_type="application/json", HTTP_X_SIGNATURE=signature, HTTP_X_TIME=timestamp
        ).status_code

    assert post(body + b" ", good) == 403  # another body
    assert post(body, good, str(int(stamp) - 1)) == 403  # another time
    assert post(body, SECRET) == 403  # the bare secret is not a signature
    assert post(body, "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()) == 403
    assert post(body, good, "") == 403
    assert post(body, good) == 200
    assert recorded == [("sms", "gw-9", "delivered", "")]


@contextlib.contextmanager
def _clock(now):
    with mock.patch.object(inbound.time, "time", return_value=now):
        yield


@pytest.mark.parametrize("age", [-301, 301, 10_000])
def test_a_call_outside_the_time_window_is_refused(client, webhook_secret, heard, age):
    body = json.dumps({"from": "+962791234567", "text": "SAFE"}).encode()
    with _clock(1_000_000):
        response = client.post(
            INBOUND, body, content_type="application/json", **signed(body, now=1_000_000 - age)
        )
    assert response.status_code == 403 and "too old" in response.json()["detail"]
    assert heard == []


@pytest.mark.django_db
def test_a_replayed_call_is_refused_and_applies_nothing(client, webhook_secret, heard):
    body = json.dumps({"from": "+962791234567", "text": "SAFE"}).encode()
    headers = signed(body)
    assert client.post(INBOUND, body, content_type="application/json", **headers).status_code == 200
    replay = client.post(INBOUND, body, content_type="application/json", **headers)
    assert replay.status_code == 409 and "already" in replay.json()["detail"]
    assert len(heard) == 1


def test_a_call_that_failed_may_be_retried(client, webhook_secret, monkeypatch):
    calls = []

    def flaky(*args):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("database down")

    monkeypatch.setattr(inbound, "record", flaky)
    body = json.dumps({"id": "gw-1", "status": "delivered"}).encode()
    headers = signed(body)
    assert client.post(RECEIPT, body, content_type="application/json", **headers).status_code == 503
    assert client.post(RECEIPT, body, content_type="application/json", **headers).status_code == 200
    assert len(calls) == 2


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"[1, 2]",
        b'{"status": "delivered"}',
        b'{"id": "gw-1"}',
        b'[{"id": "gw-1", "status": "delivered"}, {"id": "gw-2"}]',
        b"\xff\xfe",
    ],
)
def test_a_malformed_receipt_is_a_400_and_records_nothing(client, webhook_secret, recorded, body):
    response = client.post(RECEIPT, body, content_type="application/json", **signed(body))
    assert response.status_code == 400
    assert response.json()["detail"]
    assert recorded == []


def test_only_post_is_allowed(client, webhook_secret):
    assert client.get(RECEIPT).status_code == 405


def test_receipts_wait_for_the_core_when_it_is_missing(client, webhook_secret, monkeypatch):
    def missing(*args):
        raise ImportError("no record_receipt yet")

    monkeypatch.setattr(inbound, "record", missing)
    response = post_json(client, RECEIPT, {"id": "gw-1", "status": "delivered"})
    assert response.status_code == 503  # the gateway retries later


def test_record_hands_the_receipt_to_the_core(monkeypatch):
    services = pytest.importorskip("lifeline.messaging.services")
    if not hasattr(services, "record_receipt"):
        pytest.skip("the messaging core has no record_receipt yet")
    calls = []
    monkeypatch.setattr(services, "record_receipt", lambda *args: calls.append(args))
    inbound.record("sms", "gw-1", "failed", "expired")
    assert calls == [("sms", "gw-1", "failed", "expired")]


@contextlib.contextmanager
def serve_django():
    """This Django project over real HTTP on a free loopback port (the webhook needs no database)."""
    server = make_server("127.0.0.1", 0, WSGIHandler(), server_class=WSGIServer, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_receipts_posted_back_by_the_gateway_reach_the_webhook(settings, webhook_secret, recorded):
    settings.SMS_GATEWAY_BATCH = '{"messages": "{messages}"}'
    with (
        serve_django() as site,
        Gateway(receipts_to=site + RECEIPT, receipt_secret=SECRET) as gw,
    ):
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        settings.SMS_GATEWAY_BATCH_URL = gw.url + "/batch"
        from lifeline.messaging.channels import get_channel

        results = get_channel("sms").send_batch(
            [message(i, address=f"+96279123{i:04d}") for i in range(1, 21)]
        )
        assert gw.wait_for_receipts()
    assert sorted(provider for _c, provider, _s, _e in recorded) == sorted(r.provider_id for r in results)
    assert {status for _c, _p, status, _e in recorded} == {"delivered"}


# --- inbound ----------------------------------------------------------------


@pytest.mark.django_db  # the product's receivers look the number up
def test_an_inbound_keyword_sends_the_signal(client, webhook_secret, heard):
    response = post_json(client, INBOUND, {"from": "+962 79 123 4567", "text": "Safe, all four of us"})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "keyword": "safe", "language": "en"}
    assert heard == [
        {
            "signal": inbound.sms_received,
            "phone": "+962791234567",
            "keyword": "safe",
            "text": "Safe, all four of us",
            "language": "en",
        }
    ]


@pytest.mark.django_db  # the product's receivers look the number up
def test_an_arabic_stop_by_form(client, webhook_secret, heard):
    response = post_form(client, INBOUND, {"From": "+9613123456", "Body": "توقف"})
    assert response.status_code == 200
    assert [(h["phone"], h["keyword"], h["language"]) for h in heard] == [("+9613123456", "stop", "ar")]


@pytest.mark.django_db  # the product's receivers look the number up
def test_a_text_without_keyword_is_still_passed_on(client, webhook_secret, heard):
    assert (
        post_json(client, INBOUND, {"from": "+639171234567", "text": "Where is the shelter?"}).status_code
        == 200
    )
    assert [(h["keyword"], h["language"]) for h in heard] == [("", "")]


@pytest.mark.parametrize(
    "data",
    [
        {"from": "12", "text": "SAFE"},
        {"text": "SAFE"},
        {"from": "+962791234567", "text": "x" * 2000},
        [{"from": "+962791234567", "text": "a"}] * 2,
    ],
)
def test_bad_inbound_is_a_400_and_no_signal(client, webhook_secret, heard, data):
    response = post_json(client, INBOUND, data)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert heard == []


def test_inbound_needs_the_secret(client, webhook_secret, heard):
    assert (
        post_json(client, INBOUND, {"from": "+962791234567", "text": "HELP"}, secret="nope").status_code
        == 403
    )
    assert heard == []


def test_a_failing_receiver_asks_the_gateway_to_retry(client, webhook_secret):
    @receiver(inbound.sms_received, weak=False)
    def broken(sender, **kwargs):
        raise RuntimeError("database down")

    try:
        response = post_json(client, INBOUND, {"from": "+962791234567", "text": "HELP"})
    finally:
        inbound.sms_received.disconnect(broken)
    assert response.status_code == 503


def test_a_failure_in_the_core_asks_the_gateway_to_retry(client, webhook_secret, monkeypatch):
    def broken(*args):
        raise RuntimeError("database down")

    monkeypatch.setattr(inbound, "record", broken)
    response = post_json(client, RECEIPT, {"id": "gw-1", "status": "delivered"})
    assert response.status_code == 503
