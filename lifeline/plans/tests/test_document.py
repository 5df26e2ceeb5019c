"""The one DOCX/PDF path: what a builder describes is what the files hold, read back by real readers."""

import io

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from lifeline.plans.document import Document, Heading, Note, Table, Text, to_docx, to_html, to_pdf


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


# People's Markdown, right to left, landscape, branding -----------------------------------------

MARKDOWN = """Call the focal point first.
Then the post.

1. Open the shelter
2. Register arrivals
   - adults
   - children
3. Report

Later, once the water is down:

5. Fifth step
6. Sixth step

### Contacts

See [the referral guide](https://example.org/referrals) or <https://example.org/plain>.
"""


def _styles(out):
    return [(p.style.name, p.text) for p in out.paragraphs]


def _num_id(paragraph):
    return paragraph._p.pPr.numPr.numId.val


def test_markdown_lists_headings_links_and_line_breaks_in_the_docx():
    doc = Document(title="Procedure", language="en", blocks=[Heading("Activation", level=2), Text(MARKDOWN)])
    out = docx.Document(io.BytesIO(to_docx(doc)))
    paragraphs = {p.text: p for p in out.paragraphs}
    assert "Call the focal point first.\nThen the post." in paragraphs  # the line break as typed
    assert paragraphs["Open the shelter"].style.name == "List Number"
    assert paragraphs["adults"].style.name == "List Bullet 2"
    # Each numbered list counts from its own first number: the second starts at 5, not at 4.
    first, second = _num_id(paragraphs["Open the shelter"]), _num_id(paragraphs["Fifth step"])
    assert first != second and _num_id(paragraphs["Report"]) == first
    numbering = out.part.numbering_part.element
    start = numbering.xpath(f'//w:num[@w:numId="{second}"]//w:startOverride/@w:val')
    assert start == ["5"]
    # "###" written in a section of level 2 is a heading below it.
    assert paragraphs["Contacts"].style.name == "Heading 5"
    links = next(t for t in paragraphs if t.startswith("See "))
    assert "the referral guide (https://example.org/referrals)" in links
    assert "https://example.org/plain." in links and "plain (https" not in links


def test_markdown_lists_headings_links_and_line_breaks_in_the_pdf():
    doc = Document(title="Procedure", language="en", blocks=[Heading("Activation"), Text(MARKDOWN)])
    text = PdfReader(io.BytesIO(to_pdf(doc))).pages[0].extract_text()
    assert "Call the focal point first.\nThen the post." in text
    # The list markers (pypdf reads them after the text): 1 to 3, then the second list from 5.
    markers = [line.strip() for line in text.splitlines() if line.strip().rstrip(".").isdigit()]
    assert markers == ["1.", "2.", "3.", "5.", "6."]
    assert "the referral guide (https://example.org/referrals)" in text
    assert "Contacts" in text and "children" in text


ARABIC = Document(
    title="خطة الطوارئ القنصلية",
    language="ar",
    subtitle="السفارة في عمّان",
    blocks=[
        Heading("مرحلة الاحتياط"),
        Text("- إبلاغ الرعايا\n- تحديث القوائم\n\n1. الاتصال بالسلطات\n2. تجهيز النقل"),
        Table(["اللغة", "المترجمون"], [["العربية", 3], ["English text", 1]], caption="المترجمون"),
        Note("أعداد فقط."),
    ],
)


def test_arabic_tables_read_right_to_left_in_the_docx():
    out = docx.Document(io.BytesIO(to_docx(ARABIC)))
    table = out.tables[0]
    assert table._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    assert [c.text for c in table.rows[1].cells] == ["العربية", "3"]
    cell = table.rows[1].cells[0].paragraphs[0]
    assert cell._p.pPr.find(qn("w:bidi")) is not None
    item = next(p for p in out.paragraphs if p.text == "إبلاغ الرعايا")
    assert item.style.name == "List Bullet" and item._p.pPr.find(qn("w:bidi")) is not None
    fonts = out.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:cs")) == "Noto Naskh Arabic"
    assert out.core_properties.language == "ar"


def test_arabic_is_shaped_in_the_pdf():
    text = PdfReader(io.BytesIO(to_pdf(ARABIC))).pages[0].extract_text()
    for words in ("خطة الطوارئ القنصلية", "مرحلة الاحتياط", "إبلاغ الرعايا", "المترجمون", "تجهيز النقل"):
        assert words in text, words


def test_a_landscape_document_turns_its_pages():
    doc = _sample(landscape=True)
    section = docx.Document(io.BytesIO(to_docx(doc))).sections[0]
    assert section.page_width > section.page_height
    box = PdfReader(io.BytesIO(to_pdf(doc))).pages[0].mediabox
    assert box.width > box.height
    portrait = PdfReader(io.BytesIO(to_pdf(_sample()))).pages[0].mediabox
    assert portrait.width < portrait.height


def test_a_text_in_another_language_keeps_its_own_direction():
    doc = Document(title="خطة", language="ar", blocks=[Text("Written in English only.", language="en")])
    out = docx.Document(io.BytesIO(to_docx(doc)))
    paragraph = next(p for p in out.paragraphs if p.text == "Written in English only.")
    assert paragraph._p.pPr is None or paragraph._p.pPr.find(qn("w:bidi")) is None
    assert '<div lang="en" dir="ltr">' in to_html(doc)


# LibreOffice opens what python-docx wrote ---------------------------------------------------------


def soffice_pdf(data, folder):
    """The PDF LibreOffice (headless, its own profile so parallel runs do not clash) makes of a
    DOCX; fails the test with LibreOffice's own words when it cannot."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed (Debian: libreoffice-writer-nogui; make system-packages)")
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "document.docx"
    source.write_bytes(data)
    profile = folder / "profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=False,
    )
    converted = folder / "document.pdf"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    return PdfReader(io.BytesIO(converted.read_bytes()))


def test_libreoffice_converts_the_docx_in_english_and_arabic(tmp_path):
    english = Document(
        title="Standard operating procedure",
        language="en",
        footer="Data as of 2026-12-01",
        blocks=[Heading("Activation"), Text(MARKDOWN), *_sample().blocks],
    )
    text = "\n".join(page.extract_text() for page in soffice_pdf(to_docx(english), tmp_path / "en").pages)
    for words in (
        "Standard operating procedure",
        "Open the shelter",
        "children",
        "Tagalog",
        "referral guide",
    ):
        assert words in text, words
    reader = soffice_pdf(to_docx(ARABIC), tmp_path / "ar")
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ("خطة الطوارئ القنصلية", "إبلاغ الرعايا", "المترجمون"):
        assert words in text, words


def test_a_markdown_heading_sits_at_the_same_level_in_both_formats():
    doc = Document(
        title="Plan", language="en", blocks=[Text("# Scope"), Heading("Roles", 2), Text("# Focal points")]
    )
    out = docx.Document(io.BytesIO(to_docx(doc)))
    styles = {p.text: p.style.name for p in out.paragraphs}
    assert (
        styles["Scope"] == "Heading 1"
        and styles["Roles"] == "Heading 2"
        and styles["Focal points"] == "Heading 3"
    )
    html = to_html(doc)  # Heading n of the DOCX is h(n+1) in the PDF (the title is h1)
    assert "<h2>Scope</h2>" in html and "<h3>Roles</h3>" in html and "<h4>Focal points</h4>" in html
