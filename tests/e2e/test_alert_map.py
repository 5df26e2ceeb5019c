"""A planner on a 390-px phone, in Spanish, draws the alert's area on the map with her finger
(mouse clicks here), saves the draft and finds that polygon in the alert's CAP XML. The form puts
plain words first, counts characters and text messages per language, and axe-core finds nothing
serious on it."""

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from lxml import etree

from tests.e2e.conftest import SHOTS, server_query, shoot, wait_until
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def in_spanish(page, server, path):
    page.goto(server + path)
    page.select_option("#lang-select", "es")
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"


def test_a_planner_draws_the_area_on_a_phone_and_the_cap_carries_it(page_as, server):
    page = page_as("officer", viewport=PHONE)
    in_spanish(page, server, "/alerts/new/")
    page.select_option("#id_template", "flood")
    page.select_option("#id_areas", "JO11")  # Amman: the template's languages are those spoken there
    page.click("main form.filters button[type=submit]")
    page.wait_for_load_state()
    wait_until(page, "document.querySelector('.area-map.leaflet-container') !== null")
    # With no tile server set, the administrative boundaries alone are the background.
    assert page.locator(".area-map .leaflet-tile").count() == 0
    outlined = server_query("SELECT COUNT(*) FROM geo_adminarea WHERE geometry != '' AND level <= 1")[0][0]
    if outlined:  # the demo's boundaries come from the shared reference data, when it is there
        assert page.locator(".area-map svg path").count() >= outlined
    # Plain words first: CAP's own fields are folded away, the SMS counter is under the words.
    assert not page.locator("details.cap-fields").first.evaluate("(d) => d.open")
    # The languages spoken where the officer works (community profiles), not every one the template has,
    languages = [
        page.input_value(f"#id_info-{n}-language") for n in range(page.locator("[id$=-language]").count())
    ]
    spoken = server_query(
        "SELECT DISTINCT l.code FROM communities_communityprofile_languages pl"
        " JOIN core_language l ON l.id = pl.language_id"
        " JOIN communities_communityprofile_areas pa ON pa.communityprofile_id = pl.communityprofile_id"
        " JOIN geo_adminarea a ON a.id = pa.adminarea_id WHERE a.pcode = 'JO11' OR a.parent_id IN"
        " (SELECT id FROM geo_adminarea WHERE pcode = 'JO11')"
    )
    # ... and the first languages of registered people there, counted only from five people up.
    registered = server_query(
        "SELECT r.primary_language FROM nationals_registration r JOIN geo_adminarea a ON a.id = r.area_id"
        " WHERE r.merged_into_id IS NULL AND r.primary_language != '' AND (a.pcode = 'JO11' OR a.parent_id IN"
        " (SELECT id FROM geo_adminarea WHERE pcode = 'JO11')) GROUP BY r.primary_language HAVING COUNT(*) >= 5"
    )
    # ... and the languages of the origin groups that presence tables count there (the deployment's
    # table of languages by country of origin, from its minimum share up, official ones always).
    origins = server_query(
        "SELECT DISTINCT ol.language FROM risk_presencefigure f JOIN geo_country c ON c.id = f.origin_id"
        " JOIN risk_originlanguage ol ON ol.country = c.code JOIN geo_adminarea a ON a.id = f.area_id"
        " WHERE (a.pcode = 'JO11' OR a.parent_id IN (SELECT id FROM geo_adminarea WHERE pcode = 'JO11'))"
        " AND (ol.share >= 5 OR ol.status IN ('official', 'de_facto_official'))"
    )
    # A community profile that names its languages overrides the table for its origins: every
    # language of the profiles and registrations is offered, and nothing nobody there speaks.
    codes = {re.search(r"\(([^)]+)\)$", name)[1] for name in languages}

    def base(rows):
        return {"fil" if code == "tl" else code for code in (row[0].split("-")[0] for row in rows)}

    assert base([*spoken, *registered]) <= codes <= base([*spoken, *registered, *origins]), languages
    assert "ru" not in codes, languages
    segments = page.locator("[id$=-instruction_sms]").evaluate_all(
        "(ps) => ps.map((p) => p.dataset.segments)"
    )
    assert any(n not in ("0", None) for n in segments), segments
    assert page.input_value("#id_info-0-expires")  # the template's expiry: never current for ever

    page.fill("#id_area-area_desc", "Zona dibujada en el mapa")
    area_map = page.locator(".area-map")
    area_map.scroll_into_view_if_needed()
    page.click("button[data-map-action=polygon]")
    box = area_map.bounding_box()
    corners = [(0.35, 0.35), (0.7, 0.4), (0.65, 0.75), (0.3, 0.7)]
    for fx, fy in corners + corners[:1]:  # the first corner again closes the polygon
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        page.wait_for_timeout(100)  # apart, so that no two clicks make a double click
    wait_until(page, "document.querySelector('#id_area-shapes').value.length > 0")
    drawn = json.loads(page.input_value("#id_area-shapes"))
    (feature,) = drawn["features"]
    assert feature["geometry"]["type"] == "Polygon"
    ring = feature["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]

    assert not serious(Axe().run(page))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, "alert-map-es-phone")
    if SHOTS:  # the map itself, further down than the full-page picture reaches
        page.locator("fieldset:has(.area-map)").screenshot(path=f"{SHOTS}/alert-map-es-phone-where.png")
    page.click("main form.alert-form button[type=submit]")
    page.wait_for_load_state()
    found = re.search(r"/alerts/(\d+)/$", page.url)
    assert found, page.locator("main .error, main .errors").all_inner_texts()

    xml = page.request.get(f"{server}/alerts/{found[1]}/cap.xml").body()
    root = etree.fromstring(xml)
    polygons = [p.text for p in root.iter(f"{CAP}polygon")]
    assert polygons, xml[:2000]
    points = [tuple(map(float, pair.split(","))) for pair in polygons[0].split()]
    assert len(points) == len(ring)
    for (lat, lon), (glon, glat) in zip(points, ring, strict=True):
        assert abs(lat - glat) < 1e-5 and abs(lon - glon) < 1e-5
    area_descs = {a.findtext(f"{CAP}areaDesc") for a in root.iter(f"{CAP}area")}
    assert "Zona dibujada en el mapa" in area_descs

    # Back in the form, the stored polygon is on the map again, ready to change.
    page.goto(f"{server}/alerts/{found[1]}/edit/")
    wait_until(
        page,
        "document.querySelector('.area-map') && document.querySelector('.area-map').dataset.shapes === '1'",
    )


