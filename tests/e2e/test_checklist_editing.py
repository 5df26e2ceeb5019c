"""Checklists edited by an administrator, and the evacuation's children's checklist on the engine, on a phone.

An administrator working in Spanish makes a new version of the shipped "Evacuating migrant children"
checklist, adds a question in Spanish and publishes it; a consular officer answers a child's
evacuation checklist, whose answers are the engine's."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import server_query, shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
QUESTION = "¿Se entregó al niño una tarjeta con el teléfono de la embajada?"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_administrator_adds_a_question_in_spanish_and_publishes(page_as, server):
    page = page_as("admin", viewport=PHONE, language="es")
    page.goto(server + "/plans/")
    page.select_option("#lang-select", "es")
    page.click("form.langpick button")
    page.wait_for_load_state()
    page.click("main a:has-text('Evacuación de niñas y niños migrantes')")
    page.wait_for_load_state()
    page.click("main button:has-text('Crear una nueva versión')")
    page.wait_for_load_state()
    assert "/plans/versions/" in page.url
    main = page.locator("main")
    assert "Está escribiendo en" in main.inner_text()
    assert not serious(Axe().run(page))
    no_sideways_scroll(page)
    # The last section ("Después de la evacuación"): add a question there.
    page.locator("main a:has-text('Añadir una pregunta')").last.click()
    page.wait_for_load_state()
    assert page.locator("main form").get_attribute("lang") == "es"
    page.fill("#id_text", QUESTION)
    page.fill("#id_guidance", "Una tarjeta en su idioma, con el número de guardia.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "?lang=es" in page.url and QUESTION in main.inner_text()
    no_sideways_scroll(page)
    shoot(page, "checklist-editor-phone")
    page.fill("#note", "Tarjeta de contacto")
    page.click("main button:has-text('Publicar la versión 2')")
    page.wait_for_load_state()
    assert "?version=2" in page.url
    assert "La versión 2 está publicada." in page.locator("body").inner_text()
    assert QUESTION in main.inner_text()
    rows = server_query(
        "SELECT v.number, v.state, v.note FROM plans_templateversion v JOIN plans_checklisttemplate t "
        "ON t.id = v.template_id WHERE t.key = 'evacuating-migrant-children' ORDER BY v.number"
    )
    assert rows == [(1, "published", "First version"), (2, "published", "Tarjeta de contacto")]
    # Children already on the evacuation keep the version their checklist was made with.
    kept = server_query(
        "SELECT COUNT(*) FROM plans_assessment a JOIN plans_templateversion v ON v.id = a.version_id "
        "WHERE a.subject = 'evacuation.child' AND v.number = 1"
    )
    assert kept[0][0] > 0


def test_an_officer_answers_a_childs_evacuation_checklist_through_the_engine(page_as, server):
    page = page_as("consul", viewport=PHONE)
    page.goto(server + "/evacuation/")
    page.locator("main a[href^='/evacuation/crises/']").first.click()
    page.wait_for_load_state()
    page.locator("main a[href$='/children/']").first.click()
    page.wait_for_load_state()
    assert "Children on the evacuation" in page.locator("h1").inner_text()
    no_sideways_scroll(page)
    # A child whose checklist is not complete yet.
    page.locator("main table tbody tr:not(:has(.tag.good)) a[href^='/evacuation/children/']").first.click()
    page.wait_for_load_state()
    checklist = int(page.url.rstrip("/").rsplit("/", 1)[1])
    done = page.locator("main dl dd").nth(4).inner_text()
    unanswered = "main div.evac-item:not(#item-best_interests):has(input[type=radio][value='']:checked)"
    key = page.locator(unanswered).first.get_attribute("id").removeprefix("item-")
    item = page.locator(f"#item-{key}")
    item.locator("input[type=radio][value=yes]").check()
    item.locator("input[name=note]").fill("Aunt in Manila called, consent recorded")
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#item-{key}")
    item = page.locator(f"#item-{key}")
    assert item.locator("input[type=radio][value=yes]").is_checked()
    assert "by consul" in item.inner_text()
    now = page.locator("main dl dd").nth(4).inner_text()
    assert int(now.split()[0]) == int(done.split()[0]) + 1
    # Not applicable counts as done (a child travelling with a parent).
    item = page.locator("#item-best_interests")
    item.locator("input[type=radio][value=na]").check()
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert not serious(Axe().run(page))
    no_sideways_scroll(page)
    shoot(page, "child-checklist-phone")
    rows = server_query(
        "SELECT i.key, r.answer FROM plans_answerrecord r JOIN plans_item i ON i.id = r.item_id "
        "JOIN evacuation_childchecklist c ON c.assessment_id = r.assessment_id "
        "WHERE c.id = ? AND i.key IN (?, 'best_interests') ORDER BY i.key",
        (checklist, key),
    )
    assert dict(rows) == {"best_interests": "na", key: "yes"} | (
        {} if key != "best_interests" else {key: "na"}
    )
    notes = server_query(
        "SELECT r.private_note FROM plans_answerrecord r JOIN plans_item i ON i.id = r.item_id "
        "JOIN evacuation_childchecklist c ON c.assessment_id = r.assessment_id WHERE c.id = ? AND i.key = ?",
        (checklist, key),
    )
    assert "Manila" not in notes[0][0]  # people's data: stored encrypted
