"""How a national's device proves who it is: a device token, never a password.

The JSON API takes ``Authorization: Device <token>``; the app's pages take the
same token from the ``lifeline_device`` cookie (HttpOnly, set when sign-in
succeeds). Both end in ``device_for_token``.
"""

import datetime
import logging
import threading
import time

from django.core.signals import request_started
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import SimpleLazyObject
from ninja.security import APIKeyHeader

from lifeline.core.db import hot_cursor
from lifeline.nationals.models import DeviceToken, Registration

COOKIE = "lifeline_device"


def _device_select():
    """``SELECT`` of a device by its token's digest (``{digest}``), unless revoked, in the columns
    ``device_from_row`` reads, and ``registration``: the live registration (NULL when it was merged
    or there is none). Built from the models' table and column names. The check-in's one statement
    reads it inside its own (``device_statement``)."""
    device, registration = DeviceToken._meta, Registration._meta

    def d(name):
        return f"d.{device.get_field(name).column}"

    merged = f"r.{registration.get_field('merged_into').column}"
    columns = [
        d("id"),
        d("registration"),
        merged,
        d("last_used"),
        d("label"),
        d("address_index"),
        d("channel"),
    ]
    return (
        f"SELECT {', '.join(columns)}, CASE WHEN {merged} IS NULL THEN {d('registration')} END AS registration "
        f"FROM {device.db_table} d LEFT JOIN {registration.db_table} r "
        f"ON r.{registration.pk.column} = {d('registration')} "
        f"WHERE {d('digest')} = {{digest}} AND NOT {d('revoked')}"
    ), len(columns)


DEVICE_SELECT, DEVICE_COLUMNS = _device_select()
_BY_DIGEST = DEVICE_SELECT.format(digest="%(digest)s")


def device_for_token(raw):
    """The live DeviceToken for a raw token, or None; its ``last_used`` is kept to within 5 minutes.

    This runs on every request of the app, and in a surge of check-ins: one prepared, indexed query
    (the ORM's own cost was most of the request's), and the registration is read only when a view uses
    ``device.registration``. The use is stamped in batches (``touch``), not by a write per request."""
    digest = token_digest(raw)
    if digest is None:
        return None
    with hot_cursor() as cursor:
        cursor.execute(_BY_DIGEST, {"digest": digest})
        found = cursor.fetchone()
    return device_from_row(found[:DEVICE_COLUMNS] if found else None)


def token_digest(raw):
    """What is stored of a raw token (None for something that cannot be one)."""
    return DeviceToken.hash(raw) if raw and len(raw) <= 200 else None


def device_from_row(found):
    """The DeviceToken for a row of ``DEVICE_SELECT``'s first ``DEVICE_COLUMNS`` columns, its use
    noted; None for no row or a merged registration."""
    if found is None:
        return None
    pk, registration_id, merged_into, last_used, label, address_index, channel = found
    if merged_into is not None:
        return None
    if isinstance(last_used, str):  # SQLite hands back text
        last_used = parse_datetime(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, datetime.UTC)
    now = timezone.now()
    if last_used is None or (now - last_used).total_seconds() > TOUCH_EVERY:
        touch(pk, now)
        last_used = now
    device = DeviceToken(
        pk=pk,
        registration_id=registration_id,
        last_used=last_used,
        label=label,
        address_index=address_index,
        channel=channel,
    )
    device._state.adding, device._state.db = False, "default"
    return device


TOUCH_EVERY = 300  # seconds: how stale ``last_used`` may be
FLUSH_AFTER = 5.0  # seconds: how long a noted use may wait to be written in a surge
_touches = {}
_touch_lock = threading.Lock()
_last_flush = [0.0]
_clock = time.monotonic


def touch(pk, when):
    """Note that device ``pk`` was used at ``when``. Written at once when the process is quiet; in a
    surge, the uses noted meanwhile are written together once FLUSH_AFTER seconds have passed, with
    the process's next request, each with its own time to the second. A process that
    dies loses those seconds of stamps, which only say when a device was last seen."""
    with _touch_lock:
        _touches[pk] = max(when, _touches.get(pk, when))
    flush_touches(only_if_due=True)


