"""Presence tables in: sub-national (CSV, XLSX, HXL) and UN DESA migrant stock, all or nothing."""

import datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lifeline.core.models import AuditEntry
from lifeline.risk.models import PresenceDataset, PresenceFigure
from lifeline.risk.presence import by_origin, import_migrant_stock, import_presence, stock_by_origin

from .conftest import desa_workbook, xlsx


def run(tmp_path, command, name, data, *args):
    path = tmp_path / name
    path.write_bytes(data)
    call_command(command, str(path), *args)


def test_a_csv_by_area_nationality_and_sex_keeps_its_source_and_date(tmp_path, grid, org_a, capsys):
    data = (
        b"pcode,nationality,sex,count\n"
        b"JO11,PH,female,1200\nJO11,PH,male,300\nJO11,Egypt,total,5000\nJO21,LKA,female,80\n"
    )
    args = ["--country", "JO", "--source", "Census 2015", "--date", "2015-11-30"]
    run(tmp_path, "import_presence", "census.csv", data, *args)
    assert "4 created" in capsys.readouterr().out
    dataset = PresenceDataset.objects.get()
    assert (dataset.source, dataset.date, dataset.organisation) == (
        "Census 2015",
        datetime.date(2015, 11, 30),
        org_a,
    )
    assert PresenceFigure.objects.filter(dataset=dataset).count() == 4
    assert by_origin(grid["west"]) == {
        "PH": (1500, 1500, ["Census 2015 (2015-11-30)"]),
        "EG": (5000, 5000, ["Census 2015 (2015-11-30)"]),
    }
    run(tmp_path, "import_presence", "census.csv", data, *args)  # the same file again replaces, never adds
    assert PresenceFigure.objects.count() == 4 and PresenceDataset.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="risk.presencedataset", action="import").count() == 2


def test_an_hxl_tagged_xlsx_with_male_and_female_columns(tmp_path, grid, org_a):
    data = xlsx(
        [
            ["Governorate code", "Country of nationality", "Men", "Women", "Survey date"],
            ["#adm1+code", "#country+code+origin", "#population+m", "#population+f", "#date"],
            ["JO11", "Philippines", 100, 900, "2024-03-01"],
            ["JO21", "Bangladesh", "1,500", "2,500", "2024-03-01"],
        ]
    )
    run(tmp_path, "import_presence", "dtm.xlsx", data, "--country", "JO", "--source", "DTM round 7")
    assert PresenceFigure.objects.count() == 4
    assert PresenceDataset.objects.get().date == datetime.date(2024, 3, 1)
    assert by_origin(grid["east"]) == {"BD": (4000, 4000, ["DTM round 7 (2024-03-01)"])}


def test_sources_that_disagree_give_a_range(grid, org_a):
    import_presence(
        b"pcode,nationality,count\nJO11,PH,1000\n", "a.csv", org_a, "JO", "Census", datetime.date(2015, 1, 1)
    )
    import_presence(
        b"pcode,nationality,count\nJO11,PH,1600\n", "b.csv", org_a, "JO", "Survey", datetime.date(2024, 1, 1)
    )
    low, high, sources = by_origin(grid["west"])["PH"]
    assert (low, high) == (1000, 1600) and sources == ["Census (2015-01-01)", "Survey (2024-01-01)"]


BAD_TABLES = {
    "unknown P-code": (
        b"pcode,nationality,count\nJO11,PH,10\nJO99,PH,5\n",
        "Row 3, column “pcode”: “JO99” is not a known P-code.",
    ),
    "not a country": (
        b"pcode,nationality,count\nJO11,Atlantis,10\n",
        "Row 2, column “nationality”: “Atlantis” is not a country.",
    ),
    "not a number": (
        b"pcode,nationality,count\nJO11,PH,many\n",
        "Row 2, column “count”: “many” is not a number of people.",
    ),
    "negative": (b"pcode,nationality,count\nJO11,PH,-4\n", "is not a number of people"),
    "repeated": (b"pcode,nationality,count\nJO11,PH,10\nJO11,PH,12\n", "Row 3: Same record as row 2."),
    "wrong headers": (
        b"where,who,how many\nJO11,PH,10\n",
        "Missing required column(s): P-code, nationality, count",
    ),
    "html": (b"<!DOCTYPE html><html><title>404</title></html>", "web page"),
    "bad sex": (b"pcode,nationality,sex,count\nJO11,PH,x,3\n", "is not a sex"),
}


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_tables_are_refused_whole_with_row_and_column(tmp_path, grid, org_a, capsys, case):
    data, message = BAD_TABLES[case]
    with pytest.raises(CommandError, match="nothing was imported"):
        run(tmp_path, "import_presence", "bad.csv", data, "--country", "JO")
    assert message in capsys.readouterr().err
    assert not PresenceFigure.objects.exists() and not PresenceDataset.objects.exists()


def test_a_byte_order_mark_in_a_csv_is_read_past(grid, org_a):
    report = import_presence("\ufeffpcode,nationality,count\nJO11,PH,7\n".encode(), "bom.csv", org_a, "JO")
    assert report.ok and PresenceFigure.objects.get().count == 7


