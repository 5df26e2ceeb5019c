"""Inbound SMS and delivery receipts from the gateway: parsing and what follows.

An inbound text becomes the ``sms_received`` signal, sent with ``phone`` (E.164),
``keyword`` ("safe", "help", "stop", "start" or ""), ``text`` and ``language``
(the keyword's language, or ""). Check-in answers and unsubscribes are the
receivers' business: this module does not know their models.
"""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal
from django.utils.translation import gettext as _

from lifeline.core.http import BadBody, loads_json

from . import keywords
from .sms import normalise_phone

log = logging.getLogger(__name__)

sms_received = Signal()  # kwargs: phone, keyword, text, language

MAX_TEXT = 1600
DELIVERED = ("delivered", "delivrd", "success", "succeeded")
FAILED = ("failed", "undelivered", "undeliv", "rejected", "rejectd", "expired", "deleted", "error")
ID_FIELDS = ("id", "message_id", "messageId", "MessageSid", "msgid")
STATUS_FIELDS = ("status", "MessageStatus", "stat", "dlr_status")
ERROR_FIELDS = ("error", "error_code", "ErrorCode", "err")
FROM_FIELDS = ("from", "From", "sender", "msisdn")
TEXT_FIELDS = ("text", "Text", "Body", "body", "message")


class WebhookError(Exception):
    """A request the webhook refuses; ``status`` is the HTTP status to answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def sign(secret, timestamp, body):
    """The signature of a webhook call: hex HMAC-SHA256 of "<timestamp>." followed by the raw body."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_headers(body, secret=None, now=None):
    """The headers a sender (the gateway, or a test rig standing in for it) puts on a call."""
    timestamp = str(int(now if now is not None else time.time()))
    return {
        settings.SMS_WEBHOOK_TIMESTAMP_HEADER: timestamp,
        settings.SMS_WEBHOOK_HEADER: "sha256="
        + sign(settings.SMS_WEBHOOK_SECRET if secret is None else secret, timestamp, body),
    }


def _seen_key(signature):
    return f"lifeline:webhook-seen:{signature}"


def check_signature(request):
    """Raise WebhookError unless the request is signed, recent and new.

    The header ``SMS_WEBHOOK_TIMESTAMP_HEADER`` holds the Unix time of the call and
    ``SMS_WEBHOOK_HEADER`` the hex HMAC-SHA256, keyed with ``SMS_WEBHOOK_SECRET``, of
    "<timestamp>." and the raw body (a "sha256=" prefix is accepted). A call older or
    newer than ``SMS_WEBHOOK_MAX_AGE`` seconds is refused (403), and so is a second call
    with the same signature (409): a recorded call cannot be played again. No secret
    configured: every call is refused. ``forget(request)`` lets a call that failed be retried.
    """
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret:
        raise WebhookError(_("This webhook is not configured."), status=403)
    stamp = request.headers.get(settings.SMS_WEBHOOK_TIMESTAMP_HEADER, "").strip()
    given = request.headers.get(settings.SMS_WEBHOOK_HEADER, "").removeprefix("sha256=").strip().lower()
    if not stamp.isascii() or not stamp.isdigit() or not given:
        raise WebhookError(_("The signature or its timestamp is missing."), status=403)
    if not hmac.compare_digest(given.encode(), sign(secret, stamp, request.body).encode()):
        raise WebhookError(_("The signature is missing or wrong."), status=403)
    max_age = settings.SMS_WEBHOOK_MAX_AGE
    if abs(time.time() - int(stamp)) > max_age:
        raise WebhookError(
            _("The request is too old (or its clock is wrong); it was not applied."), status=403
        )
    # Remembered a little longer than the window in which the timestamp is accepted.
    if not cache.add(_seen_key(given), 1, 2 * max_age + 60):
        raise WebhookError(_("This request was received already; it was not applied again."), status=409)
    request.webhook_signature = given


def forget(request):
    """A call that could not be processed may come again with the same signature."""
    signature = getattr(request, "webhook_signature", None)
    if signature:
        cache.delete(_seen_key(signature))


def _items(request):
    """The posted records as a list of dicts, from JSON (object or list) or a form."""
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return [request.POST.dict()]
    try:
        data = loads_json(request.body)
    except BadBody:
        raise WebhookError(_("The body is neither JSON nor a form.")) from None
    if isinstance(data, dict):
        for key in ("receipts", "messages", "results"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise WebhookError(_("Expected a JSON object or a list of objects."))
    return items


def _field(item, names):
    for name in names:
        value = item.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def parse_receipt(request):
    """[(provider_id, "delivered" | "failed", error)] from a receipt request.

    Interim states (queued, sent, buffered...) are left out; a record without an
    id or a status makes the whole request malformed.
    """
    receipts = []
    for number, item in enumerate(_items(request), start=1):
        provider_id, status = _field(item, ID_FIELDS), _field(item, STATUS_FIELDS).lower()
        if not provider_id or not status:
            raise WebhookError(_("Receipt %(n)s has no message id or no status.") % {"n": number})
        if len(provider_id) > 200:
            raise WebhookError(_("Receipt %(n)s has an id that is too long.") % {"n": number})
        if status in DELIVERED:
            receipts.append((provider_id, "delivered", ""))
        elif status in FAILED:
            receipts.append((provider_id, "failed", _field(item, ERROR_FIELDS)[:200] or status))
    return receipts


def record(channel, provider_id, status, error=""):
    """The one place that hands a receipt to the messaging core."""
    from lifeline.messaging.services import record_receipt

    record_receipt(channel, provider_id, status, error)


def parse_inbound(request):
    """(phone, text) of an inbound SMS; raises WebhookError when unusable."""
    items = _items(request)
    if len(items) != 1:
        raise WebhookError(_("Send one inbound message per request."))
    raw_phone, text = _field(items[0], FROM_FIELDS), _field(items[0], TEXT_FIELDS)
    phone = normalise_phone(raw_phone)
    if phone is None:
        raise WebhookError(_("“%(phone)s” is not a valid phone number.") % {"phone": raw_phone[:40]})
    if len(text) > MAX_TEXT:
        raise WebhookError(_("The text is longer than %(n)s characters.") % {"n": MAX_TEXT})
    return phone, text


def receive_sms(phone, text):
    """Read the keyword and tell the receivers. Returns (keyword, language, failures)."""
    keyword, language = keywords.match(text)
    responses = sms_received.send_robust(
        sender="sms", phone=phone, keyword=keyword, text=text, language=language
    )
    failures = [error for _receiver, error in responses if isinstance(error, Exception)]
    for error in failures:
        log.error("An inbound SMS receiver failed", exc_info=error)
    return keyword, language, failures
