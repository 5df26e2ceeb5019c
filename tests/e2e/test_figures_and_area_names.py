"""A planner reading Arabic on a 390-px phone: figures on the home and the community pages are grouped
(12,000, not 12000) and admin areas carry their Arabic names (العاصمة, the governorate of Amman, not Amman) in the area picker and
the lists; nothing runs off the screen."""

import re

import pytest

from tests.e2e.conftest import shoot
from tests.e2e.test_homes import PHONE, in_language

pytestmark = pytest.mark.e2e

FIGURE = re.compile(r"^\d[\d,]*$")  # a cell that is a figure


def figures(page, selector):
    return [text.strip() for text in page.locator(selector).all_inner_texts() if FIGURE.match(text.strip())]


def test_a_planner_in_arabic_sees_grouped_figures_and_arabic_area_names(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    in_language(page, server, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    areas = page.locator("#gap-area option").all_inner_texts()
    assert (
        "العاصمة" in areas and "إربد" in areas and "Amman" not in areas
    )  # Amman governorate is "the capital"
    people = figures(page, "main table td")
    assert people and all(len(f) < 4 or "," in f for f in people), people  # 26,000, never 26000
    assert any("," in figure for figure in people), people
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, "home-planner-ar-phone")

    page.goto(server + "/communities/")
    page.wait_for_load_state()
    rows = page.locator("main table tbody tr")
    assert rows.count() > 0
    assert "العاصمة" in page.locator("main table").inner_text()
    sizes = figures(page, "main table td")
    assert "26,000" in sizes and all(len(f) < 4 or "," in f for f in sizes), sizes
    shoot(page, "communities-ar-phone")
