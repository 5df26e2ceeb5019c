"""Issue 15 §1: a subscriber changes her places from the link in her confirmation, on a 390-px phone
in Arabic (right to left, nothing overflows), without subscribing again."""

import re

import pytest

from .conftest import server_query, shoot

pytestmark = pytest.mark.e2e

ADDRESS = "amal.change.e2e@example.org"
PHONE = {"width": 390, "height": 844}


def test_a_subscriber_changes_her_places_in_arabic_on_a_phone(browser, server, mailbox):
    box, _port = mailbox
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{server}/messaging/subscribe/")
    page.fill("#id_areas", "Amman")
    page.check("input[name=channel][value=email]")
    page.fill("#id_address", ADDRESS)
    page.fill("#id_languages", "Arabic")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#id_code")
    body = box.wait_for(ADDRESS).get_body(("plain",)).get_content()
    change = re.search(r"(/messaging/subscription/[^/\s]+/)", body).group(1)
    context.close()

    ((other_pcode, other_name),) = server_query(
        "SELECT pcode, name FROM geo_adminarea WHERE pcode != 'JO11' AND level = 1 ORDER BY pcode LIMIT 1"
    )
    arabic = browser.new_context(viewport=PHONE, locale="ar")
    page = arabic.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{server}{change}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "تغيير اشتراكي في التنبيهات"
    assert page.locator("#id_areas").input_value()  # her current place, ready to edit
    page.fill("#id_areas", other_name)
    shoot(page, "change-subscription-phone-ar")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("main form button[type=submit]").click()
    assert "تم تغيير الاشتراك" in page.locator("main").inner_text()
    stored = server_query(
        "SELECT a.pcode FROM messaging_alertsubscriber_areas sa "
        "JOIN geo_adminarea a ON a.id = sa.adminarea_id "
        "WHERE sa.alertsubscriber_id = (SELECT MAX(id) FROM messaging_alertsubscriber)"
    )
    assert (other_pcode,) in stored and ("JO11",) not in stored
    page.goto(f"{server}/messaging/subscription/forged/")
    assert page.locator("h1").inner_text() == "الرابط غير صالح"  # a forged link: refused, in her language
    arabic.close()
