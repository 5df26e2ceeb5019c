"""The nationals' app: one place for its version (cache name) and push key."""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings

STATIC = Path(__file__).parent / "static" / "pwa"
SHELL_FILES = ("app.js", "app.css")


@lru_cache(maxsize=1)
def version():
    """A digest of the app's files: a new release gets a new service-worker cache."""
    digest = hashlib.sha256()
    for name in SHELL_FILES + ("sw.js",):
        path = STATIC / name if name != "sw.js" else Path(__file__).parent / "templates" / "pwa" / "sw.js"
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def vapid_public_key():
    """The application server key browsers subscribe with, or "" when Web Push is not set up."""
    key = settings.VAPID_PUBLIC_KEY
    if key:
        return key
    try:
        from lifeline.messaging.channels import vapid
    except ImportError:
        return ""
    getter = getattr(vapid, "public_key", None)
    return getter() if callable(getter) else ""
