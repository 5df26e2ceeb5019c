"""The check-in fast lane answers as the ninja endpoint does, and hands Django everything else."""

import io
import json
import uuid

import pytest
from django.core.handlers.wsgi import WSGIHandler

from lifeline.crises import services
from lifeline.crises.fastlane import FastLane
from lifeline.crises.models import CheckInAnswer
from lifeline.nationals.models import DeviceToken


@pytest.fixture(autouse=True)
def _keep_connection(keep_test_connection):
    """These tests call WSGI handlers directly."""


@pytest.fixture
def campaign(make_crisis, people, officer):
    return services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer)


@pytest.fixture
def token(people):
    return DeviceToken.issue(people["inside"][0], label="phone")[1]


class Recorder:
    """Django's handler, counting the requests the fast lane hands over."""

    def __init__(self):
        self.django, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def call(
    app, body, token=None, host="testserver", language="en", secure=False, content_type="application/json"
):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/app/checkins",
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443" if secure else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "192.0.2.9",
        "HTTP_ACCEPT_LANGUAGE": language,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.errors": io.StringIO(),
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Device {token}"
    started = {}
    result = app(environ, lambda status, headers: started.update(status=status, headers=headers))
    content = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    headers = dict(started["headers"])
    headers.pop("Content-Length", None)
    # Django's stack reads the session on the way (staff middleware), so its answers vary by cookie;
    # the fast lane never reads one, and the answer does not depend on it.
    vary = [v.strip() for v in headers.pop("Vary", "").split(",") if v.strip() and v.strip() != "Cookie"]
    headers["Vary"] = ", ".join(vary)
    return started["status"], headers, json.loads(content) if content.startswith((b"{", b"[")) else content


def both(token, body, **kwargs):
    """The same request through the fast lane and through Django alone: (fast, django, handed over)."""
    recorder = Recorder()
    fast = call(FastLane(recorder), body, token, **kwargs)
    handed_over = recorder.calls
    return fast, call(WSGIHandler(), body, token, **kwargs), handed_over


def test_an_answer_is_given_in_the_fast_lane_exactly_as_the_endpoint_gives_it(
    settings, campaign, people, token
):
    settings.SECURE_HSTS_SECONDS = 3600
    recorder = Recorder()
    fast = call(
        FastLane(recorder),
        {"answer": "need_help", "idempotency_key": str(uuid.uuid4())},
        token,
        language="ar",
        secure=True,
    )
    django = call(
        WSGIHandler(),
        {"answer": "need_help", "idempotency_key": str(uuid.uuid4())},
        token,
        language="ar",
        secure=True,
    )
    assert recorder.calls == 0
    assert fast[0] == django[0] == "201 Created"
    assert fast[1] == django[1]  # every header, the security and language ones included
    assert fast[1]["Content-Language"] == "ar" and "Strict-Transport-Security" in fast[1]
    assert fast[2]["id"] != django[2]["id"]
    assert {k: v for k, v in fast[2].items() if k not in ("id", "at")} == {
        k: v for k, v in django[2].items() if k not in ("id", "at")
    }
    assert len(fast[2]["at"]) == len(django[2]["at"])


def test_a_new_answer_then_its_retry(campaign, people, token):
    key = str(uuid.uuid4())
    recorder = Recorder()
    first = call(FastLane(recorder), {"answer": "safe", "idempotency_key": key}, token)
    again = call(FastLane(recorder), {"answer": "need_help", "idempotency_key": key}, token)
    through_django = call(WSGIHandler(), {"answer": "need_help", "idempotency_key": key}, token)
    assert recorder.calls == 0
    assert first[0] == "201 Created" and first[2]["duplicate"] is False and first[2]["answer"] == "safe"
    assert again[0] == through_django[0] == "200 OK"
    assert again[2] == through_django[2] == {**first[2], "duplicate": True}
    assert again[1] == through_django[1]
    assert CheckInAnswer.objects.filter(registration=people["inside"][0]).count() == 1
    assert (
        first[2]["at"].endswith("Z")
        and first[2]["request"] == campaign.requests.get(registration=people["inside"][0]).pk
    )


@pytest.mark.parametrize(
    "case",
    [
        "no token",
        "bad token",
        "bad answer",
        "bad key",
        "bad location",
        "not json",
        "form body",
        "nothing open",
        "bad host",
        "empty",
    ],
)
def test_everything_else_is_answered_as_django_answers_it(case, campaign, people, token):
    body, kwargs, who = {"answer": "safe", "idempotency_key": str(uuid.uuid4())}, {}, token
    if case == "no token":
        who = None
    elif case == "bad token":
        who = "not-a-token"
    elif case == "bad answer":
        body["answer"] = "maybe"
    elif case == "bad key":
        body["idempotency_key"] = "again"
    elif case == "bad location":
        body["location"] = "here"
    elif case == "not json":
        body = b"{answer: safe"
    elif case == "form body":
        body, kwargs = b"answer=safe", {"content_type": "application/x-www-form-urlencoded"}
    elif case == "nothing open":
        who = DeviceToken.issue(people["outside"])[1]
    elif case == "bad host":
        kwargs = {"host": "evil.example"}
    elif case == "empty":
        body = b""
    fast, django, handed_over = both(who, body, **kwargs)
    assert fast == django
    # The lane answers "nothing open" and the refused host itself; the rest it hands to Django.
    assert handed_over == (0 if case in ("nothing open", "bad host") else 1)
    assert int(fast[0][:3]) >= 400
    assert not CheckInAnswer.objects.exists()
