"""GDACS events: reading RSS and GeoJSON (good and bad), the command, the poller (through a
loopback HTTP server), and the relay to the posts (one proposal per event and post, revised)."""

import http.server
import json
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lifeline.core.models import Role
from lifeline.risk import gdacs
from lifeline.risk.models import GdacsEvent, GdacsProposal
from lifeline.risk.services import import_gdacs

FIXTURES = Path(__file__).parent.parent / "data"  # the demo reads the same documents
RSS = (FIXTURES / "gdacs_rss.xml").read_bytes()
GEOJSON = (FIXTURES / "gdacs_events.geojson").read_bytes()
AMMAN = {"location": "31.95,35.93"}


def test_the_rss_feed_is_read_with_its_gdacs_fields():
    quake, flood = gdacs.parse(RSS)
    assert (quake.event_type, quake.event_id, quake.episode_id, quake.alert_level) == (
        "EQ",
        1510001,
        1660001,
        "Orange",
    )
    assert quake.countries == ["JO"] and quake.bbox == [35.6, 31.7, 36.3, 32.2]
    assert quake.severity == "Magnitude 6.1M, Depth:10km" and "2100000" in quake.population
    assert quake.from_date.isoformat() == "2026-12-07T08:12:44+00:00"
    assert quake.link.endswith("eventid=1510001") and quake.geometry is None
    assert (flood.event_type, flood.alert_level, flood.countries) == ("FL", "Green", ["PH"])


def test_the_geojson_api_is_read_with_its_shapes():
    quake, cyclone = gdacs.parse(GEOJSON)
    assert (quake.episode_id, quake.alert_level, quake.countries) == (1660002, "Red", ["JO"])
    assert quake.geometry.geom_type == "Polygon" and quake.bbox == [35.7, 31.8, 36.2, 32.1]
    assert cyclone.countries == ["BD", "MM"] and cyclone.is_current is False


