"""Documents: the one path from a document's content to an editable DOCX and a PDF.

Plans, checklists' assessments, SOPs, consular contingency plans, concept notes and baseline reports
describe their content once, as a ``Document`` (title, language, the organisation whose branding it
carries, a note printed on every page, and blocks: headings, Markdown text, tables, notes), and
export it with ``to_docx`` (python-docx) or ``to_pdf`` (WeasyPrint). Right-to-left languages set
the direction of every paragraph (``w:bidi`` in the DOCX, ``dir="rtl"`` in the PDF).

Builders produce the blocks; this module never reads the database beyond the organisation's brand.
"""

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from markdown_it import MarkdownIt

from lifeline.core.languages import is_rtl


@dataclass
class Heading:
    text: str
    level: int = 1  # 1 to 3


@dataclass
class Text:
    """Markdown written by people: paragraphs, bullet and numbered lists, **bold**, *italic*, links.
    Raw HTML in it is shown as text, never interpreted."""

    markdown: str


@dataclass
class Table:
    columns: list
    rows: list  # lists of cell texts, one per column
    caption: str = ""
    empty: str = ""  # what to print when there are no rows


@dataclass
class Note:
    """A short remark set apart from the text: where data came from, as of when."""

    text: str


@dataclass
class Document:
    title: str
    language: str
    organisation: object = None  # its brand (core.branding) heads every page
    subtitle: str = ""
    footer: str = ""  # printed on every page (e.g. "Data refreshed at export on …")
    blocks: list = field(default_factory=list)

    @property
    def rtl(self):
        return is_rtl(self.language)

    @property
    def owner_name(self):
        if self.organisation is None:
            return ""
        from lifeline.core.branding import brand_of

        return brand_of(self.organisation).owner_name


_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")


def markdown_html(text):
    """The HTML of people's Markdown, with their HTML escaped and images left out."""
    return _markdown.render(text or "")


# ---- PDF ---------------------------------------------------------------------------------------


def to_html(document):
    blocks = []
    for block in document.blocks:
        if isinstance(block, Heading):
            blocks.append({"kind": "heading", "level": min(max(block.level, 1), 3) + 1, "text": block.text})
        elif isinstance(block, Text):
            blocks.append({"kind": "html", "html": markdown_html(block.markdown)})
        elif isinstance(block, Table):
            blocks.append({"kind": "table", "table": block})
        elif isinstance(block, Note):
            blocks.append({"kind": "note", "text": block.text})
        else:
            raise TypeError(f"not a document block: {block!r}")
    with translation.override(document.language):
        return render_to_string("plans/document_pdf.html", {"document": document, "blocks": blocks})


def to_pdf(document):
    """The PDF bytes of a document."""
    from weasyprint import HTML  # imported here: it loads Pango, which other pages do not need

    return HTML(string=to_html(document)).write_pdf()


# ---- DOCX --------------------------------------------------------------------------------------


def _bidi(paragraph):
    """Mark a paragraph right to left (``w:bidi``), as Word does for Arabic."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    if properties.find(qn("w:bidi")) is None:
        properties.insert(0, OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run_properties = run._r.get_or_add_rPr()
        if run_properties.find(qn("w:rtl")) is None:
            run_properties.append(OxmlElement("w:rtl"))


def _inline(paragraph, token):
    """Runs for one inline Markdown token (bold, italic, code and links as their text)."""
    bold = italic = False
    link = None
    for child in token.children or ():
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            link = child.attrGet("href")
        elif kind == "link_close":
            if link:
                paragraph.add_run(f" ({link})")
            link = None
        elif kind in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None


def _markdown_docx(docx, text, rtl):
    lists = []  # the open lists' styles
    heading = None  # a Markdown heading waiting for its text
    for token in _markdown.parse(text or ""):
        if token.type == "bullet_list_open":
            lists.append("List Bullet")
        elif token.type == "ordered_list_open":
            lists.append("List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            level = min(int(token.tag[1]) + 1, 4)
            heading = docx.add_heading(level=level)
        elif token.type == "inline":
            if heading is not None:
                paragraph, heading = heading, None
            else:
                style = lists[-1] if lists else None
                paragraph = docx.add_paragraph(style=style)
            _inline(paragraph, token)
            if rtl:
                _bidi(paragraph)
        elif token.type in ("code_block", "fence"):
            paragraph = docx.add_paragraph(token.content.rstrip("\n"))
            if rtl:
                _bidi(paragraph)


def to_docx(document):
    """The bytes of an editable DOCX of a document."""
    import docx
    from docx.enum.section import WD_ORIENT  # noqa: F401  (kept for builders that set landscape)

    out = docx.Document()
    rtl = document.rtl
    section = out.sections[0]
    if document.owner_name:
        header = section.header.paragraphs[0]
        header.text = document.owner_name
        if rtl:
            _bidi(header)
    if document.footer:
        footer = section.footer.paragraphs[0]
        footer.text = document.footer
        if rtl:
            _bidi(footer)
    title = out.add_heading(document.title, level=0)
    if rtl:
        _bidi(title)
    if document.subtitle:
        paragraph = out.add_paragraph(document.subtitle)
        if rtl:
            _bidi(paragraph)
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = out.add_heading(block.text, level=min(max(block.level, 1), 3))
            if rtl:
                _bidi(paragraph)
        elif isinstance(block, Text):
            _markdown_docx(out, block.markdown, rtl)
        elif isinstance(block, Note):
            paragraph = out.add_paragraph()
            paragraph.add_run(block.text).italic = True
            if rtl:
                _bidi(paragraph)
        elif isinstance(block, Table):
            if block.caption:
                paragraph = out.add_paragraph()
                paragraph.add_run(block.caption).bold = True
                if rtl:
                    _bidi(paragraph)
            if not block.rows:
                paragraph = out.add_paragraph(block.empty)
                if rtl:
                    _bidi(paragraph)
                continue
            table = out.add_table(rows=1, cols=len(block.columns))
            table.style = "Table Grid"
            if rtl:
                from docx.oxml import OxmlElement

                table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
            for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(str(text)).bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = "" if text is None else str(text)
            if rtl:
                for row in table.rows:
                    for cell in row.cells:
                        for paragraph in cell.paragraphs:
                            _bidi(paragraph)
        else:
            raise TypeError(f"not a document block: {block!r}")
    out.core_properties.title = document.title
    out.core_properties.language = document.language
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
