"""Feeds in, against a real HTTP server on loopback serving the sample messages."""

import functools
import http.server
import threading

import pytest
from django.core.management import call_command
from django.urls import reverse

from lifeline.alerts.cap import parse_xml
from lifeline.alerts.feeds import FetchError, feed_entries, fetch, poll_feed
from lifeline.alerts.models import Alert, FeedSubscription, ImportLog, Outcome, State
from lifeline.core.models import Role

from .conftest import CAP_DIR, VALID_SAMPLES, sample

pytestmark = pytest.mark.skipif(not CAP_DIR.exists(), reason="the shared CAP data is not beside the project")

BROKEN = "broken.xml"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path, settings):
    """A loopback HTTP server serving ``tmp_path`` (private addresses allowed for the test); yields its base URL."""
    settings.ALERTS_ALLOW_PRIVATE_FEEDS = True
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", tmp_path
    httpd.shutdown()
    httpd.server_close()


def write_feed(directory, base, names):
    entries = "".join(
        f"<entry><id>urn:test:{n}</id><title>{n}</title><updated>2026-11-01T00:00:00Z</updated>"
        f'<link rel="alternate" type="application/cap+xml" href="{base}{n}"/></entry>'
        for n in names
    )
    (directory / "feed.atom").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id>'
        f"<title>Test feed</title><updated>2026-11-01T00:00:00Z</updated>{entries}</feed>"
    )


@pytest.fixture
def subscription(server, org_a):
    base, directory = server
    for name in VALID_SAMPLES:
        (directory / name).write_bytes(sample(name))
    (directory / BROKEN).write_bytes(sample("cap12_oasis_nws_thunderstorm_polygon_geocode.xml")[:300])
    write_feed(directory, base, VALID_SAMPLES + [BROKEN, "missing.xml"])
    return FeedSubscription.objects.create(organisation=org_a, name="Loopback", url=base + "feed.atom")


def test_poll_imports_valid_logs_bad_and_second_poll_imports_nothing(subscription):
    report = poll_feed(subscription)
    assert report.error == ""
    assert report.imported == len(VALID_SAMPLES) == Alert.objects.count()
    rejected = ImportLog.objects.filter(feed=subscription, outcome=Outcome.REJECTED)
    assert {log.url.rsplit("/", 1)[1] for log in rejected} == {BROKEN, "missing.xml"}
    broken = rejected.get(url__endswith=BROKEN)
    assert "well-formed" in broken.reason
    assert "404" in rejected.get(url__endswith="missing.xml").reason
    subscription.refresh_from_db()
    assert subscription.last_polled is not None and subscription.last_error == ""

    logs = ImportLog.objects.count()
    again = poll_feed(subscription)
    assert again.imported == 0 and Alert.objects.count() == len(VALID_SAMPLES)
    assert ImportLog.objects.count() == logs  # the same bad messages are not logged again


def test_feed_update_and_cancel_apply(server, org_a):
    base, directory = server
    messages = {
        "a.xml": ("A1", "Alert", ""),
        "b.xml": ("A2", "Cancel", "ops@example.org,A1,2026-11-01T10:00:00+00:00"),
    }
    for name, (identifier, kind, refs) in messages.items():
        references = f"<references>{refs}</references>" if refs else ""
        (directory / name).write_text(
            f'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>'
            f"<sender>ops@example.org</sender><sent>2026-11-01T10:00:00+00:00</sent><status>Actual</status>"
            f"<msgType>{kind}</msgType><scope>Public</scope>{references}</alert>"
        )
    write_feed(directory, base, ["a.xml", "b.xml"])
    feed = FeedSubscription.objects.create(organisation=org_a, name="Ops", url=base + "feed.atom")
    assert poll_feed(feed).imported == 2
    assert Alert.objects.get(identifier="A1").state == State.CANCELLED


def test_unreachable_or_bad_feed_is_recorded_not_raised(server, org_a):
    base, directory = server
    (directory / "notfeed.xml").write_text("<html/>")
    bad = FeedSubscription.objects.create(organisation=org_a, name="Bad", url=base + "notfeed.xml")
    assert "not an Atom or RSS" in poll_feed(bad).error
    gone = FeedSubscription.objects.create(organisation=org_a, name="Gone", url=base + "nothing-here.atom")
    poll_feed(gone)
    gone.refresh_from_db()
    assert "404" in gone.last_error


def test_fetch_limits(server):
    base, directory = server
    (directory / "big.xml").write_bytes(b"x" * 5000)
    with pytest.raises(FetchError, match="larger"):
        fetch(base + "big.xml", max_bytes=1000)
    with pytest.raises(FetchError, match="http"):
        fetch("file:///etc/passwd")


def test_private_addresses_are_refused_by_default(server, settings):
    base, directory = server
    (directory / "a.xml").write_text("<a/>")
    settings.ALERTS_ALLOW_PRIVATE_FEEDS = False
    with pytest.raises(FetchError, match="private network"):
        fetch(base + "a.xml")


def test_redirects_are_followed_and_checked(server, settings):
    base, directory = server
    (directory / "target").mkdir()
    (directory / "target" / "index.html").write_text("<ok/>")
    assert fetch(base + "target").content == b"<ok/>"  # the server redirects /target to /target/


def test_the_nws_index_feed_lists_links():
    entries = feed_entries(parse_xml(sample("feed_atom_nws_weather_index_small.xml")))
    assert entries and all(
        e.url.startswith("http://www.weather.gov/alerts-beta/wwacapget.php?x=") for e in entries
    )


def test_rss_with_inline_cap(org_a):
    message = sample("cap12_oasis_earthquake_update_circle.xml").split(b"?>", 1)[1]
    rss = (
        b"<rss version='2.0'><channel><title>t</title><item><guid>q1</guid>"
        + message
        + b"</item></channel></rss>"
    )
    entries = feed_entries(parse_xml(rss))
    assert len(entries) == 1 and entries[0].inline and entries[0].key == "q1"


def test_poll_feeds_command_and_feed_page(subscription, login, make_user, org_a, org_b):
    call_command("poll_feeds")
    assert Alert.objects.count() == len(VALID_SAMPLES)
    page = login(make_user(org_a, role=Role.VIEWER)).get(reverse("alerts:feed", args=[subscription.pk]))
    assert page.status_code == 200 and "well-formed" in page.content.decode()
    other = login(make_user(org_b, role=Role.COORDINATOR))
    assert other.get(reverse("alerts:feed", args=[subscription.pk])).status_code == 404
    assert other.post(reverse("alerts:feed_poll", args=[subscription.pk])).status_code == 404


def test_viewer_cannot_subscribe_or_poll(subscription, login, make_user, org_a):
    client = login(make_user(org_a, role=Role.VIEWER))
    assert (
        client.post(
            reverse("alerts:feeds"), {"name": "x", "url": "https://example.org/f", "organisation": org_a.pk}
        ).status_code
        == 403
    )
    assert client.post(reverse("alerts:feed_poll", args=[subscription.pk])).status_code == 403
    assert FeedSubscription.objects.count() == 1 and not Alert.objects.exists()


def test_subscribe_refuses_non_http(login, make_user, org_a):
    client = login(make_user(org_a))
    response = client.post(
        reverse("alerts:feeds"),
        {"name": "x", "url": "ftp://example.org/f", "organisation": org_a.pk, "kind": "atom", "active": "on"},
    )
    assert response.status_code == 200 and not FeedSubscription.objects.exists()
