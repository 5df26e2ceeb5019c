"""Feeds in: fetch an Atom or RSS feed of CAP alerts and import each new message.

One bad message is logged with its reason and never stops the poll; a message
already imported is not fetched again. Fetching is bounded: http(s) only, a
timeout, and a size limit.
"""

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from lifeline.alerts.cap import CAP11, CAP12, MAX_BYTES, CapError, parse, parse_xml
from lifeline.alerts.models import FeedSubscription, ImportLog, Origin, Outcome
from lifeline.alerts.services import import_cap

ATOM = "http://www.w3.org/2005/Atom"
CAP_TYPES = ("application/cap+xml", "application/common-alerting-protocol+xml")
TIMEOUT = 15
MAX_REDIRECTS = 3
USER_AGENT = "Lifeline CAP reader"


class FetchError(Exception):
    """A URL that could not be fetched; the message is translated."""


@dataclass
class Fetched:
    status: int
    content: bytes
    headers: dict


def _check_address(url):
    """Refuse what is not http(s), and hosts on private, loopback or link-local networks
    (unless ``settings.ALERTS_ALLOW_PRIVATE_FEEDS``): a feed URL must not reach into the server's own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("Only http and https addresses can be fetched: %(url)s") % {"url": url[:200]})
    if settings.ALERTS_ALLOW_PRIVATE_FEEDS:
        return
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            _("Could not fetch %(url)s: %(detail)s") % {"url": url[:200], "detail": _("unknown host")}
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise FetchError(
                _("%(url)s points into a private network and is not fetched.") % {"url": url[:200]}
            )


def fetch(url, headers=None, max_bytes=MAX_BYTES, timeout=TIMEOUT):
    """GET ``url`` (http or https, public addresses only), following at most a few redirects, reading at most ``max_bytes``."""
    for _hop in range(MAX_REDIRECTS + 1):
        _check_address(url)
        try:
            with requests.get(
                url,
                headers={"User-Agent": USER_AGENT, **(headers or {})},
                timeout=timeout,
                stream=True,
                allow_redirects=False,
            ) as response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                return _read(url, response, max_bytes)
        except requests.RequestException as exc:
            raise FetchError(
                _("Could not fetch %(url)s: %(detail)s") % {"url": url[:200], "detail": type(exc).__name__}
            ) from exc
    raise FetchError(_("Too many redirects: %(url)s") % {"url": url[:200]})


def _read(url, response, max_bytes):
    if response.status_code == 304:
        return Fetched(304, b"", dict(response.headers))
    if response.status_code >= 400:
        raise FetchError(
            _("The server answered %(status)s for %(url)s")
            % {"status": response.status_code, "url": url[:200]}
        )
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(_("%(url)s is larger than %(max)s bytes.") % {"url": url[:200], "max": max_bytes})
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                _("%(url)s is larger than %(max)s bytes.") % {"url": url[:200], "max": max_bytes}
            )
        chunks.append(chunk)
    return Fetched(response.status_code, b"".join(chunks), dict(response.headers))


@dataclass
class Entry:
    key: str  # the CAP link, or the entry's id for inline messages
    url: str = ""
    inline: bytes | None = None


def _inline_alert(element):
    for ns in (CAP12, CAP11):
        found = element.find(f".//{{{ns}}}alert")
        if found is not None:
            return etree.tostring(found, encoding="UTF-8")
    return None


def feed_entries(root, base_url=""):
    """The CAP messages an Atom or RSS feed lists: a link to each, or the message inline."""
    entries = []
    if etree.QName(root).namespace == ATOM:
        for entry in root.iter(f"{{{ATOM}}}entry"):
            entry_id = (entry.findtext(f"{{{ATOM}}}id") or "").strip()
            inline = _inline_alert(entry)
            links = entry.findall(f"{{{ATOM}}}link")
            cap = [l for l in links if l.get("type") in CAP_TYPES]
            alternate = [l for l in links if l.get("rel", "alternate") == "alternate"]
            chosen = (cap or alternate or links or [None])[0]
            url = (
                urljoin(base_url, chosen.get("href", "")) if chosen is not None and chosen.get("href") else ""
            )
            if inline is None and not url:
                continue
            entries.append(Entry(key=url or entry_id, url=url, inline=inline))
    elif etree.QName(root).localname in ("rss", "RDF"):
        for item in root.iter("item", "{http://purl.org/rss/1.0/}item"):
            inline = _inline_alert(item)
            enclosure = next((e for e in item.findall("enclosure") if e.get("type") in CAP_TYPES), None)
            url = enclosure.get("url", "") if enclosure is not None else (item.findtext("link") or "").strip()
            url = urljoin(base_url, url) if url else ""
            if inline is None and not url:
                continue
            entries.append(Entry(key=url or (item.findtext("guid") or "").strip(), url=url, inline=inline))
    else:
        raise CapError([(root.sourceline, _("This is not an Atom or RSS feed."))])
    return entries


@dataclass
class PollReport:
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped: int = 0
    error: str = ""
    outcomes: list = field(default_factory=list)


def _seen(subscription, key):
    return ImportLog.objects.filter(
        feed=subscription, url=key[:1000], outcome__in=[Outcome.IMPORTED, Outcome.DUPLICATE]
    ).exists()


def _reject(subscription, key, reason):
    """Log a message that could not even be read; once per reason, not at every poll."""
    last = ImportLog.objects.filter(feed=subscription, url=key[:1000]).order_by("-id").first()
    if last is None or last.outcome != Outcome.REJECTED or last.reason != reason:
        ImportLog.objects.create(
            organisation=subscription.organisation,
            feed=subscription,
            url=key[:1000],
            outcome=Outcome.REJECTED,
            reason=reason,
        )


def poll_feed(subscription: FeedSubscription):
    """Fetch the feed and import what is new; record the poll on the subscription."""
    report = PollReport()
    headers = {}
    if subscription.etag:
        headers["If-None-Match"] = subscription.etag
    if subscription.last_modified:
        headers["If-Modified-Since"] = subscription.last_modified
    try:
        response = fetch(subscription.url, headers=headers)
        if response.status != 304:
            entries = feed_entries(parse_xml(response.content), subscription.url)
            for entry in entries:
                _poll_entry(subscription, entry, report)
            subscription.etag = response.headers.get("ETag", "")[:300]
            subscription.last_modified = response.headers.get("Last-Modified", "")[:100]
    except (FetchError, CapError) as exc:
        report.error = str(exc)
    subscription.last_polled = timezone.now()
    subscription.last_error = report.error[:500]
    subscription.save()
    return report


def _poll_entry(subscription, entry, report):
    if _seen(subscription, entry.key):
        report.skipped += 1
        return
    data = entry.inline
    if data is None:
        try:
            data = fetch(entry.url).content
        except FetchError as exc:
            _reject(subscription, entry.key, str(exc))
            report.rejected += 1
            return
    if ImportLog.objects.filter(feed=subscription, url=entry.key[:1000], outcome=Outcome.REJECTED).exists():
        try:
            parse(data)
        except CapError as exc:  # still the same bad message: do not log it at every poll
            _reject(subscription, entry.key, "\n".join(exc.messages()))
            report.rejected += 1
            return
    result = import_cap(data, subscription.organisation, origin=Origin.FEED, feed=subscription, url=entry.key)
    report.outcomes.append(result)
    if result.outcome == Outcome.IMPORTED:
        report.imported += 1
    elif result.outcome == Outcome.DUPLICATE:
        report.duplicates += 1
    else:
        report.rejected += 1
