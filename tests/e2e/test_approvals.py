"""Two-person approval in real Chromium: the officer writes and submits an alert, the coordinator is
emailed, finds it in the approvals inbox (counted in the navigation) and may approve it; the author may not.
The coordinator sends it back to draft, so the demo's public alerts stay as they were."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

POLYGON = "31.93,35.90 31.93,35.95 31.97,35.95 31.97,35.90 31.93,35.90"


def test_a_submitted_alert_reaches_the_approvers_inbox(page_as, server, mailbox):
    officer = page_as("officer")
    officer.goto(server + "/alerts/new/?template=flood")
    officer.fill("#id_area-area_desc", "Approval drill area")
    officer.locator("#id_area-polygons").evaluate("(box) => { box.closest('details').open = true; }")
    officer.fill("#id_area-polygons", POLYGON)
    officer.click("main form[enctype] button[type=submit]")
    officer.wait_for_load_state()
    assert re.search(r"/alerts/\d+/$", officer.url), officer.url
    detail = officer.url
    officer.click("main button:has-text('Submit for approval')")
    officer.wait_for_load_state()
    assert officer.locator("main form[action$='/approve/']").count() == 0  # the author may not approve
    officer.goto(server + "/approvals/")
    assert officer.locator(f"main a[href='{detail.removeprefix(server)}']").count() == 0

    box, _port = mailbox
    notice = box.wait_for("coordinator@demo.invalid")
    assert "Waiting for your approval" in notice["Subject"]

    coordinator = page_as("coordinator")
    coordinator.goto(server + "/approvals/")
    assert not serious(Axe().run(coordinator))
    shoot(coordinator, "approvals")
    assert coordinator.locator("nav.main-nav a[href='/approvals/'] .tag").count() == 1
    coordinator.click(f"main a[href='{detail.removeprefix(server)}']")
    coordinator.wait_for_load_state()
    assert coordinator.locator("main form[action$='/approve/'] button").count() == 1
    coordinator.click("main button:has-text('Send back to draft')")
    coordinator.wait_for_load_state()
    coordinator.goto(server + "/approvals/")
    assert coordinator.locator(f"main a[href='{detail.removeprefix(server)}']").count() == 0
