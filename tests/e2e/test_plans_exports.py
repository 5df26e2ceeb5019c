"""An assessment's documents on a phone: a coordinator opens the Amman flood plan's latest assessment,
downloads its DOCX and PDF (the same files in Arabic read right to left), and the files hold what
the page shows: read back by python-docx and pypdf."""

import io

import docx
import pytest
from axe_playwright_python.sync_playwright import Axe
from docx.oxml.ns import qn
from pypdf import PdfReader

from tests.e2e.conftest import server_query
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TITLE = "Does our contingency plan account for migrants?"
TITLE_AR = "هل تأخذ خطة الطوارئ لدينا المهاجرين في الحسبان؟"
FOLLOW_UP = "Invite the Filipino and Egyptian workers' associations to the spring review."


def _download(page, label):
    with page.expect_download() as waiting:
        page.click(f"main .actions a:has-text('{label}')")
    download = waiting.value
    assert download.failure() is None
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def _latest_assessment(page, server):
    page.goto(server + "/plans/register/")
    page.click("main a:has-text('Amman flash-flood contingency plan')")
    page.wait_for_load_state()
    # The demo's assessment that holds the follow-up actions (other journeys may have started newer
    # ones of the same plan by the time this one runs).
    ((assessment,),) = server_query(
        "SELECT r.assessment_id FROM plans_actionitem a JOIN plans_answerrecord r ON r.id = a.source_id"
        " WHERE a.text = ?",
        (FOLLOW_UP,),
    )
    page.click(f"main li a[href='/plans/assessments/{assessment}/']")
    page.wait_for_load_state()


def test_a_coordinator_downloads_the_assessment_as_docx_and_pdf_on_a_phone(page_as, server):
    page = page_as("coordinator", viewport=PHONE)
    _latest_assessment(page, server)
    overall = page.locator("#overall").inner_text().strip()
    assert overall.endswith("%")
    assert not serious(Axe().run(page))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    name, data = _download(page, "Export DOCX")
    assert name.startswith("assessment-") and name.endswith(".docx")
    out = docx.Document(io.BytesIO(data))
    assert out.paragraphs[0].text == TITLE
    cells = [cell.text for table in out.tables for row in table.rows for cell in row.cells]
    assert overall in cells and "Amman flash-flood contingency plan" in cells
    assert FOLLOW_UP in cells and any(cell.startswith("Officer") for cell in cells)  # its owner
    assert out.core_properties.category == "Checklist assessment"

    name, data = _download(page, "Export PDF")
    assert name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert TITLE in text and FOLLOW_UP in text and f"Overall score {overall}" in text


def test_the_documents_read_right_to_left_in_arabic(page_as, server):
    page = page_as("coordinator", viewport=PHONE, language="ar")
    page.goto(server + "/plans/")
    page.select_option("#lang-select", "ar")
    page.click("form.langpick button")
    page.wait_for_load_state()
    _latest_assessment(page, server)
    assert page.locator("html").get_attribute("dir") == "rtl"

    _name, data = _download(page, "DOCX")
    out = docx.Document(io.BytesIO(data))
    assert out.paragraphs[0].text == TITLE_AR
    assert out.paragraphs[0]._p.pPr.find(qn("w:bidi")) is not None
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in out.tables)

    _name, data = _download(page, "PDF")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert TITLE_AR in text
