"""GDACS on a phone: the consul in Amman sees the GDACS earthquake over the post's nationals where
the imported alerts show, and opens the check-in from it; a planner reads the gaps per area in
French. Both pages pass axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import server_query, shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_consul_opens_the_check_in_from_the_gdacs_proposal(page_as, server):
    page = page_as("consul", viewport=PHONE)
    page.goto(server + "/crises/")
    section = page.locator("section[aria-labelledby=gdacs-heading]")
    assert "Earthquake in Jordan" in section.inner_text()
    assert "Proposed: a check-in." in section.inner_text()
    assert "Embassy" in section.inner_text() or "Amman" in section.inner_text()
    no_sideways_scroll(page)
    assert not serious(Axe().run(page))
    shoot(page, "risk-gdacs-proposal-phone")
    people = server_query("SELECT people FROM risk_gdacsproposal")[0][0]
    assert people > 0
    section.locator("button[value=checkin]").click()
    page.wait_for_load_state()
    assert "/crises/" in page.url and page.locator("h1").inner_text().startswith("Earthquake in Jordan")
    assert (
        f"Check-in opened from the GDACS event: {people} registrations inside."
        in page.locator("main").inner_text()
    )
    # The check-in composer is there, a box per language of the people inside.
    assert page.locator("main form textarea").count() >= 1
    assert not serious(Axe().run(page))
    no_sideways_scroll(page)
    # Acted on: the proposal is no longer offered.
    page.goto(server + "/crises/")
    assert page.locator("section[aria-labelledby=gdacs-heading]").count() == 0


def test_a_planner_reads_the_gaps_in_french(page_as, server):
    page = page_as("coordinator", viewport=PHONE, language="fr")
    page.goto(server + "/risk/")
    page.select_option("#lang-select", "fr")
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "Lacunes par zone"
    main = page.locator("main").inner_text()
    assert "Amman" in main and ("Interprètes" in main or "Aucune langue" in main)
    assert page.locator("main table").count() >= 1
    no_sideways_scroll(page)
    assert not serious(Axe().run(page))
    shoot(page, "risk-gaps-fr-phone")
    with page.expect_download() as download:
        page.click("main button[value=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
