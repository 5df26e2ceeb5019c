"""The home-country and alerting pages in real Chromium: axe-core finds no serious or critical
violation, at desktop width and on a phone, in English and in Arabic; public pages need no login."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

CONSUL_PAGES = [
    ("nationals", "/nationals/"),
    ("nationals-form", "/nationals/new/"),
    ("nationals-duplicates", "/nationals/duplicates/"),
    ("consular-network", "/nationals/posts/"),
    ("crises", "/crises/"),
    ("evacuation", "/evacuation/"),
    ("cases", "/cases/"),
    ("cases-dashboard", "/cases/dashboard/"),
    ("advice-manage", "/advice/manage/"),
]
HOST_PAGES = [
    ("alerts", "/alerts/"),
    ("alert-form", "/alerts/new/?template=flood"),
    ("alert-feeds", "/alerts/feeds/"),
    ("messaging", "/messaging/"),
    ("messaging-compose", "/messaging/new/"),
]
PUBLIC_PAGES = [
    ("public-advice", "/advice/"),
    ("public-advice-lb", "/advice/lb/"),
    ("public-briefing-jo", "/advice/jo/briefing/"),
    ("public-alerts", "/alerts/public/"),
    ("public-subscribe", "/messaging/subscribe/"),
    ("app", "/app/"),
]


def _sweep(page, server, pages, suffix=""):
    axe, problems = Axe(), {}
    for name, path in pages:
        response = page.goto(server + path)
        assert response.status == 200, (path, response.status)
        found = serious(axe.run(page))
        if found:
            problems[path] = found
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"] + 1, (path, "scrolls sideways", width)
        shoot(page, name + suffix)
    return problems


def _first_detail(page, server, list_path):
    page.goto(server + list_path)
    page.click("main table a >> nth=0")
    page.wait_for_load_state()
    return page.url


def test_consular_pages_pass_axe(page_as, server):
    page = page_as("consul")
    problems = _sweep(page, server, CONSUL_PAGES)
    details = [("nationals-detail", _first_detail(page, server, "/nationals/"))]
    details.append(("crisis-detail", _first_detail(page, server, "/crises/")))
    page.goto(details[-1][1])
    board = page.locator("main a[href*='/crises/campaigns/']").first.get_attribute("href")
    details.append(("checkin-board", server + board))
    details.append(("case-detail", _first_detail(page, server, "/cases/")))
    for name, url in details:
        page.goto(url)
        found = serious(Axe().run(page))
        if found:
            problems[url] = found
        shoot(page, name)
    assert not problems, problems


def test_alerting_pages_pass_axe(page_as, server):
    page = page_as("coordinator")
    problems = _sweep(page, server, HOST_PAGES)
    url = _first_detail(page, server, "/alerts/")
    found = serious(Axe().run(page))
    if found:
        problems[url] = found
    shoot(page, "alert-detail")
    assert not problems, problems


def test_public_pages_need_no_login_and_pass_axe_on_a_phone_in_arabic(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 820}, locale="ar")
    page = context.new_page()
    problems = _sweep(page, server, PUBLIC_PAGES, "-phone-ar")
    assert page.get_attribute("html", "dir") == "rtl"
    context.close()
    assert not problems, problems


def test_consular_pages_on_a_phone_in_arabic(page_as, server):
    page = page_as("consul", viewport={"width": 390, "height": 820}, language="ar")
    page.select_option("#lang-select", "ar")
    page.click(".langpick button")
    page.wait_for_load_state()
    problems = _sweep(page, server, CONSUL_PAGES[:5] + [("cases", "/cases/")], "-phone-ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert not problems, problems
