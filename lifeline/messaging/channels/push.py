"""Web Push (VAPID, aes128gcm) to the nationals' app, with pywebpush.

The address is the browser's subscription as JSON:
``{"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}``. The payload is
JSON ``{"title", "body", "lang", "id", "url"}``, cut to fit the 4 KB limit. A
404/410 from the push service means the subscription is gone for good: failed,
not retryable, ``gone=True`` (the caller forgets the subscription). 429, 5xx and
network errors are retryable. A batch is sent ``PUSH_CONCURRENCY`` requests at a
time (push services are many hosts; each request waits on the network).
"""

import json
import threading

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils.translation import gettext as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from . import vapid
from .base import Channel, SendResult, failed

MAX_PAYLOAD = 3000  # bytes of JSON; the encrypted record must stay under 4096


def payload(message):
    """The JSON the app's service worker shows; the body is shortened (with "…") to fit."""
    text = message.short or message.body
    data = {
        "title": message.subject[:200],
        "body": text,
        "lang": message.language,
        "id": message.delivery_id,
        "url": message.unsubscribe_url,
    }
    encoded, keep = json.dumps(data, ensure_ascii=False), len(text)
    while len(encoded.encode()) > MAX_PAYLOAD and keep:
        keep = int(keep * 0.9)
        data["body"] = text[:keep].rstrip() + "…" if keep else ""
        encoded = json.dumps(data, ensure_ascii=False)
    return encoded


def parse_subscription(address):
    try:
        subscription = json.loads(address)
    except (TypeError, ValueError):
        return None
    if not isinstance(subscription, dict):
        return None
    endpoint, keys = subscription.get("endpoint"), subscription.get("keys")
    if (
        not isinstance(endpoint, str)
        or not endpoint.startswith(("https://", "http://"))
        or not isinstance(keys, dict)
    ):
        return None
    try:
        point, auth = vapid.b64url_decode(keys["p256dh"]), vapid.b64url_decode(keys["auth"])
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (KeyError, AttributeError, TypeError, ValueError):
        return None
    if len(auth) != 16:
        return None
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


class PushChannel(Channel):
    name = "push"

    def __init__(self):
        self.ttl = int(settings.PUSH_TTL)
        self.timeout = float(settings.PUSH_TIMEOUT)
        self.max_batch = int(settings.PUSH_BATCH_SIZE)
        self.concurrency = max(1, int(settings.PUSH_CONCURRENCY))
        self._vapid = None
        self._local = threading.local()
        self._sessions = []
        self._lock = threading.Lock()

    def _key(self):
        if self._vapid is None:
            self._vapid = Vapid.from_raw(vapid.keys()["private_key"].encode())
        return self._vapid

    def _session(self):
        """One pooled HTTP session per sending thread (requests sessions are not shared across threads)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self):
        super().close()
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def send_batch(self, messages):
        try:
            key = self._key()
        except Exception as exc:
            return [
                failed(m, _("Web Push is not set up: %(reason)s") % {"reason": exc}, retryable=True)
                for m in messages
            ]
        return self.map_ordered(lambda message: self._send(key, message), messages)

    def _send(self, key, message):
        subscription = parse_subscription(message.address)
        if subscription is None:
            return failed(message, _("The push subscription is not valid."), gone=True)
        try:
            response = webpush(
                subscription,
                data=payload(message),
                vapid_private_key=key,
                vapid_claims={"sub": vapid.subject()},  # a fresh dict: webpush adds aud and exp to it
                ttl=self.ttl,
                timeout=self.timeout,
                requests_session=self._session(),
            )
        except WebPushException as exc:
            if exc.response is None:  # raised before any request: the subscription cannot be used
                return failed(
                    message,
                    _("The push subscription is not valid: %(reason)s") % {"reason": str(exc)[:100]},
                    gone=True,
                )
            status = exc.response.status_code
            if status in (404, 410):
                return failed(
                    message,
                    _("The push subscription has expired (%(status)s).") % {"status": status},
                    gone=True,
                )
            if status == 429 or status >= 500:
                return failed(
                    message, _("Push service error %(status)s.") % {"status": status}, retryable=True
                )
            return failed(
                message, _("The push service refused the message (%(status)s).") % {"status": status}
            )
        except requests.RequestException as exc:
            return failed(
                message,
                _("Push service unreachable: %(reason)s") % {"reason": exc.__class__.__name__},
                retryable=True,
            )
        except (ValueError, TypeError) as exc:  # bad keys in the subscription
            return failed(
                message,
                _("The push subscription is not valid: %(reason)s") % {"reason": exc.__class__.__name__},
                gone=True,
            )
        return SendResult(message.delivery_id, ok=True, provider_id=response.headers.get("Location", ""))
