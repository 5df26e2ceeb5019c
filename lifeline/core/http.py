"""What a request says about its sender: the client's address, and the limits keyed on it.

``client_ip(request)`` is the one place that decides who sent a request. Behind
reverse proxies the server sees the proxy's address; the client's is in
``X-Forwarded-For``, which the client can also write. Only the entries the
deployment's own proxies appended are believed: ``TRUSTED_PROXY_HOPS`` says how
many proxies stand in front of the application, and the client is the address
that many places from the right of the header. With 0 hops (the default) the
header is ignored entirely.

``limit_reached(scope, key, limit, seconds)`` counts attempts in a fixed window
in the cache; every public form and endpoint that must not be used to flood
someone (codes by SMS or email, public forms) counts through it.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address as far as this deployment's trusted proxies vouch for it, or None."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Each trusted proxy appended the address it saw; fewer entries than proxies means the
    # request entered part-way down the chain, and the leftmost entry is then what our proxy saw.
    chosen = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _valid(chosen) or remote


def limit_reached(scope, key, limit, seconds):
    """Count one attempt of ``key`` under ``scope``; True once more than ``limit`` fell in the window.

    ``key`` may be personal (an address, a phone number): only a digest of it reaches the cache.
    A limit of 0 or less turns the check off."""
    if limit <= 0:
        return False
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:32]
    name = f"lifeline:limit:{scope}:{digest}"
    cache.add(name, 0, seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, seconds)
        count = 1
    return count > limit


def limits_reached(scope, seconds, checks):
    """Count one attempt under each (name, key, limit) of ``checks``; True if any is over its limit.

    Every counter is counted, so a flood from one client still fills the per-address count."""
    reached = False
    for name, key, limit in checks:
        if key is not None and limit_reached(f"{scope}:{name}", key, limit, seconds):
            reached = True
    return reached
