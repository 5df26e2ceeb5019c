"""The consul watches the check-in board on a phone, in French: each person's message (a failed one
marked, the person unreachable), language by name and household; the board refreshes itself with
the consul's filter; a case is opened from a person; everyone at an assembly point is messaged."""

import re

import pytest

from tests.e2e.conftest import server_query, shoot, wait_until

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# What an English screen would say: none of it may show on the French one.
ENGLISH = [
    "Failed on every channel",
    "Unreachable",
    "No answer",
    "Check-in message",
    "Open a case",
    "Person's page",
    "No household registered",
    "Message everyone",
    "Before you send",
    "recipients",
    "Nobody would receive",
]
CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def in_french(page, server, path):
    page.goto(server + path)
    page.select_option("#lang-select", "fr")
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def no_english(text):
    shown = [words for words in ENGLISH if words in text]
    assert not shown, shown
    assert "[object" not in text


def test_the_consul_watches_the_board_opens_a_case_and_messages_an_assembly_point(page_as, server):
    (campaign,) = server_query("SELECT id FROM crises_checkincampaign ORDER BY id LIMIT 1")[0]
    page = page_as("consul", viewport=PHONE, language="fr")
    in_french(page, server, f"/crises/campaigns/{campaign}/?status=unreachable")
    main = page.locator("main")
    no_english(main.inner_text())
    no_sideways_scroll(page)

    # A message that failed on every channel is marked, and the person is unreachable, not "no answer".
    failed = page.locator("li.board-row[data-delivery='failed']").first
    assert failed.count() == 1
    assert "Échec sur tous les canaux" in failed.inner_text()
    assert failed.locator(".board-status").inner_text() == "Injoignable"
    assert page.locator("li.board-row:not([data-status='unreachable'])").count() == 0
    # Languages by name in French, never a code; the household or its absence is said.
    for name in page.locator(".board-language").all_inner_texts():
        assert not CODE.match(name.strip()), name
    assert page.locator(".board-household").count() == page.locator("li.board-row").count()
    shoot(page, "board-unreachable-fr")

    # The board refreshes itself (when the tab is seen again too), keeping the consul's filter.
    before = page.locator("#board-live").get_attribute("data-refreshed") or ""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    wait_until(
        page, f"(document.getElementById('board-live').getAttribute('data-refreshed') || '') !== '{before}'"
    )
    assert page.locator("li.board-row").count() > 0
    assert page.locator("li.board-row:not([data-status='unreachable'])").count() == 0
    no_english(main.inner_text())

    # Open a case from that person: the form comes filled in with them.
    registration = failed.locator("small").first.inner_text().lstrip("#")
    failed.locator(".board-links a[href*='/cases/new/']").click()
    page.wait_for_load_state()
    assert page.locator("#id_registration").input_value() == registration
    page.fill("#id_summary", "Injoignable pendant les crues : rappeler la famille.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert re.search(r"/cases/\d+/$", page.url), page.locator("main .errors, main .error").all_inner_texts()
    assert server_query(
        "SELECT count(*) FROM cases_case WHERE registration_id = ?", (int(registration),)
    ) == [(1,)]

    # Message everyone at an assembly point: the preview's count is what is sent.
    page.goto(f"{server}/crises/campaigns/{campaign}/")
    page.locator(".board-points a[href$='/message/']").first.click()
    page.wait_for_load_state()
    no_sideways_scroll(page)
    for box in page.locator("main textarea[name^='text_']").all():
        box.fill("Rendez-vous au point de rassemblement avant 18 h. Gardez vos papiers sur vous.")
    page.click("main button[value=preview]")
    page.wait_for_load_state()
    text = main.inner_text()
    no_english(text)
    total = int(re.search(r"\d+", page.locator("#preview-total").inner_text()).group())
    assert total > 0
    for name in page.locator("#preview-languages td:first-child").all_inner_texts():
        assert not CODE.match(name.strip()), name
    shoot(page, "point-message-preview-fr")
    point = int(re.search(r"/points/(\d+)/message/", page.url).group(1))
    page.click("main button[value=send]")
    page.wait_for_load_state()
    assert server_query(
        "SELECT count(*) FROM messaging_delivery d JOIN messaging_send s ON s.id = d.send_id WHERE s.source = ?",
        (f"assembly_point:{point}",),
    ) == [(total,)]
    no_english(page.locator("main").inner_text())
