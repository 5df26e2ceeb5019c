"""Documents: the one path from a document's content to an editable DOCX and a PDF.

Plans, checklists' assessments, SOPs, consular contingency plans, concept notes and baseline reports
describe their content once, as a ``Document`` (title, language, the organisation whose branding it
carries, a note printed on every page, and blocks: headings, Markdown text, tables, notes), and
export it with ``to_docx`` (python-docx) or ``to_pdf`` (WeasyPrint). Right-to-left languages set
the direction of every paragraph (``w:bidi`` in the DOCX, ``dir="rtl"`` in the PDF) and of every
table (``w:bidiVisual``); a block or a table cell written in another language than the document's
(a text shown in a fallback language) carries its own language and direction.

The organisation's brand (``core.branding``: its own, its nearest branded ancestor's, else the
deployment's) gives the owner's name on every page and the logo: in the DOCX's header, and at the
top of the PDF's first page.

Markdown written by people reads the same in both formats: headings (placed under the heading of
the section they are written in), paragraphs, line breaks as typed, bullet and numbered lists
(nested, each numbered list starting at its own first number), quotes, **bold**, *italic*, `code`,
and links printed with their address (paper has no links).

Builders produce the blocks; this module never reads the database beyond the organisation's brand.
"""

import base64
import io
from dataclasses import dataclass, field
from functools import cached_property

from django.template.loader import render_to_string
from django.utils import timezone, translation
from markdown_it import MarkdownIt
from markdown_it.token import Token

from lifeline.core.languages import direction, is_rtl

# Fonts of the PDF and of the DOCX's complex-script text (Arabic): Debian's fonts-noto-core.
ARABIC_FONT = "Noto Naskh Arabic"


@dataclass
class Heading:
    text: str
    level: int = 1  # 1 to 3
    language: str = ""  # when not the document's (a fallback text)


@dataclass
class Text:
    """Markdown written by people: paragraphs, line breaks, bullet and numbered lists (nested),
    headings, quotes, **bold**, *italic*, links. Raw HTML in it is shown as text, never interpreted."""

    markdown: str
    language: str = ""


@dataclass
class Table:
    """Cells are texts (or numbers, or None); a cell may also be an object with ``text`` and
    ``language`` (``plans.services.Shown``), printed in its own language and direction."""

    columns: list
    rows: list  # lists of cell texts, one per column
    caption: str = ""
    empty: str = ""  # what to print when there are no rows


@dataclass
class Note:
    """A short remark set apart from the text: where data came from, as of when."""

    text: str
    language: str = ""


@dataclass
class Document:
    title: str
    language: str
    organisation: object = None  # its brand (core.branding) heads every page
    subtitle: str = ""
    footer: str = ""  # printed on every page (e.g. "Data refreshed at export on …")
    blocks: list = field(default_factory=list)
    landscape: bool = False  # for wide tables
    kind: str = ""  # the DOCX's category ("Checklist assessment", "Standard operating procedures")

    @property
    def rtl(self):
        return is_rtl(self.language)

    @cached_property
    def brand(self):
        """(owner's name, logo bytes or None) by the branding rule, read once per document."""
        from lifeline.core.branding import brand_of, branded_ancestor, logo_of

        if self.organisation is None:
            return "", None
        branded = branded_ancestor(self.organisation.pk)
        return brand_of(branded).owner_name, _read(logo_of(branded))

    @property
    def owner_name(self):
        return self.brand[0]

    @property
    def logo(self):
        return self.brand[1]


def _read(stored):
    """The bytes of a stored file, or None when there is none or it is gone from storage."""
    if not stored:
        return None
    try:
        with stored.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _image_type(data):
    """The MIME type of a logo by its first bytes (PNG, JPEG, GIF, SVG), or None."""
    if not data:
        return None
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if b"<svg" in data[:1000]:
        return "image/svg+xml"
    return None


_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")


def _address(href):
    return href[len("mailto:") :] if href.startswith("mailto:") else href


