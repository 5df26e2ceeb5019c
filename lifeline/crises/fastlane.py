"""The fast lane: "I am safe" from the app, answered in front of Django's full stack.

When a crisis breaks, every national in the area presses "I am safe" within
minutes. Answering one is a single prepared statement (the device by its token,
the answer and everything it changes); the rest of a request's cost would be
the framework around it: a dozen middleware classes for sessions, staff sign-in,
CSRF and static files, URL routing, and django-ninja's machinery. This WSGI
layer answers ``POST /api/app/checkins`` itself, with:

- the endpoint's own rules: the ``CheckInIn`` schema and ``app_api.answer``,
  which finds the device by its token in the same statement as the answer
  (``services.record_answer`` with the token, and ``DeviceAuth``'s SQL), rendered by the same API;
- the middleware that shapes every response (``RESPONSE_MIDDLEWARE``: security
  headers, the language, host checks, framing), as Django would apply them.

Whatever it does not answer goes to Django unchanged, body included, and is
answered by the ninja endpoint as before: no or a bad token, a body that does
not validate (ninja's error format), a body over the size limit, an
unexpected error. A replay is always safe: every answer carries its
idempotency key. A test sends the same requests both ways and compares them.

``CHECKIN_FAST_LANE=0`` leaves this layer out of the WSGI application (``lifeline/wsgi.py``);
``bench/checkin_surge.py`` measures with and without it in one run.
"""

import io
import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig
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


class FastLane:
    """WSGI middleware: ``POST /api/app/checkins`` here, everything else to ``app``."""

    def __init__(self, app):
        self.app = app
        self.handler = None

    def __call__(self, environ, start_response):
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or not environ.get("HTTP_AUTHORIZATION", "").startswith("Device ")
            or not environ.get("CONTENT_TYPE", "").startswith("application/json")
        ):
            return self.app(environ, start_response)  # before reading anything
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= min(MAX_BODY, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_BODY):
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        if self.handler is None:
            self.handler = _chain(self._view)
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        request._replay = False
        response = self.handler(request)
        if request._replay:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        response._resource_closers.append(request.close)
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response  # closing it sends request_finished, as Django's handler does

    @staticmethod
    def _view(request):
        try:
            return _answer(request)
        except _Replay:
            pass
        except Exception:  # Django answers it (a retry of an answer written is found by its key)
            logger.error("The check-in fast lane failed; Django answers instead.", exc_info=True)
        request._replay = True
        return HttpResponse(status=204)  # discarded: the request is replayed
