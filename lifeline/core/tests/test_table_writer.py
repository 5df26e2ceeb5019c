"""One writer for every CSV and XLSX handed out: BOM, formula-safe cells, one content type and name."""

import csv
import io

import openpyxl
import pytest

from lifeline.core.tabular import CONTENT_TYPES, table_response, write_table, write_workbook

ROWS = [["name", "count"], ["فاطمة الحسن", 3], ['=HYPERLINK("http://evil")', None], ["-12", "+1 cmd"]]


def test_csv_has_a_bom_and_round_trips_arabic_with_formulas_neutralised():
    data = write_table(ROWS, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["name", "count"],
        ["فاطمة الحسن", "3"],
        ['\'=HYPERLINK("http://evil")', ""],
        ["-12", "'+1 cmd"],
    ]


@pytest.mark.django_db
def test_xlsx_cells_are_text_never_formulas():
    data = write_table(ROWS, "xlsx", sheet="people", preamble=[["=title"]], bold_header=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "people" and sheet.freeze_panes == "A3"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values == [
        ["'=title", None],
        ["name", "count"],
        ["فاطمة الحسن", 3],
        ['\'=HYPERLINK("http://evil")', None],
        ["-12", "'+1 cmd"],
    ]
    assert sheet["A2"].font.bold
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_a_workbook_of_several_sheets_is_formula_safe():
    data = write_workbook({"survey": [["type", "label"], ["text", "=1+1"]], "choices": [["name"], ["@x"]]})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["survey", "choices"]
    assert book["survey"]["B2"].value == "'=1+1" and book["choices"]["A2"].value == "'@x"


def test_the_download_has_one_content_type_and_a_safe_dated_name():
    response = table_response(b"x", "csv", 'flood "list"/../x')
    assert response["Content-Type"] == CONTENT_TYPES["csv"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="flood-list-x-') and disposition.endswith('.csv"')
