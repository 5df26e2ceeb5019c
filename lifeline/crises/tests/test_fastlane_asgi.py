"""The check-in fast lane in front of Django's ASGI handler answers as the WSGI lane and Django do.

Each request is sent in-process through the ASGI lane, through
Django's ASGI handler alone, and (for what the lane answers) through the WSGI lane; the answers are
compared status, headers and body. The lane's answer runs on the test's own connection here (the
test's transaction); a server runs it in a worker thread of its own."""

import asyncio
import json
import threading
import uuid
from http import HTTPStatus

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import connection

from lifeline.crises import services
from lifeline.crises.fastlane import MAX_BODY, PATH, AsgiFastLane, FastLane
from lifeline.crises.models import CheckInAnswer
from lifeline.crises.tests.test_fastlane import call as wsgi_call
from lifeline.nationals.models import DeviceToken


@pytest.fixture(autouse=True)
def _keep_connection(keep_test_connection, monkeypatch):
    """These tests call the handlers directly, and run the lane's answer on the test's connection."""
    monkeypatch.setattr(AsgiFastLane, "thread_sensitive", True)


@pytest.fixture(params=["orm", "statement"])
def writing(request, settings):
    """Both ways of writing an answer; the one statement is PostgreSQL's."""
    if request.param == "statement" and connection.vendor != "postgresql":
        pytest.skip("the one statement is PostgreSQL's; SQLite writes every answer through the ORM")
    settings.CHECKIN_ONE_STATEMENT = request.param == "statement"
    return request.param


@pytest.fixture
def campaign(make_crisis, people, officer):
    return services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer)


@pytest.fixture
def token(people):
    return DeviceToken.issue(people["inside"][0], label="phone")[1]


class Recorder:
    """Django's ASGI handler (or another app), counting the connections the lane hands over."""

    def __init__(self, app=None):
        self.app, self.calls, self.scopes = app or ASGIHandler(), 0, []

    async def __call__(self, scope, receive, send):
        self.calls += 1
        self.scopes.append(scope["type"])
        return await self.app(scope, receive, send)


async def exchange(app, scope, parts):
    """Run ``app`` on one request, its body in ``parts``; the client leaves once answered. The app runs
    in this context (not a fresh one), so that Django's thread-sensitive work is on the test's thread."""
    inbox = [
        {"type": "http.request", "body": p, "more_body": n < len(parts) - 1} for n, p in enumerate(parts)
    ]
    sent, answered = [], asyncio.Event()

    async def receive():
        if inbox:
            return inbox.pop(0)
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered.set()

    await asyncio.wait_for(app(scope, receive, send), 10)
    return sent[0], b"".join(m.get("body", b"") for m in sent[1:])


