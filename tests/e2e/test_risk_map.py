"""A coordinator on a 390-px phone opens the risk map: the areas are shaded by the migrants exposed,
the hazard zones are drawn on top, the table beside the map holds the same numbers, and the CSV she
downloads holds them too. axe-core finds nothing serious on the page."""

import csv
import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import server_query, shoot, wait_until
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_planner_opens_the_risk_map_on_a_phone_and_downloads_the_table(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    page.goto(server + "/")
    page.goto(server + "/risk/map/")
    assert page.locator("h1").inner_text() == "Map of exposure by area"
    outlined = server_query("SELECT COUNT(*) FROM geo_adminarea WHERE geometry != ''")[0][0]
    summary = page.locator("#risk-summary tbody tr")
    if outlined:  # the demo's boundaries come from the shared reference data, when it is there
        wait_until(page, "document.querySelector('#risk-map.leaflet-container') !== null")
        assert page.locator("#risk-map .leaflet-tile").count() == 0  # no tile server: boundaries alone
        assert page.locator("#risk-map svg path").count() >= outlined
        # the map's areas and the table carry the same figures: Amman's first
        amman = page.locator("#risk-summary tbody tr", has_text="JO11")
        low, high = (int(amman.locator("td").nth(i).inner_text().replace(",", "")) for i in (2, 3))
        assert 0 < low <= high
        detail = page.locator("#risk-table tbody tr", has_text="JO11").first
        assert "Flood zones" in detail.inner_text() or "Seismic zones" in detail.inner_text()
    else:
        assert summary.count() == 1
    shoot(page, "risk-map-phone")
    results = Axe().run(page)
    assert not serious(results), serious(results)

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download CSV").click()
    download = caught.value
    assert download.suggested_filename.startswith("exposure-JO-") and download.suggested_filename.endswith(
        ".csv"
    )
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["P-code", "Area", "Origin"]
    if outlined:
        page_rows = page.locator("#risk-table tbody tr").count()
        assert len(rows) - 1 >= page_rows > 0
        assert any(r[0] == "JO11" for r in rows[1:])
