"""Checklists on a phone: a planner assesses the Amman flood plan against "Does our contingency plan
account for migrants?", one section per screen, and sees the section scores and the progress since
the assessment before; the same checklist reads right to left in Arabic."""

import pytest

from tests.e2e.conftest import server_query, shoot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_planner_answers_the_checklist_on_a_phone_and_sees_the_section_scores(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    page.goto(server + "/")
    assert page.locator("#main-menu a[href='/plans/']").count() == 1
    page.goto(server + "/plans/register/")
    page.click("main a:has-text('Amman flash-flood contingency plan')")
    page.click("main a:has-text('Assess this plan')")
    # The plan and its organisation are chosen already.
    assert page.locator("#id_plan option:checked").inner_text() == "Amman flash-flood contingency plan"
    assert "Amman branch" in page.locator("#id_organisation option:checked").inner_text()
    # Four checklists are shipped: this plan is assessed against the contingency-plan one.
    page.select_option("#id_version", label="Does our contingency plan account for migrants? (v1)")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/sections/1/")
    # Eight sections, one per screen: "yes" to every question of the first four, "partly" after.
    for number in range(1, 9):
        assert f"Section {number} of 8" in page.locator("main").inner_text()
        no_sideways_scroll(page)
        answer = "yes" if number <= 4 else "partly"
        for radio in page.locator(f"main input[type=radio][value={answer}]").all():
            radio.check()
        if number == 8:
            shoot(page, "plans-section-phone")
            first = page.locator("main fieldset").first
            first.locator("summary").click()
            first.locator("textarea[name^=follow-]").fill(
                "Hold the next flood drill with the workers' associations."
            )
            organisations = first.locator("select[name^=ownerorg-]")
            amman = organisations.locator("option", has_text="Amman branch").first.get_attribute("value")
            organisations.select_option(amman)
            first.locator("input[name^=due-]").fill("2027-03-31")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    assert "/sections/" not in page.url
    scores = page.locator("#section-scores tbody tr")
    assert scores.count() == 8
    assert "100 %" in scores.nth(0).inner_text() and "50 %" in scores.nth(7).inner_text()
    # 11 questions at 1, 8 at ½: 15 of 19.
    assert page.locator("#overall").inner_text().strip() == "79 %"
    progress = page.locator("#progress tbody tr")
    assert progress.count() == 8 and "+" in progress.nth(0).inner_text()
    assert "Hold the next flood drill" in page.locator("main").inner_text()
    no_sideways_scroll(page)
    shoot(page, "plans-scores-phone")
    rows = server_query(
        "SELECT a.answer, COUNT(*) FROM plans_answerrecord a JOIN plans_assessment s ON s.id = a.assessment_id "
        "WHERE s.id = (SELECT MAX(id) FROM plans_assessment) GROUP BY a.answer ORDER BY a.answer"
    )
    assert rows == [("partly", 8), ("yes", 11)]
    page.click("main form[action$='/complete/'] button")
    page.wait_for_load_state()
    assert "Completed" in page.locator("main dl").inner_text()
    assert page.locator("main a:has-text('Answer the questions')").count() == 0


def test_the_checklist_reads_right_to_left_in_arabic(page_as, server):
    page = page_as("officer", viewport=PHONE, language="ar")
    page.goto(server + "/plans/")
    page.select_option("#lang-select", "ar")
    page.click("form.langpick button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.click("main ul a[href^='/plans/checklists/']:has-text('هل تأخذ خطة الطوارئ')")
    page.wait_for_load_state()
    assert "هل تأخذ خطة الطوارئ لدينا المهاجرين في الحسبان؟" in page.locator("h1").inner_text()
    # Written in Arabic: no "in English" mark anywhere.
    assert page.locator("main .tag[title]").count() == 0
    no_sideways_scroll(page)
