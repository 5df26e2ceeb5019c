"""The nationals' app in real Chromium: once a person has registered with their embassy, the app wears
the embassy's ministry's name, logo and colours (through the page's nonce'd style, which the
Content-Security-Policy lets through), and the deployment's again after signing out."""

import re

import pytest
from playwright.sync_api import expect

from lifeline.core.demo import MINISTRY_BRAND

from .conftest import shoot, wait_until

pytestmark = pytest.mark.e2e

ADDRESS = "joy.santos.brand.e2e@example.org"


def _rgb(hex_colour):
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_the_app_wears_the_brand_of_the_persons_ministry(browser, server, mailbox):
    name, primary, _accent = MINISTRY_BRAND
    context = browser.new_context(
        viewport={"width": 390, "height": 820},
        locale="en",
        service_workers="allow",
        extra_http_headers={"X-Forwarded-For": "198.51.100.23"},  # its own sign-in code limit
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    box, _port = mailbox

    page.goto(f"{server}/app/")
    assert name not in page.locator("header.bar").inner_text()
    deployment_colour = page.locator("header.bar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert deployment_colour != _rgb(primary)

    page.click("main a[href='#/signin']")
    page.select_option("#f-channel", "email")
    page.fill("#f-address", ADDRESS)
    page.locator("main form").nth(0).locator("button[type=submit]").click()
    message = box.wait_for(ADDRESS)
    code = re.search(r"\b(\d{6})\b", message.get_body(("plain",)).get_content()).group(1)
    page.fill("#f-code", code)
    page.locator("main form").nth(1).locator("button[type=submit]").click()
    wait_until(page, "location.hash === '#/register'")
    page.wait_for_selector("#f-given_names")
    page.fill("#f-given_names", "Joy")
    page.fill("#f-family_name", "Santos")
    page.select_option("#f-nationality", "PH")
    page.select_option("#f-country", "JO")
    page.select_option("#f-area", "JO11")
    page.fill("#f-city", "Amman")
    page.fill("#f-languages", "en")
    page.check("#c-consent_assistance")
    page.locator("main form button[type=submit]").click()
    # Registered: the app loads again, in the ministry's brand.
    bar = page.locator("header.bar")
    expect(bar).to_contain_text(name)
    page.wait_for_selector("main button.safe")
    assert bar.locator("img.logo").evaluate("img => img.complete && img.naturalWidth > 0")
    assert bar.evaluate("e => getComputedStyle(e).backgroundColor") == _rgb(primary)
    shoot(page, "app-branded-en")

    page.goto(f"{server}/app/#/me")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("header.bar")).not_to_contain_text(name)
    page.wait_for_selector("main a[href='#/signin']")
    assert (
        page.locator("header.bar").evaluate("e => getComputedStyle(e).backgroundColor") == deployment_colour
    )
    context.close()
