"""The main pages in real Chromium: they work, hold on a phone, lay out right to left in Arabic,
and axe-core finds no serious or critical accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.e2e

MAIN_PAGES = [
    ("home", "/"),
    ("contacts", "/contacts/"),
    ("contact-form", "/contacts/new/"),
    ("contacts-reverify", "/contacts/reverify/"),
    ("contacts-import", "/contacts/import/"),
    ("communities", "/communities/"),
    ("interpreters", "/interpreters/"),
    ("audit", "/audit/"),
    ("settings", "/settings/"),
    ("account", "/account/"),
]


def serious(results):
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_main_pages_pass_axe(page_as, server):
    page = page_as("admin")
    axe = Axe()
    problems = {}
    for name, path in MAIN_PAGES:
        response = page.goto(server + path)
        assert response.status == 200, (path, response.status)
        found = serious(axe.run(page))
        if found:
            problems[path] = found
        shoot(page, name)
    assert not problems, problems


def test_detail_pages_pass_axe(page_as, server):
    page = page_as("coordinator")
    axe = Axe()
    problems = {}
    for list_path, link in (
        ("/contacts/", "table a"),
        ("/communities/", "table a"),
        ("/interpreters/", "table a"),
    ):
        page.goto(server + list_path)
        page.click(f"main {link} >> nth=0")
        page.wait_for_load_state()
        found = serious(axe.run(page))
        if found:
            problems[page.url] = found
        shoot(page, list_path.strip("/") + "-detail")
    assert not problems, problems


def test_login_page_passes_axe(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/account/login/")
    assert not serious(Axe().run(page))
    shoot(page, "login")
    context.close()


def test_arabic_lays_out_right_to_left(page_as, server):
    page = page_as("coordinator")
    page.select_option("#lang-select", "ar")
    page.click(".langpick button")
    page.wait_for_load_state()
    page.goto(server + "/contacts/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The brand sits at the right edge of the header in a right-to-left page.
    box = page.locator(".brand").bounding_box()
    assert box["x"] + box["width"] > page.viewport_size["width"] / 2
    assert not serious(Axe().run(page))
    shoot(page, "contacts-ar")


@pytest.mark.parametrize("path", ["/", "/contacts/", "/communities/", "/interpreters/"])
def test_phone_viewport_has_no_sideways_scroll(page_as, server, path):
    page = page_as("viewer", viewport={"width": 390, "height": 844})
    page.goto(server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    shoot(page, "phone" + path.replace("/", "-").rstrip("-"))


def test_contact_form_shows_errors_and_keeps_input(page_as, server):
    page = page_as("officer")
    page.goto(server + "/contacts/new/")
    page.fill("#id_name", "Tamil Sangam of Zarqa")
    page.fill("#id_channels", "phone:12345")
    page.fill("#id_languages", "ta, zz-nope")
    page.click("main form button[type=submit]")
    assert "/contacts/new/" in page.url
    assert page.locator("text=is not a valid phone number").count() == 1
    assert page.locator("text=is not a language we know").count() == 1
    assert page.input_value("#id_name") == "Tamil Sangam of Zarqa"
    shoot(page, "contact-form-errors")
    page.fill("#id_channels", "phone:+962 79 555 0101")
    page.fill("#id_languages", "ta, ar")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/contacts/*/")
    assert page.locator("h1").inner_text() == "Tamil Sangam of Zarqa"
    assert page.locator("text=+962795550101").count() == 1
