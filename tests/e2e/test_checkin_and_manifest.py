"""A consul on a phone composes the "are you safe?" check-in starting from the languages of the people
inside the flooded area, then prints the manifest of the evacuation coach (documents, sign-off line)."""

import json
import re

import pytest

from tests.e2e.conftest import server_query, shoot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CRISIS = "Flash floods in Amman"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def reached(crisis_id):
    """Who the check-in would reach, read from the server's database: inside, active, agreed to crisis messages."""
    return server_query(
        "SELECT COUNT(DISTINCT m.registration_id) FROM crises_crisismember m"
        " JOIN nationals_registration r ON r.id = m.registration_id AND r.merged_into_id IS NULL"
        " JOIN nationals_consent c ON c.registration_id = r.id AND c.purpose = 'crisis_messages' AND c.granted"
        " WHERE m.crisis_id = ?",
        (crisis_id,),
    )[0][0]


def test_the_consul_composes_a_checkin_from_the_languages_shown_then_prints_a_manifest(page_as, server):
    [(crisis_id,)] = server_query("SELECT id FROM crises_crisis WHERE name = ?", (CRISIS,))
    page = page_as("consul", viewport=PHONE)
    page.goto(f"{server}/crises/{crisis_id}/")
    table = page.locator("table.composer-languages")
    table.scroll_into_view_if_needed()
    # The languages of the people inside, by name, each with how many read it: as many as the send reaches.
    rows = table.locator("tbody tr[data-language]")
    names = rows.locator("td:nth-child(1)").all_inner_texts()
    counts = [int(n) for n in rows.locator("td:nth-child(2)").all_inner_texts()]
    assert "Filipino" in names and len(names) > 1 and not any(re.fullmatch(r"[a-z]{2,3}", n) for n in names)
    assert sum(counts) == reached(crisis_id) > 0
    intro = page.locator("#composer + p").inner_text()
    assert f"would reach {sum(counts)} people" in intro
    # A box per language, started from the last campaign's texts (its Arabic one too); Arabic counts UCS-2 SMS.
    codes = rows.evaluate_all("rows => rows.map(r => r.dataset.language).filter(Boolean)")
    for code in codes:
        assert page.locator(f"textarea[name='text_{code}']").count() == 1
    arabic = page.locator("textarea[name='text_ar']")
    assert arabic.get_attribute("dir") == "rtl" and arabic.input_value()
    assert "UCS-2" in page.locator("#id_text_ar_sms").inner_text()
    # A language nobody wrote yet is flagged (here its readers also read Filipino or English, so none of
    # them falls back to a language they did not give); write it and count again.
    flagged = table.locator("tbody tr[data-language]", has_text="no text yet").first
    code = flagged.get_attribute("data-language")
    assert "instead" not in flagged.inner_text() and page.locator("#composer-fallback").count() == 0
    box = page.locator(f"textarea[name='text_{code}']")
    box.fill("Are you safe? Reply SAFE or HELP.")
    assert page.locator(f"#id_text_{code}_sms").get_attribute("data-encoding") == "GSM-7"
    page.click("button[name=check]")
    page.wait_for_load_state()
    row = page.locator(f"table.composer-languages tr[data-language='{code}']")
    assert "written" in row.inner_text() and "no text yet" not in row.inner_text()
    no_sideways_scroll(page)
    shoot(page, "checkin-composer-phone")
    written = page.locator("textarea[name^='text_']").evaluate_all(
        "boxes => boxes.filter(b => b.value.trim()).map(b => b.name.slice(5))"
    )
    assert code in written
    page.locator("#composer ~ form button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    assert "/crises/campaigns/" in page.url and "people whether they are safe" in page.inner_text("main")
    [(messages,)] = server_query(
        "SELECT messages FROM crises_checkincampaign WHERE crisis_id = ? ORDER BY id DESC LIMIT 1",
        (crisis_id,),
    )
    sent = (
        json.loads(messages) if isinstance(messages, str) else messages
    )  # text on SQLite, JSON on PostgreSQL
    assert sent[code] == "Are you safe? Reply SAFE or HELP." and set(sent) == set(written)

    # The manifest of the coach: document number, date of birth, sex and nationality, then the sign-off.
    [(bus_id,)] = server_query("SELECT id FROM evacuation_transport WHERE name = 'JETT coach 14'")
    page.goto(f"{server}/evacuation/transports/{bus_id}/")
    first = page.locator(".evac-person").first
    assert "Document number" in first.inner_text() and "Philippines" in first.inner_text()
    assert re.search(r"P\d{7}[ABC]", first.inner_text())
    no_sideways_scroll(page)
    page.click("text=Print the manifest")
    page.wait_for_load_state()
    text = page.inner_text("body")
    for words in (
        "Document number",
        "Date of birth",
        "Sex",
        "Nationality",
        "Sign-off",
        "Consular officer",
        "Carrier",
    ):
        assert words in text
    assert re.search(r"P\d{7}[ABC]", text) and "Philippines" in text and "[object" not in text
    assert text.index("Sign-off") > text.index("Households")
    signoff = page.locator("table.signoff")
    # The page's own styles apply (under the CSP nonce): ruled cells to sign in.
    assert signoff.locator("td").first.evaluate("cell => getComputedStyle(cell).borderTopStyle") == "solid"
    assert signoff.locator("thead th").all_inner_texts()[1:] == ["Name", "Signature", "Date", "Place"]
    shoot(page, "manifest-printed-phone")