def test_the_sms_counter_follows_the_gsm_and_ucs2_rules(page_as, server):
    page = page_as("officer")
    page.goto(server + "/alerts/new/")
    wait_until(page, "typeof window.lifelineSmsCount === 'function'")
    count = lambda text: page.evaluate("(t) => window.lifelineSmsCount(t)", text)  # noqa: E731
    assert count("a" * 160) == {"chars": 160, "encoding": "GSM-7", "units": 160, "segments": 1}
    assert count("a" * 161)["segments"] == 2
    assert count("€" * 80)["units"] == 160 and count("€" * 80)["segments"] == 1
    assert count("€" * 81)["segments"] == 2  # 162 septets: 76 euros (152) in the first part
    # 306 septets would fit two parts of 153, but the euro is not split from its escape: three.
    assert count("a" * 152 + "€" + "a" * 152) == {
        "chars": 305,
        "encoding": "GSM-7",
        "units": 306,
        "segments": 3,
    }
    assert count("ا" * 70) == {"chars": 70, "encoding": "UCS-2", "units": 70, "segments": 1}
    assert count("ا" * 71)["segments"] == 2
    assert count("😀" * 35)["units"] == 70 and count("😀" * 35)["segments"] == 1
    assert count("😀" * 36)["segments"] == 2
    page.fill("#id_info-0-headline", "Inundación: ¡aléjese!")
    assert (
        page.locator("#id_info-0-headline_sms").get_attribute("data-encoding") == "UCS-2"
    )  # “ó” is not GSM-7
    shoot(page, "alert-form-desktop")
    if SHOTS:
        page.locator("fieldset:has(.area-map)").screenshot(path=f"{SHOTS}/alert-map-desktop-where.png")
