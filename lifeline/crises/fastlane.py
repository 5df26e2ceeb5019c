"""The fast lane: "I am safe" from the app, answered in front of Django's full stack.

When a crisis breaks, every national in the area presses "I am safe" within
minutes. Answering one is a single prepared statement (the device by its token,
the answer and everything it changes); the rest of a request's cost would be
the framework around it: a dozen middleware classes for sessions, staff sign-in,
CSRF and static files, URL routing, and django-ninja's machinery. This layer
answers ``POST /api/app/checkins`` itself, in front of either interface: ``FastLane``
wraps the WSGI application, ``AsgiFastLane`` Django's ASGI handler. Both ask
``takes`` whether to read a request and hand the request to one ``Lane``, with:

- the endpoint's own rules: the ``CheckInIn`` schema and ``app_api.answer``,
  which finds the device by its token in the same statement as the answer
  (``services.record_answer`` with the token, and ``DeviceAuth``'s SQL), rendered by the same API;
- the middleware that shapes every response (``RESPONSE_MIDDLEWARE``: security
  headers, the language, host checks, framing), as Django would apply them.

Whatever it does not answer goes to Django unchanged, body included, and is
answered by the ninja endpoint as before: no or a bad token, a body that does
not validate (ninja's error format), a body over the size limit, an
unexpected error. A replay is always safe: every answer carries its
idempotency key. Tests send the same requests both ways and compare them
(``test_fastlane.py`` over WSGI, ``test_fastlane_asgi.py`` over ASGI).

Over ASGI the lane reads the body from ``receive`` (what it read is given back
to Django when it hands over) and answers in a worker thread (``sync_to_async``,
not thread-sensitive), between the ``request_started`` and ``request_finished``
signals that close that thread's old database connections, as Django's handler
does; every other scope (lifespan included) goes to Django untouched.

Measured (``bench/checkin_surge.py``, granian, PostgreSQL): 1,328 accepted
check-ins a second with the fast lane, 910 with Django's stack and the one
statement, 267 with Django's stack and the ORM alone; the lane is kept.
``CHECKIN_FAST_LANE=0`` leaves this layer out of both applications (``lifeline/wsgi.py``,
``lifeline/asgi.py``); ``bench/checkin_surge.py`` measures with and without it in one run.
"""

import io
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig
from django.core.handlers import asgi
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpResponse
from django.urls import set_script_prefix
from django.utils.module_loading import import_string
from pydantic import ValidationError

PATH = "/api/app/checkins"
MAX_BODY = 64 * 1024  # a check-in is at most a few kilobytes (its note is limited); bigger goes to Django
logger = logging.getLogger(__name__)

# The middleware of settings.MIDDLEWARE that applies to this endpoint; the others are for sessions,
# staff sign-in (two factors, lockouts), CSRF on cookie-authenticated forms and static files.
RESPONSE_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "lifeline.core.http.ContentSecurityPolicyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)


class _Replay(Exception):
    """Not for the fast lane: let Django answer."""


def _answer(request):
    from lifeline.api.urls import api
    from lifeline.core.http import client_ip
    from lifeline.crises.app_api import CheckInIn, answer

    if request.content_type != "application/json":
        raise _Replay
    header = request.headers.get("Authorization") or ""
    if not header.startswith("Device "):
        raise _Replay
    try:
        payload = CheckInIn.model_validate_json(request.body)
    except (ValidationError, RequestDataTooBig):
        raise _Replay from None
    status, body = answer(payload, client_ip(request), token=header[7:].strip(), request=request)
    if status is None:
        raise _Replay
    return api.create_response(request, body, status=status)


def _chain(view):
    """``view`` wrapped in RESPONSE_MIDDLEWARE, in the order settings.MIDDLEWARE gives them."""
    handler = convert_exception_to_response(view)
    for path in reversed([m for m in settings.MIDDLEWARE if m in RESPONSE_MIDDLEWARE]):
        handler = convert_exception_to_response(import_string(path)(handler))
    return handler


