"""Issue 15 §1: a migrant on a phone subscribes to a governorate by name (and where she is now),
confirms with the code from her mailbox, and the Amman branch's alert on that governorate reaches
her — she never had to know which branch would warn her. Before sending, the officer sees who it
would reach by language and channel; after, the counts, never "Done" over nobody."""

import re

import pytest

from .conftest import server_query, shoot, wait_until

pytestmark = pytest.mark.e2e

ADDRESS = "maricel.santos.e2e@example.org"
PHONE = {"width": 390, "height": 844}


def test_a_migrant_subscribes_to_a_governorate_and_a_branch_alert_reaches_her(
    browser, server, mailbox, page_as
):
    box, _port = mailbox
    context = browser.new_context(
        viewport=PHONE,
        locale="en",
        geolocation={"latitude": 31.9512, "longitude": 35.9239},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{server}/messaging/subscribe/")
    assert "Alerts from" not in page.locator("main").inner_text()  # no organisation to guess
    places = page.locator("#id_areas")
    listed = page.locator(f"datalist#{places.get_attribute('list')} option").evaluate_all(
        "(nodes) => nodes.map((n) => n.value)"
    )
    # The Arabic name comes from the boundaries file when it is loaded (العاصمة), else the demo's (عمان).
    assert any(option.startswith("Amman — ") and option.endswith("(JO11)") for option in listed)
    places.fill("Amman")
    page.click("#here-button")
    wait_until(page, "document.getElementById('id_lat').value === '31.951'")
    page.check("input[name=channel][value=email]")
    page.fill("#id_address", ADDRESS)
    page.fill("#id_languages", "Filipino; English")
    shoot(page, "subscribe-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#id_code")
    message = box.wait_for(ADDRESS)
    code = re.search(r"\b(\d{6})\b", message.get_body(("plain",)).get_content()).group(1)
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    assert "Subscription confirmed" in page.locator("main").inner_text()
    stored = server_query(
        "SELECT s.lat, s.lon, a.pcode FROM messaging_alertsubscriber s "
        "JOIN messaging_alertsubscriber_areas sa ON sa.alertsubscriber_id = s.id "
        "JOIN geo_adminarea a ON a.id = sa.adminarea_id WHERE s.confirmed = ?",
        (True,),
    )
    assert (31.951, 35.924, "JO11") in stored

    # The Amman branch's officer sends the branch's flood alert on Amman.
    ((alert_id,),) = server_query("SELECT id FROM alerts_alert WHERE identifier = ?", ("demo-flood-amman-1",))
    staff = page_as("officer")
    staff.goto(f"{server}/alerts/{alert_id}/")
    staff.get_by_role("button", name="Send the alert").click()
    staff.wait_for_selector("#send-preview")
    from axe_playwright_python.sync_playwright import Axe

    from .test_pages import serious

    assert serious(Axe().run(staff)) == []
    shoot(staff, "alert-send-preview")
    channels = staff.locator("#preview-channels").inner_text()
    assert "email" in channels and "sms" in channels
    assert "fil" in staff.locator("#preview-languages").inner_text()
    assert "UCS-2" in staff.locator("#preview-sms").inner_text()  # the Arabic text
    staff.click("#send-now")
    staff.wait_for_url(re.compile(r"/messaging/\d+/"))
    alert = box.wait_for(ADDRESS, subject_contains="baha")
    assert "/messaging/unsubscribe/" in alert.get_body(("plain",)).get_content()
    status = staff.locator("#send-status").inner_text()
    assert status != "Done" and ("sent" in status or "Sending" in status)
    context.close()
