"""VAPID keys that identify this server to the browsers' push services.

Either the environment gives ``VAPID_PRIVATE_KEY`` and ``VAPID_PUBLIC_KEY``
(base64url: the raw 32-byte private value and the uncompressed public point), or
``python manage.py vapid_keys`` generates them once into ``VAPID_KEYS_FILE``
(under var/, not in version control), which is read from then on.
"""

import base64
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lifeline.core.keys import vapid_pair


def b64url_decode(text):
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate():
    return vapid_pair()


def keys_file():
    return Path(settings.VAPID_KEYS_FILE or Path(settings.BASE_DIR) / "var" / "vapid.json")


def ensure_keys_file(path=None):
    """Write a new key pair to the keys file unless it exists. Returns (keys, created)."""
    path = Path(path or keys_file())
    if path.exists():
        return json.loads(path.read_text()), False
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = generate()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(keys, handle)
    return keys, True


def keys():
    """{"private_key", "public_key"} from settings, else from the keys file."""
    private, public = settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    if private and public:
        return {"private_key": private, "public_key": public}
    path = keys_file()
    if not path.exists():
        raise ImproperlyConfigured(
            "No VAPID keys: set VAPID_PRIVATE_KEY/VAPID_PUBLIC_KEY or run `manage.py vapid_keys`."
        )
    return json.loads(path.read_text())


def public_key():
    """The applicationServerKey the nationals' app subscribes with, or "" if none is set up."""
    try:
        return keys()["public_key"]
    except ImproperlyConfigured:
        return ""


def subject():
    return settings.VAPID_SUBJECT or f"mailto:{settings.DEFAULT_FROM_EMAIL}"
