"""A migrant on a 390-px phone reads the public alert page in Filipino, then switches to Urdu: every
word of the page is in her language (no English left), Urdu reads right to left, nothing overflows."""

import re
from pathlib import Path

import polib
import pytest

from .conftest import shoot

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def english_left(text, code):
    """The English sources of the migrant texts that show in ``text`` where the catalog says otherwise."""
    po = polib.pofile(str(ROOT / "lifeline" / "locale" / code / "LC_MESSAGES" / "django.po"))
    return sorted(
        e.msgid
        for e in po
        if e.msgstr != e.msgid and re.search(rf"(?<![\w-]){re.escape(e.msgid)}(?![\w-])", text)
    )


# The page without what is not words of the interface or of the alert: the alert's own language
# switcher (language names), the facts' values (times, the sender's name), the language picker, the
# deployment's names (product and owner, in the header and the footer), and the area descriptions
# (the demo alert describes its area in English only: content its author writes, as for any block).
PAGE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  const names = [...body.querySelectorAll('.product, .owner')].map((e) => e.innerText.trim()).filter(Boolean);
  const where = [...body.querySelectorAll('article h2')].at(-1);
  for (let e = where && where.nextElementSibling; e && e.tagName === 'P'; e = e.nextElementSibling) e.textContent = '';
  body.querySelectorAll('nav.actions, dd, select, .product, .owner').forEach((e) => e.remove());
  return names.reduce((text, name) => text.split(name).join(''), body.innerText);
}"""


def test_a_migrant_reads_an_alert_in_filipino_then_in_urdu(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 820}, locale="fil")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{server}/alerts/public/")
    assert page.locator("html").get_attribute("lang") == "fil"
    assert page.locator("h1").inner_text() == "Mga kasalukuyang alerto"
    page.locator("main .alert-card h2 a").first.click()
    page.wait_for_selector("main article h1")

    # Filipino: the interface from the catalog, the alert's own Filipino text.
    assert page.locator("html").get_attribute("lang") == "fil"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("main article h1").get_attribute("lang") == "fil"
    assert "Babala sa baha" in page.locator("main article h1").inner_text()
    text = page.evaluate(PAGE_TEXT)
    for words in ("Ano ang gagawin", "Ano ang nangyayari", "Saan", "Mula kanino", "Payo sa paglalakbay"):
        assert words in text, words
    assert english_left(text, "fil") == [], text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "alert-fil-phone")

    # She switches the page to Urdu with the language picker.
    page.select_option("#lang-select", "ur")
    page.locator("form.langpick button[type=submit]").click()
    page.wait_for_selector("html[lang='ur']")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("main article h1").get_attribute("lang") == "ur"
    assert page.locator("main article h1").get_attribute("dir") == "rtl"
    assert "سیلاب" in page.locator("main article h1").inner_text()
    text = page.evaluate(PAGE_TEXT)
    for words in ("کیا کریں", "کیا ہو رہا ہے", "کہاں", "سفری مشورہ"):
        assert words in text, words
    latin = set(LATIN_WORD.findall(text))
    assert latin <= {"CAP"}, (latin, text)  # CAP is the format's name
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "alert-ur-phone")
    context.close()
