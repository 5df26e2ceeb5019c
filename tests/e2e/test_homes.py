"""A consul (in French) and a planner (in Spanish), each on a 390-px phone: the menu folds behind a
button that the keyboard opens and closes, the home page shows their stream's work, and a figure on
it leads straight to the list behind it; nothing English is left and no "[object" shows. axe-core
finds no serious violation on either home, menu open or closed."""

from pathlib import Path

import polib
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import ROOT, shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# The text nodes, button labels and accessible names a reader meets on the page.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const parent = walker.currentNode.parentElement;
    if (text && parent && !parent.closest('script, style, code, [lang]:not(html)')) out.push(text);
  }
  document.querySelectorAll('[aria-label], [placeholder]').forEach((node) => {
    out.push(node.getAttribute('aria-label') || node.getAttribute('placeholder'));
  });
  return out;
}"""


def english_left(page, language):
    """The UI strings of the page still in English: a text that is a catalog msgid whose
    translation in ``language`` differs from it."""
    catalog = polib.pofile(str(Path(ROOT) / "lifeline" / "locale" / language / "LC_MESSAGES" / "django.po"))
    english = {e.msgid for e in catalog.translated_entries() if e.msgstr != e.msgid and len(e.msgid) > 3}
    return sorted({text for text in page.evaluate(VISIBLE_TEXT) if text in english})


def in_language(page, server, language):
    page.goto(server + "/")
    page.select_option("#lang-select", language)
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def fold_and_unfold_by_keyboard(page):
    toggle = page.locator(".menu-toggle")
    menu = page.locator("#main-menu")
    assert toggle.is_visible() and not menu.is_visible()  # folded on a phone
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")  # into the menu
    assert page.evaluate("document.activeElement.closest('#main-menu') !== null")
    page.keyboard.press("Escape")
    assert not menu.is_visible() and page.evaluate("document.activeElement.classList.contains('menu-toggle')")
    page.keyboard.press("Space")
    assert menu.is_visible()


def check_page(page, language):
    text = page.locator("body").inner_text()
    assert "[object" not in text and "undefined" not in text
    left = english_left(page, language)
    assert not left, f"English left: {left}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_consul_on_a_phone_in_french_opens_the_menu_and_goes_to_the_overdue_cases(page_as, server):
    page = page_as("consul", viewport=PHONE)
    in_language(page, server, "fr")
    assert page.locator("h1").inner_text() == "Travail consulaire"
    # The ministry's branding, inherited by its post, not the deployment's.
    assert "Department of Foreign Affairs" in page.locator("header").inner_text()
    assert "Civil Defence" not in page.locator("body").inner_text()
    check_page(page, "fr")
    shoot(page, "home-consul-fr-phone")
    assert not serious(Axe().run(page))
    fold_and_unfold_by_keyboard(page)
    groups = page.locator("#main-menu .menu-label").all_inner_texts()
    assert groups[0].strip().lower() == "travail consulaire"
    shoot(page, "home-consul-fr-phone-menu")
    assert not serious(Axe().run(page))
    page.keyboard.press("Escape")
    overdue = int(page.locator("#home-cases-overdue .n").inner_text())
    page.click("#home-cases-overdue")
    page.wait_for_load_state()
    assert "/cases/" in page.url and "overdue=on" in page.url
    assert page.locator("main table tbody tr").count() == min(overdue, 25) or overdue == 0
    check_page(page, "fr")


def test_a_planner_on_a_phone_in_spanish_opens_the_menu_and_goes_to_contacts_to_reverify(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    in_language(page, server, "es")
    assert page.locator("h1").inner_text() == "Preparación para emergencias"
    check_page(page, "es")
    shoot(page, "home-planner-es-phone")
    assert not serious(Axe().run(page))
    fold_and_unfold_by_keyboard(page)
    groups = page.locator("#main-menu .menu-label").all_inner_texts()
    assert groups[0].strip().lower() == "preparación para emergencias"
    shoot(page, "home-planner-es-phone-menu")
    page.keyboard.press("Escape")
    page.click("#home-reverify")
    page.wait_for_load_state()
    assert page.url.endswith("/contacts/reverify/")
    check_page(page, "es")


def test_both_homes_on_a_desktop_show_the_whole_menu_without_a_button(page_as, server):
    for username, name in (("consul", "home-consul-desktop"), ("coordinator", "home-planner-desktop")):
        page = page_as(username, viewport=DESKTOP)
        page.goto(server + "/")
        assert page.locator("#main-menu").is_visible() and not page.locator(".menu-toggle").is_visible()
        assert not serious(Axe().run(page))
        shoot(page, name)


def test_the_public_philippine_advice_page_shows_the_ministry(browser, server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(server + "/advice/lb/")
    header = page.locator("header").inner_text()
    assert "Department of Foreign Affairs" in header
    assert "Civil Defence Directorate" not in page.locator("body").inner_text()
    shoot(page, "public-advice-lb-branded")
    context.close()
