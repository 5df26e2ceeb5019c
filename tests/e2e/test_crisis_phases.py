"""A plan's phase during a crisis, on a phone: the consul activates the precautionary phase of the
embassy's consular plan on the Amman floods and sees its actions as tasks, each on its own page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_the_consul_activates_the_precautionary_phase_and_sees_the_tasks(page_as, server):
    consul = page_as("consul", viewport=PHONE)
    consul.goto(server + "/crises/")
    consul.click("main a:has-text('Flash floods in Amman')")
    consul.wait_for_load_state()
    box = consul.locator("#plan-phases")
    assert "Philippine Embassy in Amman: consular contingency plan" in box.inner_text()
    consul.select_option("#phase-choice", "precautionary")
    box.locator("button[type=submit]").click()
    consul.wait_for_load_state()
    assert "Tasks added: 2." in consul.locator("main").inner_text()
    box = consul.locator("#plan-phases")
    text = box.inner_text()
    assert "Precautionary · 0 of 2 done" in text
    assert "Check that the registration list is current and call the wardens." in text
    assert "Send a message to all registered nationals with the emergency number." in text
    assert consul.locator("#phase-choice option[value=precautionary]").count() == 0
    assert consul.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    consul.reload()  # axe on the page itself, without the one-off message
    assert not serious(Axe().run(consul))
    shoot(consul, "crisis-plan-phases-phone")
    consul.click("#plan-phases a:has-text('call the wardens')")
    consul.wait_for_load_state()
    assert "/plans/actions/" in consul.url
    assert "Crisis phase task" in consul.locator("main").inner_text()