def _tokens(text, base=0):
    """People's Markdown as tokens: headings moved under the section's level ``base``, and each
    link followed by its address unless its text is the address already."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(base + int(token.tag[1]), 6)}"
        if token.type == "ordered_list_open" and token.attrGet("start"):
            # WeasyPrint reads no ``start`` attribute: the list's counter says where it starts.
            token.attrSet("style", f"counter-reset: list-item {int(token.attrGet('start')) - 1}")
        if token.type != "inline" or not token.children:
            continue
        children, href, words = [], None, []
        for child in token.children:
            children.append(child)
            if child.type == "link_open":
                href, words = child.attrGet("href") or "", []
            elif child.type == "link_close" and href is not None:
                address = _address(href)
                if address and "".join(words).strip() not in (href, address):
                    children.append(Token("text", "", 0, content=f" ({address})"))
                href = None
            elif href is not None and child.type in ("text", "code_inline"):
                words.append(child.content)
        token.children = children
    return tokens


def markdown_html(text, base=0):
    """The HTML of people's Markdown, with their HTML escaped, images left out, links' addresses
    printed and headings starting below level ``base`` (``h{base+1}`` for ``#``)."""
    return _markdown.renderer.render(_tokens(text, base), _markdown.options, {})


def _cell(value):
    text = getattr(value, "text", value)
    language = getattr(value, "language", "")
    return {"text": "" if text is None else str(text), "language": language}


# ---- PDF ---------------------------------------------------------------------------------------


def to_html(document):
    blocks = []
    level = 1  # the HTML heading level of the section being written (the title is h1)
    for block in document.blocks:
        language = getattr(block, "language", "") or ""
        common = {"language": language, "dir": direction(language) if language else ""}
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3) + 1
            blocks.append({"kind": "heading", "level": level, "text": block.text, **common})
        elif isinstance(block, Text):
            blocks.append({"kind": "html", "html": markdown_html(block.markdown, level), **common})
        elif isinstance(block, Table):
            rows = [[_cell(value) for value in row] for row in block.rows]
            for row in rows:
                for cell in row:
                    cell["dir"] = direction(cell["language"]) if cell["language"] else ""
            blocks.append({"kind": "table", "table": block, "rows": rows})
        elif isinstance(block, Note):
            blocks.append({"kind": "note", "text": block.text, **common})
        else:
            raise TypeError(f"not a document block: {block!r}")
    logo = document.logo
    kind = _image_type(logo)
    context = {
        "document": document,
        "blocks": blocks,
        "logo": f"data:{kind};base64,{base64.b64encode(logo).decode()}" if kind else "",
        "arabic_font": ARABIC_FONT,
    }
    with translation.override(document.language):
        return render_to_string("plans/document_pdf.html", context)


def to_pdf(document):
    """The PDF bytes of a document."""
    from weasyprint import HTML  # imported here: it loads Pango, which other pages do not need

    return HTML(string=to_html(document), url_fetcher=_fetcher()).write_pdf()


