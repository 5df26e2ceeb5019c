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
import json
import re
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _


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
    """Count one attempt under each (name, key, limit) of ``checks`` in turn; True at the first one over
    its limit, whose later counters are then not counted (a client refused for its own flood does
    not use up the address's or the deployment's allowance)."""
    return any(
        key is not None and limit_reached(f"{scope}:{name}", key, limit, seconds)
        for name, key, limit in checks
    )


def public_send_refused(scope, client, address):
    """The one rule for public forms that send a message (a code, a confirmation link) to an address
    someone typed: at most PUBLIC_SENDS_PER_CLIENT an hour from one client, PUBLIC_SENDS_PER_ADDRESS
    an hour to one address, and PUBLIC_SENDS_PER_HOUR an hour in all, so that nobody can use this
    deployment to flood a phone or an inbox, or run up its SMS bill."""
    return limits_reached(
        scope,
        3600,
        [
            ("client", client, settings.PUBLIC_SENDS_PER_CLIENT),
            ("address", address.strip().casefold() if address else None, settings.PUBLIC_SENDS_PER_ADDRESS),
            ("all", "all", settings.PUBLIC_SENDS_PER_HOUR),
        ],
    )


def same_origin(request):
    """False if a browser says the request came from another site: the defence against cross-site
    requests for public forms on cacheable pages, which cannot carry a CSRF token. A request with
    neither Origin nor Referer (not a browser, or a very old one) passes: limits deal with those."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return True
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin == "null":
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


def web_link(value):
    """``value`` if it is an absolute http or https address, else "": the one test for text from
    outside (an imported CAP ``<web>``, a form) before it is stored or rendered as a link, so that
    ``javascript:`` and ``data:`` addresses never become links."""
    value = str(value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in value for c in "\r\n\t"):
        return ""
    return value


# --- the page's Content-Security-Policy ---------------------------------------------------------


class _Nonce:
    """A page's nonce, made when a template first prints it (a page without inline style has none)."""

    value = None

    def __str__(self):
        if self.value is None:
            self.value = secrets.token_urlsafe(16)
        return self.value


class ContentSecurityPolicyMiddleware:
    """Every page (an HTML response) gets ``settings.CONTENT_SECURITY_POLICY`` (scripts from this site
    only, no inline script). ``{nonce}`` in it becomes ``request.csp_nonce``, a fresh value per
    request, which the one inline ``<style>`` (the deployment's colours) carries; a page that printed
    no nonce gets the policy without it. ``CSP_EXEMPT_PATHS`` are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = _Nonce()
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        exempt = request.path.startswith(tuple(settings.CSP_EXEMPT_PATHS))
        page = response.get("Content-Type", "").startswith("text/html")
        if policy and page and not exempt and "Content-Security-Policy" not in response:
            nonce = request.csp_nonce.value
            if nonce is None:
                policy = re.sub(r"\s*'nonce-\{nonce\}'", "", policy)
            response["Content-Security-Policy"] = policy.replace("{nonce}", nonce or "")
        return response


# --- bodies the application refuses before any view reads them ---------------------------------

BOUNDARY = re.compile(r"^[ -~]{0,200}[!-~]$")  # RFC 2046, as Django's multipart parser checks it


class BadBody(ValueError):
    """A request body that cannot be read; ``status`` is the HTTP status to answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def _has_lone_surrogate(value):
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def loads_json(body):
    """JSON from a request body, refusing what no database can store (a lone UTF-16 surrogate
    such as "\\ud800" is valid JSON but not valid Unicode). Raises BadBody."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise BadBody(_("The body is not valid JSON.")) from None
    if _has_lone_surrogate(data):
        raise BadBody(_("The body contains text that is not valid Unicode."))
    return data


def body_limit(request):
    """The largest body accepted: DATA_UPLOAD_MAX_MEMORY_SIZE, plus IMPORT_MAX_BYTES for file uploads."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        limit += settings.IMPORT_MAX_BYTES
    return limit


def check_body(request):
    """Refuse (BadBody) a declared body larger than ``body_limit``, or multipart without a valid boundary."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadBody(_("The Content-Length header is not a number.")) from None
    limit = body_limit(request)
    if length > limit:
        raise BadBody(too_large_message(limit), status=413)
    if request.content_type == "multipart/form-data":
        boundary = request.content_params.get("boundary", "")
        if not boundary or not BOUNDARY.match(boundary):
            raise BadBody(_("The form data has no valid multipart boundary."))


def too_large_message(limit):
    return _("The request is too large: at most %(size)s MB are accepted.") % {
        "size": f"{limit / 1024 / 1024:.0f}"
    }


def refusal(request, message, status):
    """The answer to a refused request: JSON for the API and webhooks, a page for people."""
    if request.path.startswith(("/api/", "/messaging/hooks/")) or "json" in (request.content_type or ""):
        return JsonResponse({"detail": str(message)}, status=status)
    return render(request, "core/refused.html", {"message": message}, status=status)


class RequestBodyMiddleware:
    """Oversized bodies get 413 and malformed multipart 400, with a clear message, before any view
    or middleware parses them; the same errors raised while a view reads its body are answered alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_body(request)
        except BadBody as exc:
            return refusal(request, str(exc), exc.status)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return refusal(request, too_large_message(body_limit(request)), 413)
        if isinstance(exception, MultiPartParserError):
            return refusal(request, _("The form data could not be read."), 400)
        if isinstance(exception, BadBody):
            return refusal(request, str(exception), exception.status)
        return None
