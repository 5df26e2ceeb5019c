"""The ministry and a Filipino worker, each on a phone. The worker registers in the app in Filipino
(the language picked by its name); the ministry's crisis cell declares a storm over Irbid, led by the
embassy in Amman, and asks everyone inside in Filipino whether they are safe; the worker reads the
question in Filipino and answers in one tap; the ministry's board shows her safe, through the app."""

import re

import pytest
from django.utils import translation

from .conftest import server_query, shoot, wait_until

pytestmark = pytest.mark.e2e

ADDRESS = "maricel.santos.e2e@example.org"
PHONE = {"width": 390, "height": 844}
QUESTION = "Bagyo sa Irbid: ligtas ka ba? Sumagot sa app o mag-reply ng SAFE o HELP."


def filipino(message):
    with translation.override("fil"):
        return str(translation.gettext(message))


def english_left(text, *messages):
    """Interface sentences of the app still in English on a Filipino screen."""
    return [m for m in messages if m in text and filipino(m) != m]


def _register_in_filipino(browser, server, mailbox):
    context = browser.new_context(
        viewport={"width": 390, "height": 820},
        locale="fil",
        extra_http_headers={"X-Forwarded-For": "198.51.100.41"},  # its own sign-in code limit
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    box, _port = mailbox
    page.goto(f"{server}/app/")
    assert page.locator("html").get_attribute("lang") == "fil"
    assert page.locator("html").get_attribute("dir") != "rtl"
    assert filipino("Sign in") in page.locator("main").inner_text()
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
    page.fill("#f-given_names", "Maricel")
    page.fill("#f-family_name", "Santos")
    page.select_option("#f-nationality", "PH")
    page.select_option("#f-country", "JO")
    page.select_option("#f-area", "JO21")
    page.fill("#f-city", "Irbid")
    # The screen's language is offered first, by its own name.
    assert page.input_value("#f-languages").startswith("Filipino")
    page.check("#c-consent_assistance")
    page.check("#c-consent_crisis_messages")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("main button.safe")
    rows = server_query(
        "SELECT id FROM nationals_registration WHERE given_names = ? AND family_name = ?",
        ("Maricel", "Santos"),
    )
    assert len(rows) == 1
    return context, page, rows[0][0]


def test_the_ministry_asks_in_filipino_and_a_worker_answers_in_the_app(browser, server, mailbox, page_as):
    context, worker, registration_id = _register_in_filipino(browser, server, mailbox)

    # The ministry's crisis cell, on a phone, declares a storm over Irbid led by the embassy in Amman.
    ministry = page_as("ministry", viewport=PHONE)
    ministry.goto(f"{server}/crises/new/")
    ministry.fill("#id_name", "Storm over Irbid")
    ministry.select_option("#id_type", "natural_hazard")
    ministry.select_option("#id_phase", "precautionary")
    ministry.select_option("#id_organisation", label="Philippine Embassy in Amman")
    ministry.select_option("#id_country", label="Jordan")
    [(irbid,)] = server_query("SELECT id FROM geo_adminarea WHERE pcode = 'JO21'")
    ministry.check(f"input[name='areas'][value='{irbid}']")
    ministry.locator("main form button[type=submit]").last.click()
    ministry.wait_for_url(re.compile(r"/crises/\d+/$"))
    crisis_id = int(re.search(r"/crises/(\d+)/$", ministry.url).group(1))
    assert server_query(
        "SELECT COUNT(*) FROM crises_crisismember WHERE crisis_id = ? AND registration_id = ?",
        (crisis_id, registration_id),
    ) == [(1,)]

    # The composer starts from the languages of the people inside: Filipino is among them, by name.
    filipino_row = ministry.locator("table.composer-languages tbody tr[data-language='fil']")
    assert "Filipino" in filipino_row.inner_text()
    ministry.fill("textarea[name='text_fil']", QUESTION)
    assert ministry.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(ministry, "ministry-checkin-composer")
    ministry.locator("#composer ~ form button[type=submit]:not([name])").click()
    ministry.wait_for_url(re.compile(r"/crises/campaigns/\d+/"))
    campaign_id = int(re.search(r"/crises/campaigns/(\d+)/", ministry.url).group(1))

    # The worker opens the app again: the question is the ministry's, in Filipino, and one tap answers it.
    worker.goto(f"{server}/app/")
    worker.wait_for_selector("main .ask")
    ask = worker.locator("main .ask")
    assert ask.inner_text().strip() == QUESTION and ask.get_attribute("lang") == "fil"
    worker.click("main button.safe")
    wait_until(worker, "document.getElementById('message').textContent.length > 0")
    assert worker.locator("#message").inner_text().strip() == filipino("Thank you. Your answer was sent.")
    text = worker.locator("main").inner_text()
    assert not english_left(
        text, "I am safe", "I need help", "Travel advice", "Emergency contacts", "My requests"
    )
    assert "[object" not in worker.content()
    assert worker.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(worker, "app-checkin-answered-fil")
    assert server_query(
        "SELECT a.answer, a.via FROM crises_checkinanswer a JOIN crises_checkinrequest r ON r.id = a.request_id"
        " WHERE a.registration_id = ? AND r.campaign_id = ?",
        (registration_id, campaign_id),
    ) == [("safe", "app")]

    # The ministry's board shows her safe, answered in the app.
    ministry.goto(f"{server}/crises/campaigns/{campaign_id}/?status=safe")
    row = ministry.locator("li.board-row", has_text="Maricel Santos")
    assert row.count() == 1
    assert "Safe" in row.locator(".board-status").inner_text()
    assert "Filipino" in row.inner_text()
    context.close()