def _fetcher():
    """The PDF fetches nothing from outside: the logo is inlined (``data:``), links are only printed."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 66 and later
    except ImportError:
        from weasyprint.urls import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError("documents fetch nothing from outside")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})


# ---- DOCX --------------------------------------------------------------------------------------


def _bidi(paragraph):
    """Mark a paragraph right to left (``w:bidi``), as Word does for Arabic."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    if properties.find(qn("w:bidi")) is None:
        # After the style, numbering and spacing elements that come before it in the schema.
        earlier = [qn(f"w:{n}") for n in ("pStyle", "keepNext", "keepLines", "pageBreakBefore")]
        earlier += [qn(f"w:{n}") for n in ("framePr", "widowControl", "numPr", "suppressLineNumbers")]
        earlier += [qn(f"w:{n}") for n in ("pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku")]
        earlier += [qn(f"w:{n}") for n in ("wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE")]
        earlier += [qn("w:autoSpaceDN")]
        position = sum(1 for child in properties if child.tag in earlier)
        properties.insert(position, OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run_properties = run._r.get_or_add_rPr()
        if run_properties.find(qn("w:rtl")) is None:
            run_properties.append(OxmlElement("w:rtl"))


def _direct(paragraph, rtl):
    if rtl:
        _bidi(paragraph)
    return paragraph


def _inline(paragraph, token):
    """Runs for one inline Markdown token (bold, italic, code; links as their text and address)."""
    bold = italic = False
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
        elif kind in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
            if kind == "code_inline":
                run.font.name = "Courier New"


class _Numbering:
    """Each numbered list of the DOCX starts at its own first number (python-docx's "List Number"
    styles would otherwise go on counting across the whole document)."""

    def __init__(self, docx):
        self.docx = docx
        self.numbering = docx.part.numbering_part.numbering_definitions._numbering

    def start(self, style, first):
        num_pr = self.docx.styles[style].element.pPr.numPr
        abstract = self.numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        num = self.numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(first)
        return num.numId

    @staticmethod
    def apply(paragraph, num_id):
        properties = paragraph._p.get_or_add_pPr()
        properties.get_or_add_numPr().get_or_add_numId().val = num_id
        properties.numPr.get_or_add_ilvl().val = 0


def _markdown_docx(docx, numbering, text, rtl, base):
    lists = []  # the open lists: [kind, style, numbering id, items started]
    item_paragraphs = []  # per open list item: paragraphs written in it so far
    quote = 0
    heading = None  # a Markdown heading waiting for its text
    for token in _tokens(text, base):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth = min(len(lists) + 1, 3)
            suffix = "" if depth == 1 else f" {depth}"
            if kind == "bullet_list_open":
                lists.append(["List Bullet" + suffix, None])
            else:
                style = "List Number" + suffix
                first = int(token.attrGet("start") or 1)
                lists.append([style, numbering.start(style, first)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_paragraphs.append(0)
        elif kind == "list_item_close":
            item_paragraphs.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            heading = docx.add_heading(level=min(int(token.tag[1]), 5))  # Heading n is h(n+1) in the PDF
        elif kind == "inline":
            if heading is not None:
                paragraph, heading = heading, None
            elif lists and item_paragraphs and item_paragraphs[-1] == 0:
                style, num_id = lists[-1]
                paragraph = docx.add_paragraph(style=style)
                if num_id is not None:
                    _Numbering.apply(paragraph, num_id)
            elif lists:
                # A second paragraph of the same item: indented with it, without a new number.
                depth = min(len(lists), 3)
                paragraph = docx.add_paragraph(style="List Continue" + ("" if depth == 1 else f" {depth}"))
            else:
                paragraph = docx.add_paragraph(style="Quote" if quote else None)
            if item_paragraphs:
                item_paragraphs[-1] += 1
            _inline(paragraph, token)
            _direct(paragraph, rtl)
        elif kind in ("code_block", "fence"):
            paragraph = docx.add_paragraph()
            for number, line in enumerate(token.content.rstrip("\n").split("\n")):
                if number:
                    paragraph.add_run().add_break()
                paragraph.add_run(line).font.name = "Courier New"
        elif kind == "hr":
            docx.add_paragraph("* * *")


def _fonts(out, language):
    """Complex-script text (Arabic) in the Noto font the PDF uses; the document's language set."""
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5"):
        properties = out.styles[name].element.get_or_add_rPr()
        fonts = properties.get_or_add_rFonts()
        fonts.set(qn("w:cs"), ARABIC_FONT)
        fonts.attrib.pop(qn("w:cstheme"), None)
    properties = out.styles["Normal"].element.get_or_add_rPr()
    lang = properties.find(qn("w:lang"))
    if lang is None:
        from docx.oxml import OxmlElement

        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)
    if is_rtl(language):
        lang.set(qn("w:bidi"), language)
        # Letters spaced apart cannot join: the title's letter spacing would break Arabic words.
        title = out.styles["Title"].element.get_or_add_rPr()
        for spacing in title.findall(qn("w:spacing")):
            title.remove(spacing)


def _bidi_table(table):
    """A right-to-left table: first column on the right (``w:bidiVisual``, at its place in tblPr)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    position = sum(
        1 for child in properties if child.tag in (qn("w:tblStyle"), qn("w:tblpPr"), qn("w:tblOverlap"))
    )
    properties.insert(position, OxmlElement("w:bidiVisual"))


def _header(section, document):
    from docx.image.exceptions import UnrecognizedImageError
    from docx.shared import Cm

    header = section.header.paragraphs[0]
    logo = document.logo
    if logo and _image_type(logo) in ("image/png", "image/jpeg", "image/gif"):
        try:
            header.add_run().add_picture(io.BytesIO(logo), height=Cm(1.2))
            header.add_run("  ")
        except (UnrecognizedImageError, ValueError, KeyError, OSError):
            header.clear()  # an image python-docx cannot read: the name alone heads the pages
    header.add_run(document.owner_name)
    _direct(header, document.rtl)


def to_docx(document):
    """The bytes of an editable DOCX of a document."""
    import docx
    from docx.enum.section import WD_ORIENT

    out = docx.Document()
    numbering = _Numbering(out)
    rtl = document.rtl
    _fonts(out, document.language)
    section = out.sections[0]
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if document.owner_name:
        _header(section, document)
    if document.footer:
        footer = section.footer.paragraphs[0]
        footer.text = document.footer
        _direct(footer, rtl)
    _direct(out.add_heading(document.title, level=0), rtl)
    if document.subtitle:
        _direct(out.add_paragraph(document.subtitle), rtl)
    base = 0  # the heading level of the section being written (the title is 0)
    for block in document.blocks:
        block_rtl = is_rtl(block.language) if getattr(block, "language", "") else rtl
        if isinstance(block, Heading):
            base = min(max(block.level, 1), 3)
            _direct(out.add_heading(block.text, level=base), block_rtl)
        elif isinstance(block, Text):
            _markdown_docx(out, numbering, block.markdown, block_rtl, base)
        elif isinstance(block, Note):
            paragraph = out.add_paragraph()
            paragraph.add_run(block.text).italic = True
            _direct(paragraph, block_rtl)
        elif isinstance(block, Table):
            _table_docx(out, block, rtl)
        else:
            raise TypeError(f"not a document block: {block!r}")
    properties = out.core_properties
    properties.title = document.title[:255]
    properties.subject = document.subtitle[:255]
    properties.author = properties.last_modified_by = document.owner_name[:255]
    properties.category = document.kind[:255]
    properties.comments = document.footer[:255]
    properties.language = document.language
    properties.created = properties.modified = timezone.now()
    properties.revision = 1
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _table_docx(out, block, rtl):
    if block.caption:
        paragraph = out.add_paragraph()
        paragraph.add_run(block.caption).bold = True
        _direct(paragraph, rtl)
    if not block.rows:
        _direct(out.add_paragraph(block.empty), rtl)
        return
    table = out.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.autofit = True
    if rtl:
        _bidi_table(table)
    header = table.rows[0]
    for cell, text in zip(header.cells, block.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
        _direct(cell.paragraphs[0], rtl)
    _repeat_header(header)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            value = _cell(value)
            cell.text = value["text"]
            cell_rtl = is_rtl(value["language"]) if value["language"] else rtl
            for paragraph in cell.paragraphs:
                _direct(paragraph, cell_rtl)


def _repeat_header(row):
    """The header row repeats at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