def flush_touches(only_if_due=False, **_signal):
    """Write the noted uses: one UPDATE per second of use (a few in a surge). Returns how many.
    Never raises: a stamp is not worth failing a request for."""
    with _touch_lock:
        if not _touches or (only_if_due and _clock() - _last_flush[0] < FLUSH_AFTER and len(_touches) < 1000):
            return 0
        pending = dict(_touches)
        _touches.clear()
        _last_flush[0] = _clock()
    by_second = {}
    for pk, when in pending.items():
        by_second.setdefault(when.replace(microsecond=0), []).append(pk)
    try:
        with transaction.atomic():
            for (
                when,
                pks,
            ) in by_second.items():  # never backwards: another process may have written a newer one
                DeviceToken.objects.filter(
                    Q(last_used__isnull=True) | Q(last_used__lt=when), pk__in=pks
                ).update(last_used=when)
    except Exception:  # the database is away: these stamps are lost, the request goes on
        logging.getLogger(__name__).warning(
            "Could not stamp the use of %d devices.", len(pending), exc_info=True
        )
        return 0
    return len(pending)


def _flush_due(**_signal):
    flush_touches(only_if_due=True)


request_started.connect(_flush_due, dispatch_uid="lifeline-device-stamps")


def device_statement(ctx):
    """The device by its token's digest in the check-in's one statement (``crises.answering.Finder``)."""
    return DEVICE_SELECT.format(digest=ctx.param("digest"))


def device_values(digest):
    return {"digest": digest}


def device_from_header(value):
    value = value or ""
    return device_for_token(value[7:].strip()) if value.startswith("Device ") else None


def device_from_request(request):
    """For the app's pages: the cookie (pages post with Django's CSRF token), else the header."""
    return device_for_token(request.COOKIES.get(COOKIE)) or device_from_header(
        request.headers.get("Authorization")
    )


# The cookie reaches the app's own pages only, and for as long as browsers keep one.
COOKIE_PATH = "/app/"
COOKIE_DAYS = 400


def remember_on_device(response, raw):
    """Give the app's pages the device's token too (HttpOnly: the app's script never reads it)."""
    from django.conf import settings

    response.set_cookie(
        COOKIE,
        raw,
        max_age=COOKIE_DAYS * 86400,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_on_device(response):
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")


def current_registration(request):
    """The registration of the signed-in national, or None."""
    device = device_from_request(request)
    return device.registration if device else None


class DeviceAuth(APIKeyHeader):
    """ninja auth for the nationals' endpoints: sets ``request.device`` and ``request.registration``."""

    param_name = "Authorization"
    openapi_description = "Device <token>, from the sign-in endpoints of the nationals' app"

    def authenticate(self, request, key):
        # The header only: a cookie would let another site post in the person's name.
        device = device_from_header(key)
        if device is None:
            return None
        request.device = device
        request.registration = LazyRegistration(device) if device.registration_id else None
        speak_to(request, request.registration)
        return device


def speak_to(request, registration=None):
    """Answer this request in the person's language (``nationals.services.app_language``). The
    registration is read only when the request names no language itself."""
    from django.utils import translation

    from lifeline.nationals.services import app_language, explicit_language

    if registration is None or explicit_language(request):
        registration = None
    language = app_language(request, registration)
    translation.activate(language)
    request.LANGUAGE_CODE = language


class LazyRegistration(SimpleLazyObject):
    """The device's registration, read from the database only when a view uses more than its id."""

    def __init__(self, device):
        super().__init__(lambda: device.registration)
        self.__dict__["pk"] = self.__dict__["id"] = device.registration_id


class RegisteredDeviceAuth(DeviceAuth):
    """As DeviceAuth, but only for a device whose national has registered."""

    def authenticate(self, request, key):
        device = super().authenticate(request, key)
        return device if device is not None and device.registration_id is not None else None
