"""Uploaded tables are read within limits: a tiny file cannot make the server fill its memory."""

import io
import tracemalloc
import zipfile

import pytest

from lifeline.core.tabular import TableError, import_table, read_table
from lifeline.directory.tabular import ContactSchema

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>"""
SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"""


SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>"""
SHARED_TYPE = """<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"""


def xlsx(rows, dimension="A1", strings=None):
    """A minimal XLSX written by hand: ``rows`` is the inner XML of <sheetData>, ``strings``
    that of the shared strings table."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        types = (
            CONTENT_TYPES if strings is None else CONTENT_TYPES.replace("</Types>", SHARED_TYPE + "</Types>")
        )
        archive.writestr("[Content_Types].xml", types)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", SHARED.format(strings=strings))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET.format(dimension=dimension, rows=rows))
    return out.getvalue()


def cell(ref, value):
    reference = f' r="{ref}"' if ref else ""
    return f'<c{reference} t="inlineStr"><is><t>{value}</t></is></c>'


def peak_while(function):
    tracemalloc.start()
    try:
        function()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_normal_hand_written_xlsx_is_read():
    data = xlsx(
        f'<row r="1">{cell("A1", "name")}{cell("B1", "kind")}</row>'
        f'<row r="3">{cell("A3", "Red Crescent")}<c r="C3"><v>7</v></c></row>'
    )
    header, hxl, body = read_table(data, "t.xlsx")
    assert header == ["name", "kind"]
    assert hxl is None
    assert body == [(3, ["Red Crescent", None, 7])]


def test_cells_in_the_far_corner_are_refused_in_bounded_memory():
    # Two cells, A1 and XFD1048576 (the last cell a sheet can have): a 1 KB file.
    data = xlsx(
        f'<row r="1">{cell("A1", "name")}</row><row r="1048576">{cell("XFD1048576", "x")}</row>',
        dimension="A1:XFD1048576",
    )
    assert len(data) < 5000
    errors = []

    def read():
        with pytest.raises(TableError) as caught:
            read_table(data, "bomb.xlsx")
        errors.append(str(caught.value))

    assert peak_while(read) < 5 * 1024 * 1024
    assert errors == ["The file has more than 1000 columns."]


def test_too_many_cells_are_refused_whatever_the_dimension_says(settings):
    settings.IMPORT_MAX_CELLS = 1000
    rows = "".join(f'<row r="{n}">' + "<c><v>1</v></c>" * 20 + "</row>" for n in range(1, 101))
    data = xlsx(rows, dimension="A1:B2")
    with pytest.raises(TableError, match="more than 1000 cells"):
        read_table(data, "t.xlsx")


def test_too_many_rows_are_refused_while_streaming(settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = "".join(f'<row r="{n}"><c><v>{n}</v></c></row>' for n in range(1, 1001))
    with pytest.raises(TableError, match="more than 10 rows"):
        read_table(xlsx(rows), "t.xlsx")


def test_a_wide_csv_is_refused():
    with pytest.raises(TableError, match="more than 1000 columns"):
        read_table(b"," * 5000 + b"\n", "wide.csv")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    padding = " " * (4 * 1024 * 1024)  # 4 MB of spaces inside the sheet's XML: a few KB zipped
    data = xlsx(f'<row r="1">{cell("A1", "name")}</row>{padding}')
    assert len(data) < 20_000
    with pytest.raises(TableError) as caught:
        read_table(data, "bomb.xlsx")
    assert str(caught.value) == "The XLSX file unpacks to more than 1 MB."


def test_the_import_reports_the_limit_as_a_translated_error(org_a):
    from django.utils import translation

    data = xlsx(f'<row r="1">{cell("A1", "name")}{cell("XFD1", "x")}</row>')
    with translation.override("fr"):
        report = import_table(ContactSchema(), data, "bomb.xlsx", org_a)
        message = report.errors[0].message
    assert not report.ok
    assert "1000" in message and "colonnes" in message


def test_a_row_of_endless_cells_is_refused_before_it_is_built(settings):
    # 300,000 empty cells in one row, all claiming to be A1: narrow, yet a row too long to hold.
    data = xlsx('<row r="1">' + '<c r="A1"/>' * 300_000 + "</row>")
    assert len(data) < 100_000
    errors = []

    def read():
        with pytest.raises(TableError) as caught:
            read_table(data, "t.xlsx")
        errors.append(str(caught.value))

    assert peak_while(read) < 5 * 1024 * 1024
    assert errors == ["The file has more than 1000 columns."]


def test_rows_and_cells_without_references_are_numbered_in_order():
    data = xlsx(
        f'<row>{cell("", "name")}{cell("", "kind")}</row><row/><row><c><v>5</v></c><c t="b"><v>1</v></c></row>'
    )
    header, _hxl, body = read_table(data, "t.xlsx")
    assert header == ["name", "kind"] and body == [(3, [5, True])]


def test_a_csv_row_of_endless_delimiters_is_refused_before_it_is_split():
    # 2.4 million commas in one logical row, its lines (300,000 each) joined by quoted line breaks.
    data = b"name\n" + b',"a\nb",'.join([b"," * 300_000] * 8) + b"\n"
    errors = []

    def read():
        with pytest.raises(TableError) as caught:
            read_table(data, "t.csv")
        errors.append(str(caught.value))

    assert peak_while(read) < 10 * 1024 * 1024  # the file's text and at most one row's worth of cells
    assert errors == ["A row of the file is longer than 500000 characters."]


def test_shared_strings_are_read_and_counted(settings):
    data = xlsx(
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>',
        strings="<si><t>kind</t></si><si><r><t>na</t></r><r><t>me</t></r></si>",
    )
    assert read_table(data, "t.xlsx")[0] == ["name", "kind"]
    settings.IMPORT_MAX_CELLS = 1000
    data = xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings="<si/>" * 200_000)
    errors = []

    def read():
        with pytest.raises(TableError) as caught:
            read_table(data, "t.xlsx")
        errors.append(str(caught.value))

    assert peak_while(read) < 5 * 1024 * 1024
    assert errors == ["The file has more than 1000 cells."]
