"""How a national's device proves who it is: a device token, never a password.

The JSON API takes ``Authorization: Device <token>``; the app's pages take the
same token from the ``lifeline_device`` cookie (HttpOnly, set when sign-in
succeeds). Both end in ``device_for_token``.
"""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import SimpleLazyObject
from ninja.security import APIKeyHeader

from lifeline.nationals.models import DeviceToken

COOKIE = "lifeline_device"


_DEVICE_SQL = (
    "SELECT d.id, d.registration_id, r.merged_into_id, d.last_used, d.label, d.address_index, d.channel "
    "FROM nationals_devicetoken d LEFT JOIN nationals_registration r ON r.id = d.registration_id "
    "WHERE d.digest = %s AND NOT d.revoked"
)


def device_for_token(raw):
    """The live DeviceToken for a raw token, or None; touches ``last_used`` at most every 5 minutes.

    This runs on every request of the app, and in a surge of check-ins: one indexed query in plain
    SQL (the ORM's own cost was most of the request's), and the registration is read only when a
    view uses ``device.registration``."""
    if not raw or len(raw) > 200:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_DEVICE_SQL, [DeviceToken.hash(raw)])
        found = cursor.fetchone()
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
    if last_used is None or (now - last_used).total_seconds() > 300:
        with connection.cursor() as cursor:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.execute("UPDATE nationals_devicetoken SET last_used = %s WHERE id = %s", [stamp, pk])
        last_used = now
    device = DeviceToken(
        pk=pk, registration_id=registration_id, last_used=last_used, label=label, address_index=address_index, channel=channel
    )
    device._state.adding, device._state.db = False, "default"
    return device


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
