"""Casework journeys: a consul on a phone, in French, drafts Jordan's advice for the ministry to approve
(a level change must have its summary reviewed); an officer merges two duplicates, then undoes it."""

import pytest

from tests.e2e.conftest import server_query, shoot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def in_french(page, server, path):
    page.goto(server + path)
    page.select_option("#lang-select", "fr")
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_consul_in_amman_drafts_jordans_advice_on_a_phone_in_french(page_as, server):
    page = page_as("consul", viewport=PHONE, language="fr")
    in_french(page, server, "/advice/manage/")
    page.locator("main a[href*='/advice/manage/']", has_text="Jordan").first.click()
    page.wait_for_load_state()
    assert "/advice/manage/" in page.url and page.locator("h1").count() == 1  # not a 404 any more
    page.click("main form[action$='/draft/'] button")
    page.wait_for_load_state()
    assert page.url.endswith("/edit/")
    no_sideways_scroll(page)
    level = int(page.locator("input[name=level]:checked").get_attribute("value"))
    new_level = 4 if level != 4 else 3
    page.check(f"input[name=level][value='{new_level}']")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    # The level changed but the summary did not: refused, in French, until the consul reviews it.
    errors = page.locator("main").inner_text()
    assert "le résumé" in errors and "reste valable" in errors and page.url.endswith("/edit/")
    shoot(page, "advice-level-summary-fr")
    page.check("#id_summary_confirmed")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/edit/" not in page.url, page.locator("main .error, main .errors").all_inner_texts()
    page.click("main form[action$='/submit/'] button")
    page.wait_for_load_state()
    assert server_query("SELECT state, level FROM advice_adviceversion ORDER BY id DESC LIMIT 1") == [
        ("awaiting", new_level)
    ]
    no_sideways_scroll(page)
    shoot(page, "advice-post-draft-fr")
    # The consul cannot approve it; the ministry can.
    assert page.locator("main form[action$='/approve/']").count() == 0
    version_url = page.url
    ministry = page_as("ministry")
    ministry.goto(version_url)
    ministry.click("main form[action$='/approve/'] button")
    ministry.wait_for_load_state()
    assert server_query("SELECT state FROM advice_adviceversion ORDER BY id DESC LIMIT 1") == [("published",)]


def test_an_officer_merges_two_duplicates_then_undoes_it(page_as, server):
    page = page_as("consul", viewport=PHONE, language="fr")
    in_french(page, server, "/nationals/duplicates/")
    before = page.locator("main table tbody tr").count()
    page.locator("main a[href*='/nationals/duplicates/']", has_text="Comparer").first.click()
    page.wait_for_load_state()
    pair = page.url.rstrip("/").split("/")[-2:]
    assert page.locator("table.side-by-side tbody tr").count() > 10
    no_sideways_scroll(page)
    shoot(page, "duplicates-side-by-side-fr")
    # Without the confirmation the browser does not send the form.
    page.click("form.merge button[type=submit]")
    assert page.url.rstrip("/").split("/")[-2:] == pair
    page.check("#confirm-merge")
    page.click("form.merge button[type=submit]")
    page.wait_for_load_state()
    assert "/merges/" in page.url
    assert server_query("SELECT merged_into_id FROM nationals_registration WHERE id = ?", (pair[1],)) == [
        (int(pair[0]),)
    ]
    page.click("main form[action$='/undo/'] button")
    page.wait_for_load_state()
    assert "Annulé" in page.locator("main").inner_text()
    assert server_query("SELECT merged_into_id FROM nationals_registration WHERE id = ?", (pair[1],)) == [
        (None,)
    ]
    page.goto(server + "/nationals/duplicates/")
    assert page.locator("main table tbody tr").count() == before  # the pair is suggested again
    no_sideways_scroll(page)
