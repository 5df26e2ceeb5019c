"""A migrant on a 390-px phone, in Arabic, registers with her household and a trip (languages chosen
by name; a wrong trip refused in Arabic with nothing saved); "I am safe" and "I need help" with no
check-in open are confirmed once, in Arabic, and reach the post; "My data" shows what is held in
readable sections, the people with her and the trip among them."""

import json
import re

import pytest
from django.utils import translation

from .conftest import server_query, shoot, wait_until

pytestmark = pytest.mark.e2e

ADDRESS = "noor.haddad.e2e@example.org"
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def arabic(message):
    with translation.override("ar"):
        return str(translation.gettext(message))


def _json(value):
    """A JSON column as the database hands it back: text on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _sign_in_and_register(page, server, mailbox):
    box, _port = mailbox
    page.goto(f"{server}/app/")
    assert page.locator("html").get_attribute("lang") == "ar"
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
    page.fill("#f-given_names", "Noor")
    page.fill("#f-family_name", "Haddad")
    page.select_option("#f-nationality", "PH")
    page.select_option("#f-country", "JO")
    page.select_option("#f-area", "JO21")
    page.fill("#f-city", "Irbid")
    # Languages by name: the screen's language is offered first, another is typed by its name.
    assert page.input_value("#f-languages").startswith("العربية (ar)")
    page.fill("#f-languages", "العربية (ar); Tagalog")

    # Two people with her: a daughter and a travel companion with a need.
    page.click("#add-person")
    page.fill("#f-p1-name", "Mira Haddad")
    page.select_option("#f-p1-relation", "child")
    page.fill("#f-p1-born", "2017-03-04")
    page.select_option("#f-p1-nationality", "PH")
    page.click("#add-person")
    page.fill("#f-p2-name", "Huda Saleh")
    page.select_option("#f-p2-relation", "companion")
    page.check("#p2-need-medical")

    # A trip to Amman, its end typed before its start: refused in Arabic, nothing saved.
    page.click("#add-trip")
    page.select_option("#f-t3-country", "JO")
    page.select_option("#f-t3-area", "JO11")
    page.fill("#f-t3-start", "2027-03-20")
    page.fill("#f-t3-end", "2027-03-10")
    page.check("#c-consent_assistance")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "app-register-household-ar")
    page.locator("main form button[type=submit]").click()
    wait_until(page, "(document.querySelector('main .msg.bad') || {}).textContent")
    refused = page.locator("main .msg.bad").inner_text()
    assert arabic("The end of a trip cannot be before its start.") in refused
    assert f"{arabic('Trip')} 1" in refused
    assert server_query("SELECT id FROM nationals_registration WHERE given_names = ?", ("Noor",)) == []

    # Corrected, it is saved once, with the household and the trip.
    page.fill("#f-t3-end", "2027-03-25")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("main button.safe")
    rows = server_query(
        "SELECT id, languages FROM nationals_registration WHERE given_names = ? AND family_name = ?",
        ("Noor", "Haddad"),
    )
    assert len(rows) == 1 and _json(rows[0][1]) == ["ar", "fil"]
    registration_id = rows[0][0]
    members = server_query(
        "SELECT name, relation, special_needs FROM nationals_householdmember WHERE registration_id = ? ORDER BY id",
        (registration_id,),
    )
    assert [(m[0], m[1]) for m in members] == [("Mira Haddad", "child"), ("Huda Saleh", "companion")]
    assert _json(members[1][2]) == ["medical"]
    trips = server_query(
        'SELECT start, "end" FROM nationals_trip WHERE registration_id = ?', (registration_id,)
    )
    assert [(str(start), str(end)) for start, end in trips] == [("2027-03-20", "2027-03-25")]
    return registration_id


def _visible_text(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('main, #queue, #net')].filter((e) => !e.hidden).map((e) => e.innerText).join('\\n')"
    )


def test_a_migrant_says_she_is_safe_unasked_and_reads_her_data_in_arabic(browser, server, mailbox, page_as):
    context = browser.new_context(viewport={"width": 390, "height": 820}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15000)
    registration_id = _sign_in_and_register(page, server, mailbox)

    # No check-in is open for her: "I am safe" is her own news.
    page.reload()
    page.wait_for_selector("main button.safe")
    assert page.locator("main .ask").count() == 0
    page.click("main button.safe")
    thanks = arabic("Thank you. Your embassy now knows that you are safe.")
    wait_until(page, "document.getElementById('message').textContent.length > 0")
    assert page.locator("#message").inner_text().strip() == thanks
    shoot(page, "app-safe-unasked-ar")
    text = _visible_text(page)
    assert text.count(thanks) == 1
    assert arabic("Thank you. Your answer was sent.") not in text
    assert not LATIN_WORD.search(page.locator("main").inner_text().replace("Noor", ""))
    assert "[object" not in page.content()
    assert page.locator("#queue").is_hidden()  # no "not accepted" banner
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert server_query(
        "SELECT status, via FROM nationals_statusreport WHERE registration_id = ?", (registration_id,)
    ) == [("safe", "app")]

    # Other screens carry no leftover banner, and coming home shows no stale confirmation.
    page.click("nav.tabs a[href='#/advice']")
    wait_until(page, "location.hash === '#/advice'")
    assert page.locator("#queue").is_hidden()
    page.click("nav.tabs a[href='#/']")
    page.wait_for_selector("main button.safe")
    assert thanks not in _visible_text(page)

    # "I need help" unasked: recorded, and the help form opens with one confirmation.
    page.click("main button.help")
    wait_until(page, "location.hash === '#/help'")
    page.wait_for_selector("#f-category")
    help_text = arabic("Your embassy now knows that you need help. Tell them what happened.")
    assert _visible_text(page).count(help_text) == 1
    assert server_query(
        "SELECT status FROM nationals_statusreport WHERE registration_id = ? ORDER BY at, id",
        (registration_id,),
    ) == [("safe",), ("need_help",)]

    # "My data": readable sections, in Arabic.
    page.click("nav.tabs a[href='#/me']")
    page.wait_for_selector("main section.held")
    keys = page.eval_on_selector_all("main section.held", "els => els.map((e) => e.dataset.section)")
    assert keys[:6] == ["identity", "contact", "address", "household", "trips", "consents"]
    titles = page.eval_on_selector_all("main section.held h2", "els => els.map((e) => e.textContent)")
    assert titles[0] == arabic("Identity") and arabic("Consent") in titles
    main = page.locator("main").inner_text()
    assert "[object" not in main and "HTMLElement" not in main
    assert "Noor" in main and "Irbid" in main and arabic("Needs help") in main
    assert "resident_worker" not in main and "assistance" not in main
    # The people with her and the trip, in Arabic.
    household = page.locator("main section.held[data-section=household]").inner_text()
    assert "Mira Haddad" in household and "Huda Saleh" in household
    assert arabic("Travel companion") in household and arabic("Child") in household
    assert "companion" not in household and "medical" not in household
    trips = page.locator("main section.held[data-section=trips]").inner_text()
    assert arabic("Trip to %(country)s").split("%")[0].strip() in trips
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "app-my-data-ar")

    # Her post sees what she said.
    staff = page_as("consul")
    staff.goto(f"{server}/nationals/{registration_id}/")
    latest = staff.locator(".latest-status").inner_text()
    assert "Needs help" in latest and "without being asked" in latest

    # Offline, "I am safe" waits on the phone and is sent once the connection returns.
    page.click("nav.tabs a[href='#/']")
    page.wait_for_selector("main button.safe")
    context.set_offline(True)
    page.click("main button.safe")
    page.wait_for_selector("#queue:not([hidden])")
    assert page.evaluate("window.lifelineQueue.size()") == 1
    context.set_offline(False)
    page.evaluate("window.lifelineQueue.flush()")
    wait_until(page, "window.lifelineQueue.size() === 0")
    # An answer queued for a check-in that has closed meanwhile is kept as her own status.
    page.evaluate(
        """() => { localStorage.setItem('lifeline.queue', JSON.stringify([{id: 'late', kind: 'checkin',
                   path: '/checkins', form: false, at: new Date().toISOString(),
                   body: {answer: 'safe', request: 999999, idempotency_key: crypto.randomUUID()}}])); }"""
    )
    page.evaluate("window.lifelineQueue.flush()")
    wait_until(page, "window.lifelineQueue.size() === 0")
    assert page.locator("#queue").is_hidden()
    assert server_query(
        "SELECT status FROM nationals_statusreport WHERE registration_id = ? ORDER BY at, id",
        (registration_id,),
    ) == [("safe",), ("need_help",), ("safe",), ("safe",)]
    context.close()