BAD = {
    "bom": (b"\xef\xbb\xbf" + RSS, "byte order mark"),
    "html": (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>", "web page (HTML)"),
    "broken xml": (RSS[:-40], "not well-formed XML"),
    "doctype": (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss><channel/></rss>', "DOCTYPE"),
    "not rss": (b"<feed><entry/></feed>", "neither a GDACS RSS feed"),
    "level": (
        RSS.replace(b"<gdacs:alertlevel>Orange<", b"<gdacs:alertlevel>Purple<"),
        "“Purple” is not Green",
    ),
    "episode": (
        RSS.replace(b"<gdacs:episodeid>8</gdacs:episodeid>", b""),
        "Event 2: gdacs:episodeid is missing",
    ),
    "date": (
        RSS.replace(b"Mon, 07 Dec 2026 08:12:44 GMT</gdacs:fromdate>", b"yesterday</gdacs:fromdate>"),
        "not a date",
    ),
    "bbox": (RSS.replace(b"35.6 36.3 31.7 32.2", b"35.6 36.3 131.7 32.2"), "outside the world"),
    "bad json": (GEOJSON[:-5], "not valid JSON"),
    "self-intersecting": (
        GEOJSON.replace(
            b"[[35.7,31.8],[36.2,31.8],[36.2,32.1],[35.7,32.1],[35.7,31.8]]",
            b"[[35.7,31.8],[36.2,32.1],[36.2,31.8],[35.7,32.1],[35.7,31.8]]",
        ),
        "Broken geometry: Self-intersection",
    ),
    "unclosed ring": (
        GEOJSON.replace(
            b"[[35.7,31.8],[36.2,31.8],[36.2,32.1],[35.7,32.1],[35.7,31.8]]", b"[[35.7,31.8],[36.2,31.8]]"
        ),
        "Broken geometry",
    ),
    "line": (GEOJSON.replace(b'"type":"Polygon"', b'"type":"LineString"'), "Broken geometry: LineString"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_malformed_document_is_refused_whole_with_its_reason(db, case, tmp_path):
    data, reason = BAD[case]
    with pytest.raises(gdacs.GdacsError) as caught:
        import_gdacs(data)
    assert reason in str(caught.value)
    path = tmp_path / "doc"
    path.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        call_command("import_gdacs", str(path))
    assert "nothing imported" in str(caught.value) and reason in str(caught.value)
    assert not GdacsEvent.objects.exists()


def test_the_command_imports_a_file_then_a_new_episode_updates_the_event(db, capsys):
    call_command("import_gdacs", str(FIXTURES / "gdacs_rss.xml"))
    assert json.loads(capsys.readouterr().out)["created"] == 2
    quake = GdacsEvent.objects.get(event_type="EQ", event_id=1510001)
    assert (quake.episode_id, quake.alert_level, quake.geometry) == (1660001, "Orange", "")
    # The same document again: nothing new.
    assert import_gdacs(RSS)["unchanged"] == 2
    # The GeoJSON API: a new episode (Red, with its shape) updates the event, no second row.
    report = import_gdacs(GEOJSON)
    assert (report["created"], report["updated"]) == (1, 1)
    quake.refresh_from_db()
    assert (quake.episode_id, quake.alert_level) == (1660002, "Red")
    assert json.loads(quake.geometry)["type"] == "Polygon"
    assert GdacsEvent.objects.filter(event_id=1510001).count() == 1
    # An older episode read later changes nothing.
    assert import_gdacs(RSS)["unchanged"] == 2
    quake.refresh_from_db()
    assert quake.alert_level == "Red"


class _Handler(http.server.BaseHTTPRequestHandler):
    routes = {}

    def do_GET(self):
        status, body, kind = self.routes.get(self.path, (404, b"not found", "text/plain"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_the_poller_fetches_safely_and_imports(db, server, settings, post_amman, make_registration):
    for n in range(2):
        make_registration(post_amman, **AMMAN, given_names=f"Rosalinda {n}")
    _Handler.routes = {
        "/rss.xml": (200, RSS, "application/rss+xml"),
        "/events.geojson": (200, GEOJSON, "application/json"),
        "/error": (200, b"<html><body>Service unavailable</body></html>", "text/html"),
        "/gone": (500, b"oops", "text/plain"),
    }
    urls = [f"{server}/{p}" for p in ("rss.xml", "error", "gone", "events.geojson")]
    # A loopback address is refused unless the deployment allows private feeds (as for CAP).
    settings.ALERTS_ALLOW_PRIVATE_FEEDS = False
    assert gdacs.poll(urls)["errors"] == 4 and not GdacsEvent.objects.exists()
    settings.ALERTS_ALLOW_PRIVATE_FEEDS = True
    settings.RISK_GDACS_URLS = urls
    call_command("poll_gdacs")
    totals = gdacs.poll()
    assert totals["errors"] == 2 and totals["unchanged"] == 4
    assert GdacsEvent.objects.count() == 3
    assert GdacsProposal.objects.get().people == 2


def test_one_proposal_per_event_and_post_revised_by_a_new_episode(
    db, settings, post_amman, post_beirut, make_registration, ministry, login, make_user
):
    settings.RISK_GDACS_PROPOSE_FROM = "Orange"
    settings.RISK_GDACS_CHECKIN_FROM = "Red"
    for n in range(3):
        make_registration(post_amman, **AMMAN, given_names=f"Rosalinda {n}")
    make_registration(post_amman, location="31.75,36.25", languages=["ceb"])  # in the box, outside the shape
    make_registration(post_amman, location="29.5,35.0")  # Aqaba: outside
    make_registration(post_beirut, location="33.9,35.5")  # Beirut: outside
    assert import_gdacs(RSS)["proposals"] == 1
    proposal = GdacsProposal.objects.get()
    assert (proposal.organisation, proposal.kind, proposal.people) == (post_amman, "advice", 4)
    assert proposal.languages == {"fil": 3, "ceb": 1} and proposal.revision == 1
    # Read again: no change, no second proposal.
    import_gdacs(RSS)
    assert GdacsProposal.objects.get().revision == 1
    # The Red episode with its shape revises it: a check-in now, for the three inside the shape.
    import_gdacs(GEOJSON)
    proposal = GdacsProposal.objects.get()
    assert (proposal.kind, proposal.alert_level, proposal.people, proposal.revision) == (
        "checkin",
        "Red",
        3,
        2,
    )
    assert proposal.episode_id == 1660002
    # Green events and events over are not relayed.
    assert not GdacsProposal.objects.filter(event__event_type__in=["FL", "TC"]).exists()

    # The consul sees it where the CAP ones show, and opens the check-in from it.
    consul = login(make_user(post_amman))
    page = consul.get(reverse("crises:list")).content.decode()
    assert "GDACS events over your nationals" in page and proposal.headline in page
    response = consul.post(reverse("risk:proposal", args=[proposal.pk]), {"do": "checkin"})
    proposal.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse("crises:detail", args=[proposal.crisis_id])
    assert proposal.crisis.member_count == 3 and proposal.crisis.country.code == "JO"
    # Acted on: no longer listed; asking again gives the same crisis.
    assert "GDACS events over your nationals" not in consul.get(reverse("crises:list")).content.decode()
    assert consul.post(reverse("risk:proposal", args=[proposal.pk]), {"do": "checkin"}).url == response.url

    # Another post neither sees nor acts on it; an immigration-like viewer neither.
    beirut = login(make_user(post_beirut))
    assert "GDACS events over your nationals" not in beirut.get(reverse("crises:list")).content.decode()
    assert beirut.post(reverse("risk:proposal", args=[proposal.pk]), {"do": "dismiss"}).status_code == 404


def test_the_proposal_level_is_a_setting(db, settings, post_amman, make_registration):
    make_registration(post_amman, **AMMAN)
    settings.RISK_GDACS_PROPOSE_FROM = "Red"
    import_gdacs(RSS)
    assert not GdacsProposal.objects.exists()
    import_gdacs(GEOJSON)
    assert GdacsProposal.objects.get().kind == "checkin"


def test_the_events_page(login, make_user, org_a):
    import_gdacs(RSS)
    page = login(make_user(org_a, role=Role.VIEWER)).get(reverse("risk:events")).content.decode()
    assert "Orange earthquake alert" in page and "Green flood alert" in page


def test_an_advice_review_opens_the_countrys_advice(
    db, post_amman, make_registration, login, make_user, jordan
):
    from lifeline.advice.models import TravelAdvice

    make_registration(post_amman, **AMMAN)
    import_gdacs(RSS)  # Orange: an advice review
    proposal = GdacsProposal.objects.get()
    assert proposal.kind == "advice"
    advice = TravelAdvice.objects.create(organisation=post_amman.parent, country=jordan)
    consul = login(make_user(post_amman))
    assert "Proposed: an advice review." in consul.get(reverse("crises:list")).content.decode()
    response = consul.post(reverse("risk:proposal", args=[proposal.pk]), {"do": "advice"})
    assert response.status_code == 302 and response.url == reverse("advice:detail", args=[advice.pk])
    assert consul.post(reverse("risk:proposal", args=[proposal.pk]), {"do": "nonsense"}).status_code == 404
    assert consul.post(reverse("risk:proposal", args=[proposal.pk]), {"do": "dismiss"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.dismissed and proposal.crisis_id is None