def test_a_dry_run_reads_everything_and_writes_nothing(tmp_path, grid, org_a, capsys):
    run(
        tmp_path,
        "import_presence",
        "a.csv",
        b"pcode,nationality,count\nJO11,PH,7\n",
        "--country",
        "JO",
        "--dry-run",
    )
    assert "Dry run: 1 to create" in capsys.readouterr().out
    assert not PresenceDataset.objects.exists()


# --- UN DESA International Migrant Stock ---------------------------------------------------

DESA_ROWS = [
    ("WORLD", 900, "World", 900, [1, 2, 3, 4], [1, 1, 1, 2], [0, 1, 2, 2]),
    ("Western Asia", 922, "Northern Africa", 15, [5, 6, 7, 8], [3, 3, 3, 4], [2, 3, 4, 4]),
    ("Jordan", 400, "World", 900, [9, 9, 9, 9], [5, 5, 5, 5], [4, 4, 4, 4]),
    (
        "Jordan",
        400,
        "Egypt",
        818,
        [150000, 200000, 400000, 500000],
        [100000, 150000, 300000, 380000],
        [50000, 50000, 100000, 120000],
    ),
    (
        "Jordan",
        400,
        "Philippines",
        608,
        [5000, 12000, 30000, ".."],
        [1000, 2000, 5000, ".."],
        [4000, 10000, 25000, ".."],
    ),
    (
        "Jordan",
        400,
        "Sri Lanka",
        144,
        [20000, 25000, 28000, 30000],
        [2000, 2500, 2800, 3000],
        [18000, 22500, 25200, 27000],
    ),
    (
        "Lebanon",
        422,
        "Philippines",
        608,
        [3000, 5000, 8000, 10000],
        [500, 700, 900, 1000],
        [2500, 4300, 7100, 9000],
    ),
]


def test_the_desa_table_as_published_is_read_with_its_aggregates_skipped(tmp_path, countries, org_a, capsys):
    run(
        tmp_path,
        "import_migrant_stock",
        "UN_MigrantStockByOriginAndDestination_2020.xlsx",
        desa_workbook(DESA_ROWS),
    )
    out = capsys.readouterr().out
    assert "Destinations (2): JO, LB" in out
    assert "Origins (3): EG, LK, PH" in out
    assert "Years: 1990, 2000, 2010, 2020" in out
    assert "Northern Africa" in out and "WORLD" in out  # said to be skipped
    dataset = PresenceDataset.objects.get()
    assert dataset.kind == "stock" and dataset.date == datetime.date(2020, 7, 1)
    egypt = PresenceFigure.objects.get(destination__code="JO", origin__code="EG", year=2010, sex="f")
    assert egypt.count == 100000 and egypt.area is None
    # 2020 has no Filipino figure ("..") and the latest year is read: Egypt and Sri Lanka only
    stock = stock_by_origin(countries["JO"])
    assert stock == {
        "EG": (500000, "UN_MigrantStockByOriginAndDestination_2020.xlsx (2020-07-01)"),
        "LK": (30000, "UN_MigrantStockByOriginAndDestination_2020.xlsx (2020-07-01)"),
    }
    assert stock_by_origin(countries["JO"], 2010)["PH"][0] == 30000


def test_one_year_and_a_dry_run(tmp_path, countries, org_a, capsys):
    run(
        tmp_path,
        "import_migrant_stock",
        "stock.xlsx",
        desa_workbook(DESA_ROWS),
        "--year",
        "2010",
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "Years: 2010" in out and "Dry run" in out
    assert not PresenceFigure.objects.exists()
    run(tmp_path, "import_migrant_stock", "stock.xlsx", desa_workbook(DESA_ROWS), "--year", "2010")
    assert set(PresenceFigure.objects.values_list("year", flat=True)) == {2010}
    assert PresenceFigure.objects.count() == 4 * 3


def test_a_csv_export_of_the_same_table_reads_the_same(countries, org_a):
    book = openpyxl.load_workbook(__import__("io").BytesIO(desa_workbook(DESA_ROWS)))
    lines = []
    for row in book.active.iter_rows(values_only=True):
        lines.append(",".join("" if v is None else f'"{v}"' for v in row))
    report, read = import_migrant_stock("\n".join(lines).encode(), "stock.csv", org_a)
    assert report.ok, report.errors
    assert read.destinations == {"JO", "LB"} and read.years == {1990, 2000, 2010, 2020}


@pytest.mark.parametrize(
    "broken, message",
    [
        ((15, 9, "lots"), "Row 15, column “I (2000)”: “lots” is not a number of people."),
        (
            (15, 4, "Jordan?"),
            "Row 15, column “D (Location code of destination)”: “Jordan?” is not an M49 location code.",
        ),
    ],
)
def test_a_bad_figure_refuses_the_whole_stock_table(tmp_path, countries, org_a, capsys, broken, message):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(tmp_path, "import_migrant_stock", "stock.xlsx", desa_workbook(DESA_ROWS, broken=broken))
    assert message in capsys.readouterr().err
    assert not PresenceFigure.objects.exists()


def test_a_table_without_the_desa_header_is_refused(tmp_path, countries, org_a, capsys):
    with pytest.raises(CommandError):
        run(tmp_path, "import_migrant_stock", "x.xlsx", xlsx([["Country", "Migrants"], ["Jordan", 5]]))
    assert "No header row naming the destination" in capsys.readouterr().err
