"""A planner on a phone, in Spanish, finds an interpreter by typing a language's name in
Spanish, and names several languages in a box that suggests the next one."""

import pytest

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def in_spanish(page, server, path):
    page.goto(server + path)
    page.select_option("#lang-select", "es")
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"


def test_a_planner_picks_languages_by_name_in_her_language(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    in_spanish(page, server, "/interpreters/search/")
    source = page.locator("#id_source")
    # The box offers every language by its Spanish name, with its code to tell dialects apart.
    options = page.locator(f"datalist#{source.get_attribute('list')} option")
    assert options.count() > 150
    values = options.evaluate_all("(nodes) => nodes.map((n) => n.value)")
    assert "filipino (fil)" in values and "árabe (ar)" in values and "bengalí (bn)" in values
    source.fill("tagalo")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "no es un idioma" not in text and "[object" not in text
    assert page.locator("#id_source").input_value() == "filipino (fil)"  # what she typed, understood
    shoot(page, "picker-search-es")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_box_for_several_languages_suggests_the_next_one(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    page.goto(server + "/communities/new/")
    box = page.locator("#id_languages")
    assert box.get_attribute("data-picker") == "multiple"
    box.click()
    box.type("Arabic (ar); Fil")
    listed = page.locator(f"datalist#{box.get_attribute('list')} option").evaluate_all(
        "(nodes) => nodes.map((n) => n.value)"
    )
    assert "Arabic (ar); Filipino (fil)" in listed  # the next suggestion keeps what is already there
    box.fill("Arabic (ar); Klingonish; Zzyzxian")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    errors = page.locator("main").inner_text()
    assert "“Zzyzxian” is not a language we know" in errors
    assert page.locator("#id_languages").input_value().startswith("Arabic (ar); Klingonish")
