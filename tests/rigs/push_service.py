"""A loopback Web Push service, as a browser vendor runs one.

    with PushService() as service:
        subscription = service.subscribe()          # what a browser would hand over
        ... send to subscription ...
        service.received[0]["plaintext"]            # the decrypted payload

For each POST to a subscription's endpoint it checks the VAPID Authorization
header (``vapid t=<JWT>, k=<public key>``: ES256 signature valid for that key,
``aud`` equal to this service's origin, ``exp`` in the future and at most 24 h
ahead, a ``sub`` claim), and, if ``expected_key`` is given, that the key is the
server's. It then decrypts the aes128gcm body with the subscription's private
key and auth secret (http_ece) and records the plaintext. Answers: 201 with a
Location; 401/403 for a bad VAPID header; 400 for an undecryptable body; 404 for
an unknown subscription; 410 for one marked expired; ``fail_with`` for all.
"""

import base64
import itertools
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_vapid(header, origin, expected_key=""):
    """The JWT claims if ``header`` is a valid VAPID Authorization for ``origin``; raises ValueError."""
    if not header.startswith("vapid "):
        raise ValueError("not a vapid Authorization header")
    params = dict(part.strip().split("=", 1) for part in header[6:].split(",") if "=" in part)
    token, key = params.get("t", ""), params.get("k", "")
    if expected_key and key != expected_key:
        raise ValueError("unknown application server key")
    try:
        head, claims, signature = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        raw = b64url_decode(signature)
        if json.loads(b64url_decode(head)).get("alg") != "ES256" or len(raw) != 64:
            raise ValueError("not ES256")
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(b64url_decode(claims))
    except InvalidSignature:
        raise ValueError("bad signature") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"malformed token: {exc}") from None
    if claims.get("aud") != origin:
        raise ValueError(f"aud {claims.get('aud')!r} is not {origin!r}")
    if not time.time() < int(claims.get("exp", 0)) <= time.time() + 24 * 3600:
        raise ValueError("exp missing or out of range")
    if not claims.get("sub"):
        raise ValueError("sub missing")
    return claims


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

    def log_message(self, *args):
        pass

    def _reply(self, status, text="", headers=None):
        data = text.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    def do_POST(self):
        service = self.server.service
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        token = self.path.rsplit("/", 1)[-1]
        subscriber = service.subscribers.get(token)
        if subscriber is None:
            return self._reply(404, "no such subscription")
        if token in service.expired:
            return self._reply(410, "subscription expired")
        if service.fail_with:
            return self._reply(service.fail_with, "try again later")
        try:
            claims = verify_vapid(self.headers.get("Authorization", ""), service.url, service.expected_key)
        except ValueError as exc:
            service.rejected.append(str(exc))
            return self._reply(403, str(exc))
        if self.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in self.headers:
            return self._reply(400, "aes128gcm body and TTL header required")
        try:
            plaintext = http_ece.decrypt(
                body, private_key=subscriber["private"], auth_secret=subscriber["auth"], version="aes128gcm"
            )
        except Exception as exc:
            return self._reply(400, f"cannot decrypt: {exc}")
        with service.lock:
            number = next(service.ids)
            service.received.append(
                {
                    "subscription": token,
                    "plaintext": plaintext.decode("utf-8"),
                    "claims": claims,
                    "ttl": int(self.headers["TTL"]),
                    "size": len(body),
                }
            )
        return self._reply(201, headers={"Location": f"{service.url}/message/{number}"})


class PushService:
    def __init__(self, expected_key="", fail_with=0):
        self.expected_key = expected_key
        self.fail_with = fail_with  # answer every push with this status (e.g. 503, 429)
        self.subscribers = {}
        self.expired = set()
        self.received = []
        self.rejected = []
        self.lock = threading.Lock()
        self.ids = itertools.count(1)

    def subscribe(self):
        """A new subscription, as JSON-ready dict; this service keeps its private key."""
        private = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        token = b64url(os.urandom(12))
        self.subscribers[token] = {"private": private, "auth": auth}
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.url}/push/{token}",
            "keys": {"p256dh": b64url(public), "auth": b64url(auth)},
        }

    def expire(self, subscription):
        self.expired.add(subscription["endpoint"].rsplit("/", 1)[-1])

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.service = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
