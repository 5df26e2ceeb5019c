"""Plan documents in real Chromium, on a phone: the consul writes a section of the Amman consular
contingency plan, inserts a live block (nationals counted by area), previews it, saves and sends the plan
for approval; the ministry approves it (the consul may not) and exports it as DOCX and PDF, read back."""

import io
import re

import docx
import pypdf
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import server_query, shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TEXT = "A flash flood cuts off the districts where most live-in workers stay."


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_consul_writes_a_section_with_a_live_block_and_the_ministry_approves_and_exports(page_as, server):
    consul = page_as("consul", viewport=PHONE)
    consul.goto(server + "/plans/documents/")
    consul.click("main a:has-text('Philippine Embassy in Amman: consular contingency plan')")
    consul.wait_for_load_state()
    detail = consul.url
    assert re.search(r"/plans/documents/\d+/$", detail), detail
    consul.click("main ol.sections a:has-text('Emergency scenarios')")
    consul.wait_for_load_state()
    assert "Two or three likely emergencies" in consul.locator("#section-guidance").inner_text()
    assert not serious(Axe().run(consul))
    consul.fill("#section-text", TEXT)
    consul.select_option("#section-block", "nationals")
    consul.click("main button[name=insert]")
    consul.wait_for_load_state()
    assert consul.locator("#section-text").input_value().endswith("{{block:nationals}}\n")
    consul.click("main button[name=preview]")
    consul.wait_for_load_state()
    preview = consul.locator("#preview").inner_text()
    assert TEXT in preview and "Nationals by area" in preview and "Amman" in preview
    no_sideways_scroll(consul)
    shoot(consul, "plan-document-section-phone")
    consul.click("main button[name=save]")
    consul.wait_for_load_state()
    assert consul.url == detail
    # The plan awaited approval: the change withdrew it; the consul sends it again.
    assert consul.locator("#document-state").inner_text().startswith("Draft")
    consul.click("main a:has-text('Versions')")
    consul.wait_for_load_state()
    added = consul.locator("#diff .diff-added").all_inner_texts()
    assert any(TEXT in line for line in added) and any("{{block:nationals}}" in line for line in added)
    assert not serious(Axe().run(consul))
    consul.goto(detail + "preview/")
    assert "Nationals by area" in consul.locator("#preview").inner_text()
    assert not serious(Axe().run(consul))
    no_sideways_scroll(consul)
    consul.goto(detail)
    consul.click("main button:has-text('Send for approval')")
    consul.wait_for_load_state()
    assert consul.locator("#document-state").inner_text().startswith("Awaiting approval")
    assert consul.locator("main form[action$='/approve/']").count() == 0  # the author may not approve
    assert consul.locator("#export-form").count() == 0  # officers do not export

    ministry = page_as("ministry", viewport=PHONE)
    ministry.goto(server + "/approvals/")
    ministry.click(f"main a[href='{detail.removeprefix(server)}']")
    ministry.wait_for_load_state()
    ministry.click("main form[action$='/approve/'] button")
    ministry.wait_for_load_state()
    assert ministry.locator("#document-state").inner_text().startswith("Approved")
    assert not serious(Axe().run(ministry))
    shoot(ministry, "plan-document-approved-phone")
    frozen = server_query(
        "SELECT f.key FROM plans_frozenblock f JOIN plans_plandocument d ON d.approved_version_id = f.version_id "
        "WHERE d.title LIKE ? ORDER BY f.key",
        ("Philippine Embassy in Amman%",),  # a parameter: psycopg reads a bare % as a placeholder
    )
    assert ("nationals",) in frozen

    ministry.select_option("#export-lang", "ar")
    with ministry.expect_download() as download:
        ministry.click("#export-form button[type=submit]")
    read = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    texts = [p.text for p in read.paragraphs]
    assert "سيناريوهات الطوارئ" in texts and TEXT in texts  # the heading in Arabic, the text as written
    cells = {c.text for t in read.tables for row in t.rows for c in row.cells}
    assert "المنطقة" in cells  # the frozen table of nationals by area, in Arabic
    assert "النسخة المعتمدة" in read.sections[0].footer.paragraphs[0].text

    ministry.select_option("#export-lang", "en")
    ministry.select_option("#export-format", "pdf")
    ministry.check("#export-form input[value=live]")
    with ministry.expect_download() as download:
        ministry.click("#export-form button[type=submit]")
    pdf = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Emergency scenarios" in text
    assert all("Data refreshed at export" in page.extract_text() for page in pdf.pages)
