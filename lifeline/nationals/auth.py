"""How a national's device proves who it is: a device token, never a password.

The JSON API takes ``Authorization: Device <token>``; the app's pages take the
same token from the ``lifeline_device`` cookie (HttpOnly, set when sign-in
succeeds). Both end in ``device_for_token``.
"""

import datetime
import threading
import time

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import SimpleLazyObject
from ninja.security import APIKeyHeader

from lifeline.core.db import hot_cursor
from lifeline.nationals.models import DeviceToken

COOKIE = "lifeline_device"


# A device by its token's digest, unless revoked; ``device_from_row`` reads the columns. The check-in
# fast lane reads it inside its own statement (``crises.services.accept_answer_with_token``).
DEVICE_COLUMNS = "d.id, d.registration_id, r.merged_into_id, d.last_used, d.label, d.address_index, d.channel"
DEVICE_FROM = (
    "FROM nationals_devicetoken d LEFT JOIN nationals_registration r ON r.id = d.registration_id "
    "WHERE d.digest = %(digest)s AND NOT d.revoked"
)


def device_for_token(raw):
    """The live DeviceToken for a raw token, or None; its ``last_used`` is kept to within 5 minutes.

    This runs on every request of the app, and in a surge of check-ins: one prepared, indexed query
    (the ORM's own cost was most of the request's), and the registration is read only when a view uses
    ``device.registration``. The use is stamped in batches (``touch``), not by a write per request."""
    digest = token_digest(raw)
    if digest is None:
        return None
    with hot_cursor() as cursor:
        cursor.execute(f"SELECT {DEVICE_COLUMNS} {DEVICE_FROM}", {"digest": digest})
        return device_from_row(cursor.fetchone())


def token_digest(raw):
    """What is stored of a raw token (None for something that cannot be one)."""
    return DeviceToken.hash(raw) if raw and len(raw) <= 200 else None


def device_from_row(found):
    """The DeviceToken for a row of DEVICE_COLUMNS, its use noted; None for no row or a merged registration."""
    if found is None:
        return None
    pk, registration_id, merged_into, last_used, label, address_index, channel = found
    if merged_into is not None:
        return None
    if isinstance(last_used, str):  # SQLite hands back text
        last_used = parse_datetime(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, datetime.timezone.utc)
    now = timezone.now()
    if last_used is None or (now - last_used).total_seconds() > TOUCH_EVERY:
        touch(pk, now)
        last_used = now
    device = DeviceToken(
        pk=pk, registration_id=registration_id, last_used=last_used, label=label, address_index=address_index, channel=channel
    )
    device._state.adding, device._state.db = False, "default"
    return device


TOUCH_EVERY = 300  # seconds: how stale ``last_used`` may be
_touches = {}
_touch_lock = threading.Lock()
_last_flush = [0.0]


def touch(pk, when, flush_after=5.0):
    """Note that device ``pk`` was used at ``when``. Written at once when the process is quiet; in a
    surge, the uses noted meanwhile are written together, one batch at most every ``flush_after``
    seconds (or every 1,000 devices). A process that dies loses at most those seconds of stamps, which
    only say when a device was last seen."""
    with _touch_lock:
        _touches[pk] = when
        if time.monotonic() - _last_flush[0] < flush_after and len(_touches) < 1000:
            return
        pending = dict(_touches)
        _touches.clear()
        _last_flush[0] = time.monotonic()
    flush_touches(pending)


def flush_touches(pending=None):
    """Write the noted uses (or ``pending``) now, in one statement stamped with the latest of them
    (at most ``flush_after`` seconds off for the others)."""
    if pending is None:
        with _touch_lock:
            pending = dict(_touches)
            _touches.clear()
    if not pending:
        return 0
    return DeviceToken.objects.filter(pk__in=list(pending)).update(last_used=max(pending.values()))


def device_from_header(value):
    value = value or ""
    return device_for_token(value[7:].strip()) if value.startswith("Device ") else None


def device_from_request(request):
    """For the app's pages: the cookie (pages post with Django's CSRF token), else the header."""
    return device_for_token(request.COOKIES.get(COOKIE)) or device_from_header(request.headers.get("Authorization"))


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
        return device


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
