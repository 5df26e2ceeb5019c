"""The one DOCX/PDF path: what a builder describes is what the files hold, read back by real readers."""

import io

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from lifeline.plans.document import Document, Heading, Note, Table, Text, to_docx, to_pdf


def _sample(language="en", **extra):
    return Document(
        title="Standard operating procedure",
        language=language,
        footer="Data as of 2026-12-01",
        blocks=[
            Heading("Purpose and scope"),
            Text("Assist **every** migrant, *whatever* their status.\n\n- one\n- two\n\n<script>x</script>"),
            Table(["Language", "Interpreters"], [["Tagalog", 3], ["Urdu", None]], caption="Interpreters"),
            Table(["Name"], [], caption="Contacts", empty="None recorded."),
            Note("Counts only."),
        ],
        **extra,
    )


def test_docx_holds_headings_text_lists_and_tables():
    out = docx.Document(io.BytesIO(to_docx(_sample())))
    texts = [p.text for p in out.paragraphs]
    assert "Standard operating procedure" in texts and "Purpose and scope" in texts
    assert any("Assist every migrant" in t for t in texts)
    styles = {p.style.name for p in out.paragraphs if p.text in ("one", "two")}
    assert styles == {"List Bullet"}
    assert "<script>x</script>" in "\n".join(texts)  # shown as text, never markup
    assert [c.text for c in out.tables[0].rows[1].cells] == ["Tagalog", "3"]
    assert [c.text for c in out.tables[0].rows[2].cells] == ["Urdu", ""]
    assert "None recorded." in texts
    assert out.sections[0].footer.paragraphs[0].text == "Data as of 2026-12-01"


def test_arabic_paragraphs_carry_bidi():
    doc = _sample("ar")
    doc.blocks.insert(0, Text("تعليمات الإخلاء"))
    out = docx.Document(io.BytesIO(to_docx(doc)))
    paragraph = next(p for p in out.paragraphs if p.text == "تعليمات الإخلاء")
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    english = docx.Document(io.BytesIO(to_docx(_sample("en"))))
    assert all(p._p.pPr is None or p._p.pPr.find(qn("w:bidi")) is None for p in english.paragraphs)


def test_pdf_holds_the_text_and_the_footer_on_every_page():
    doc = _sample()
    doc.blocks += [Text("Paragraph %d of a long annex." % n) for n in range(120)]
    reader = PdfReader(io.BytesIO(to_pdf(doc)))
    assert len(reader.pages) > 1
    pages = [page.extract_text() for page in reader.pages]
    assert "Purpose and scope" in pages[0] and "Tagalog" in pages[0]
    assert all("Data as of 2026-12-01" in text for text in pages)