def call(
    app,
    body,
    token=None,
    host="testserver",
    language="en",
    secure=False,
    content_type="application/json",
    method="POST",
    path=PATH,
    pieces=1,
):
    """One request over ASGI, its body in ``pieces`` messages: (status, headers, body) as the WSGI
    helper gives them (``"201 Created"``, the headers without Content-Length and Vary's Cookie)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = [
        (b"host", host.encode()),
        (b"accept-language", language.encode()),
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(raw)).encode()),
    ]
    if token:
        headers.append((b"authorization", f"Device {token}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "https" if secure else "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("192.0.2.9", 50000),
        "server": ("testserver", 443 if secure else 80),
    }

    size = -(-len(raw) // pieces) or 1
    parts = [raw[n : n + size] for n in range(0, len(raw), size)] or [b""]
    start, content = async_to_sync(exchange)(app, scope, parts)
    assert start["type"] == "http.response.start"
    answered = {}
    for name, value in start["headers"]:
        name, value = name.decode("latin1"), value.decode("latin1")
        answered[name] = f"{answered[name]}, {value}" if name in answered else value
    answered.pop("Content-Length", None)
    vary = [v.strip() for v in answered.pop("Vary", "").split(",") if v.strip() and v.strip() != "Cookie"]
    answered["Vary"] = ", ".join(vary)
    status = f"{start['status']} {HTTPStatus(start['status']).phrase}"
    return status, answered, json.loads(content) if content.startswith((b"{", b"[")) else content


def without_moment(body):
    return {k: v for k, v in body.items() if k not in ("id", "at")}


def test_an_answer_is_given_as_the_wsgi_lane_and_django_give_it(settings, writing, campaign, people, token):
    settings.SECURE_HSTS_SECONDS = 3600
    kwargs = {"language": "ar", "secure": True}
    recorder = Recorder()
    fast = call(
        AsgiFastLane(recorder), {"answer": "need_help", "idempotency_key": str(uuid.uuid4())}, token, **kwargs
    )
    assert recorder.calls == 0
    CheckInAnswer.objects.all().delete()
    wsgi = wsgi_call(
        FastLane(WSGIHandler()),
        {"answer": "need_help", "idempotency_key": str(uuid.uuid4())},
        token,
        **kwargs,
    )
    CheckInAnswer.objects.all().delete()
    django = call(
        ASGIHandler(), {"answer": "need_help", "idempotency_key": str(uuid.uuid4())}, token, **kwargs
    )
    assert fast[0] == wsgi[0] == django[0] == "201 Created"
    assert fast[1] == wsgi[1] == django[1]  # every header, the security and language ones included
    assert fast[1]["Content-Language"] == "ar" and "Strict-Transport-Security" in fast[1]
    assert without_moment(fast[2]) == without_moment(wsgi[2]) == without_moment(django[2])
    assert fast[2]["answer"] == "need_help" and fast[2]["duplicate"] is False


def test_a_new_answer_then_its_retry(writing, campaign, people, token):
    key = str(uuid.uuid4())
    recorder = Recorder()
    first = call(AsgiFastLane(recorder), {"answer": "safe", "idempotency_key": key}, token, pieces=3)
    again = call(AsgiFastLane(recorder), {"answer": "need_help", "idempotency_key": key}, token)
    through_wsgi = wsgi_call(FastLane(WSGIHandler()), {"answer": "need_help", "idempotency_key": key}, token)
    through_django = call(ASGIHandler(), {"answer": "need_help", "idempotency_key": key}, token)
    assert recorder.calls == 0
    assert first[0] == "201 Created" and first[2]["duplicate"] is False and first[2]["answer"] == "safe"
    assert again[0] == through_wsgi[0] == through_django[0] == "200 OK"
    assert again[2] == through_wsgi[2] == through_django[2] == {**first[2], "duplicate": True}
    assert again[1] == through_wsgi[1] == through_django[1]
    assert CheckInAnswer.objects.filter(registration=people["inside"][0]).count() == 1


@pytest.mark.parametrize(
    "case",
    ["no token", "bad token", "bad answer", "not json", "form body", "too big", "nothing open", "bad host"],
)
def test_everything_else_is_answered_as_django_answers_it(case, writing, campaign, people, token):
    body, kwargs, who = {"answer": "safe", "idempotency_key": str(uuid.uuid4())}, {}, token
    if case == "no token":
        who = None
    elif case == "bad token":
        who = "not-a-token"
    elif case == "bad answer":
        body["answer"] = "maybe"
    elif case == "not json":
        body = b"{answer: safe"
    elif case == "form body":
        body, kwargs = b"answer=safe", {"content_type": "application/x-www-form-urlencoded"}
    elif case == "too big":
        body["note"] = "x" * MAX_BODY
        kwargs = {"pieces": 4}
    elif case == "nothing open":
        who = DeviceToken.issue(people["outside"])[1]
    elif case == "bad host":
        kwargs = {"host": "evil.example"}
    recorder = Recorder()
    fast = call(AsgiFastLane(recorder), body, who, **kwargs)
    django = call(ASGIHandler(), body, who, **kwargs)
    assert fast == django
    # The lane answers "nothing open" and the refused host itself; the rest it hands to Django,
    # the body replayed (a note too long for the lane is too long for the endpoint as well).
    assert recorder.calls == (0 if case in ("nothing open", "bad host") else 1)
    assert int(fast[0][:3]) >= 400
    assert not CheckInAnswer.objects.exists()


@pytest.mark.parametrize(("method", "path"), [("GET", PATH), ("PUT", PATH), ("POST", PATH + "/")])
def test_another_method_or_path_goes_to_django_untouched(method, path, campaign, token):
    body = {"answer": "safe", "idempotency_key": str(uuid.uuid4())}
    recorder = Recorder()
    fast = call(AsgiFastLane(recorder), body, token, method=method, path=path)
    assert recorder.calls == 1
    assert fast == call(ASGIHandler(), body, token, method=method, path=path)
    assert not CheckInAnswer.objects.exists()


def test_lifespan_goes_to_the_application_behind():
    async def startup(scope, receive, send):
        assert (await receive())["type"] == "lifespan.startup"
        await send({"type": "lifespan.startup.complete"})

    recorder = Recorder(startup)

    async def run():
        sent = []

        async def receive():
            return {"type": "lifespan.startup"}

        async def send(message):
            sent.append(message)

        await AsgiFastLane(recorder)({"type": "lifespan"}, receive, send)
        return sent

    assert async_to_sync(run)() == [{"type": "lifespan.startup.complete"}]
    assert recorder.scopes == ["lifespan"]


def test_the_answer_runs_in_a_worker_thread_between_the_request_signals(db, monkeypatch):
    """As a server runs it: off the test's thread, started and finished in the same worker thread (where
    Django's signals close that thread's old database connections). A refused host needs no database."""
    monkeypatch.setattr(AsgiFastLane, "thread_sensitive", False)
    body, seen = {"answer": "safe", "idempotency_key": str(uuid.uuid4())}, []

    def started(**kwargs):
        seen.append(("started", threading.get_ident()))

    def finished(**kwargs):
        seen.append(("finished", threading.get_ident()))

    request_started.connect(started)
    request_finished.connect(finished)
    recorder = Recorder()
    try:
        fast = call(AsgiFastLane(recorder), body, "a-token", host="evil.example")
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    assert recorder.calls == 0
    assert fast == call(ASGIHandler(), body, "a-token", host="evil.example")
    assert fast[0] == "400 Bad Request"
    assert [name for name, _ in seen] == ["started", "finished"]
    assert seen[0][1] == seen[1][1] != threading.get_ident()


@pytest.mark.parametrize("on", [True, False])
def test_the_asgi_application_has_the_lane_unless_it_is_off(settings, on):
    import importlib

    import lifeline.asgi

    original, settings.CHECKIN_FAST_LANE = settings.CHECKIN_FAST_LANE, on
    try:
        application = importlib.reload(lifeline.asgi).application
    finally:
        settings.CHECKIN_FAST_LANE = original
        importlib.reload(lifeline.asgi)
    django = application.app if on else application
    assert isinstance(application, AsgiFastLane) == on
    assert type(django) is ASGIHandler