def takes(method, path_info, authorization, content_type, content_length):
    """Whether the lane reads this request (both interfaces ask this before reading the body): a POST
    to PATH with a device token, JSON, and a length it declares up to MAX_BODY (and Django's limit)."""
    if (
        path_info != PATH
        or method != "POST"
        or not (authorization or "").startswith("Device ")
        or not (content_type or "").startswith("application/json")
    ):
        return False
    try:
        length = int(content_length or 0)
    except ValueError:
        return False
    return 0 < length <= min(MAX_BODY, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_BODY)


def _view(request):
    try:
        return _answer(request)
    except _Replay:
        pass
    except Exception:  # Django answers it (a retry of an answer written is found by its key)
        logger.error("The check-in fast lane failed; Django answers instead.", exc_info=True)
    request._replay = True
    return HttpResponse(status=204)  # discarded: the request is replayed


class Lane:
    """The answering both interfaces share: a Django request in, the lane's response out (with
    RESPONSE_MIDDLEWARE applied), or None when Django is to answer it (the body replayed)."""

    def __init__(self):
        self.handler = None

    def __call__(self, request):
        if self.handler is None:
            self.handler = _chain(_view)
        request._replay = False
        response = self.handler(request)
        if request._replay:
            return None
        response._resource_closers.append(request.close)
        return response


class FastLane:
    """WSGI middleware: ``POST /api/app/checkins`` here, everything else to ``app``."""

    def __init__(self, app):
        self.app = app
        self.lane = Lane()

    def __call__(self, environ, start_response):
        if not takes(
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            environ.get("HTTP_AUTHORIZATION"),
            environ.get("CONTENT_TYPE"),
            environ.get("CONTENT_LENGTH"),
        ):
            return self.app(environ, start_response)  # before reading anything
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        environ["wsgi.input"] = io.BytesIO(body)
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=self.__class__, environ=environ)
        response = self.lane(WSGIRequest(environ))
        if response is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response  # closing it sends request_finished, as Django's handler does


class AsgiFastLane:
    """ASGI middleware: ``POST /api/app/checkins`` here, everything else (lifespan and websockets
    included) to ``app``. The answer runs in a worker thread, between the request signals that
    close a worker's old database connections, as Django's handler runs a request."""

    thread_sensitive = False  # a worker of its own per answer (tests use theirs: their transaction)

    def __init__(self, app):
        self.app = app
        self.lane = Lane()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin1").lower(): v.decode("latin1") for k, v in scope.get("headers") or ()}
        script, path = asgi.get_script_prefix(scope), scope["path"]
        if not takes(
            scope["method"],
            path.removeprefix(script) if script else path,
            headers.get("authorization"),
            headers.get("content-type"),
            headers.get("content-length"),
        ):
            return await self.app(scope, receive, send)  # before reading anything
        length, received, body = int(headers["content-length"]), [], b""
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break  # the client left: Django hears it
            body += message.get("body", b"")
            if len(body) > length or not message.get("more_body"):
                break
        answered = None
        if len(body) == length and received[-1]["type"] == "http.request":
            answered = await sync_to_async(self._answer, thread_sensitive=self.thread_sensitive)(scope, body)
        if answered is None:
            return await self.app(scope, _replaying(received, receive), send)
        status, response_headers, content = answered
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": content})

    def _answer(self, scope, body):
        """(status, headers, body) of the lane's answer, or None; in one thread, as WSGI runs it."""
        set_script_prefix(asgi.get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        response = None
        try:
            try:
                request = asgi.ASGIRequest(scope, io.BytesIO(body))
            except Exception:  # Django answers what it cannot read (a 400)
                return None
            response = self.lane(request)
            if response is None:
                return None
            headers = [(k.encode("ascii"), v.encode("latin1")) for k, v in response.items()]
            for cookie in response.cookies.values():
                headers.append((b"Set-Cookie", cookie.output(header="").encode("ascii").strip()))
            return response.status_code, headers, response.content
        finally:
            if response is None:
                signals.request_finished.send(sender=self.__class__)
            else:
                response.close()  # sends request_finished, as Django's handler does


def _replaying(received, receive):
    """``receive`` that first gives back the messages the lane has read."""
    pending = list(received)

    async def replay():
        return pending.pop(0) if pending else await receive()

    return replay
