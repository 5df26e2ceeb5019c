"""Drills and action items on a phone: a planner records a drill of the Amman flood plan with two
findings; they appear on the owner's list of actions, and the owner closes one."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import server_query, shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _choose(page, select, text):
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value)


def test_a_drill_with_two_findings_reaches_the_owner_who_closes_one(page_as, server):
    planner = page_as("coordinator", viewport=PHONE)
    planner.goto(server + "/plans/")
    planner.click("main a[href='/plans/drills/']")
    planner.click("main a:has-text('Record a drill')")
    _choose(planner, "#id_organisation", "Amman branch")
    planner.fill("#id_title", "Journey flood drill")
    planner.fill("#id_held_on", "2026-11-20")
    planner.select_option("#id_level", "local")
    planner.fill("#id_scenario", "Night flood in Wadi Abdoun.")
    planner.fill("#id_objectives", "Warnings reach the Ethiopian association within 30 minutes.")
    _choose(planner, "#id_plan", "Amman flash-flood contingency plan")
    planner.fill("#id_participants", "18")
    planner.fill("#id_migrant_representatives", "4")
    no_sideways_scroll(planner)
    planner.click("main form button[type=submit]")
    planner.wait_for_load_state()
    assert "/plans/drills/" in planner.url and "Journey flood drill" in planner.locator("h1").inner_text()
    assert "18, of them 4 migrant representatives" in planner.locator("main").inner_text()
    for text, due in (
        ("Journey: shelters asked for papers; brief the managers.", "2026-12-01"),
        ("Journey: add the association's night number to the chain.", "2027-01-15"),
    ):
        planner.fill("#id_text", text)
        _choose(planner, "#id_owner_user", "Officer")
        planner.fill("#id_due", due)
        planner.click("main form[action$='/findings/'] button[type=submit]")
        planner.wait_for_load_state()
        assert text in planner.locator("#findings + ul").inner_text()
    assert "0 of 2 closed" in planner.locator("#findings").inner_text()
    no_sideways_scroll(planner)
    planner.reload()  # axe on the page itself, without the one-off "saved" message above it
    assert not serious(Axe().run(planner))
    shoot(planner, "drill-findings-phone")
    # The plan shows the drill that tested it.
    planner.click("main dl a:has-text('Amman flash-flood contingency plan')")
    planner.wait_for_load_state()
    assert "Journey flood drill" in planner.locator("#drills + ul").inner_text()

    owner = page_as("officer", viewport=PHONE)
    owner.goto(server + "/")
    assert owner.locator("#home-my-actions").count() == 1
    owner.click("#home-my-actions")
    owner.wait_for_load_state()
    assert owner.url.endswith("/plans/actions/")
    main = owner.locator("main").inner_text()
    assert "Journey: shelters asked for papers" in main and "Journey: add the association" in main
    no_sideways_scroll(owner)
    assert not serious(Axe().run(owner))
    shoot(owner, "my-actions-phone")
    item = owner.locator("li.action-item", has_text="Journey: shelters asked for papers")
    item.locator("select[name=status]").select_option("done")
    item.locator("input[name=note]").fill("Managers briefed on 30 November.")
    item.locator("button[type=submit]").click()
    owner.wait_for_load_state()
    assert "Journey: shelters asked for papers" in owner.locator("#closed + ul").inner_text()
    assert "Journey: add the association" in owner.locator("main").inner_text()
    rows = server_query(
        "SELECT status, closing_note FROM plans_actionitem WHERE text LIKE ? ORDER BY id",
        ("Journey:%",),
    )
    assert rows == [("done", "Managers briefed on 30 November."), ("open", "")]
    planner.goto(server + "/plans/drills/")
    planner.click("main a:has-text('Journey flood drill')")
    assert "1 of 2 closed" in planner.locator("#findings").inner_text()
