import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyxform.xls2xform import convert

from lifeline.communities.models import PERCENT_FIELDS, CommunityProfile, ProfileVersion, Sector
from lifeline.communities.tabular import CommunitySchema
from lifeline.communities.xlsform import column_names, languages

LANGUAGE_COLUMNS = [
    "English (en)",
    "Español (es)",
    "Français (fr)",
    "العربية (ar)",
    "Русский (ru)",
    "Português (pt)",
]


def sheets(path):
    book = openpyxl.load_workbook(path, read_only=True)
    result = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    return result


def test_xlsform_converts_with_pyxform(tmp_path, areas):
    path = tmp_path / "community-profile.xlsx"
    call_command("export_xlsform", "community-profile", "-o", str(path))
    warnings = []
    result = convert(str(path), warnings=warnings)
    assert 'id="community_profile"' in result.xform
    for name in ("estimated_size", "female_pct", "focal_points", "sectors"):
        assert f"/{name}" in result.xform
    assert 'lang="Español (es)"' in result.xform and 'lang="العربية (ar)"' in result.xform


def test_xlsform_names_languages_choices_and_constraints(tmp_path, areas):
    path = tmp_path / "form.xlsx"
    call_command("export_xlsform", "community-profile", "-o", str(path))
    book = sheets(path)
    header, *survey = book["survey"]
    assert [f"label::{n}" for n in LANGUAGE_COLUMNS] == [h for h in header if h.startswith("label::")]
    assert [f"hint::{n}" for n in LANGUAGE_COLUMNS] == [h for h in header if h.startswith("hint::")]
    questions = {row[1]: dict(zip(header, row)) for row in survey if row[1] in column_names()}
    assert set(questions) == {c.name for c in CommunitySchema.columns}
    for name in PERCENT_FIELDS:
        assert questions[name]["type"] == "integer"
        assert questions[name]["constraint"] == ". >= 0 and . <= 100"
    assert questions["sectors"]["type"] == "select_multiple sectors"
    assert questions["housing"]["type"] == "select_one housing"
    assert questions["areas"]["type"] == "select_multiple area"
    assert questions["estimated_size"]["label::English (en)"] == "Estimated size"
    assert questions["name"]["required"] == "yes"

    choices_header, *choices = book["choices"]
    assert choices_header == ["list_name", "name", *[f"label::{n}" for n in LANGUAGE_COLUMNS]]
    assert {row[1] for row in choices if row[0] == "sectors"} == set(Sector.values)
    assert {row[1] for row in choices if row[0] == "area"} == {"JO11", "JO21"}
    philippines = next(row for row in choices if row[0] == "country" and row[1] == "PH")
    assert philippines[2] == "Philippines" and philippines[3] == "Filipinas"  # names in each language

    settings_header, settings_row = book["settings"]
    settings = dict(zip(settings_header, settings_row))
    assert settings["form_id"] == "community_profile" and settings["default_language"] == "English (en)"


def test_xlsform_texts_come_from_the_catalogs(monkeypatch):
    from django.utils import translation

    from lifeline.communities import xlsform

    seen = []
    real = translation.override

    def spy(language, *args, **kwargs):
        seen.append(language)
        return real(language, *args, **kwargs)

    monkeypatch.setattr(xlsform.translation, "override", spy)
    assert len(xlsform.in_each_language(xlsform.INTRO)) == 6
    assert seen == [code for code, _name in languages()]


def kobo_export(rows):
    """An XLSX like KoboToolbox's export of the form: groups in the names, metadata columns, spaces in multi-selects."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "start",
            "end",
            "who/name",
            "who/origin_countries",
            "who/languages",
            "size/estimated_size",
            "size/size_date",
            "size/female_pct",
            "place/areas",
            "place/sectors",
            "place/sectors/construction",
            "reach/focal_points",
            "vulnerability/fear_of_enforcement",
            "meta/instanceID",
            "_id",
            "_uuid",
            "_submission_time",
            "_index",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ANSWERS = [
    [
        datetime.datetime(2026, 3, 1, 9),
        datetime.datetime(2026, 3, 1, 9, 40),
        "Filipino domestic workers",
        "PH",
        "fil en",
        12000,
        datetime.datetime(2026, 2, 1),
        85,
        "JO11",
        "domestic_work care",
        0,
        "Filipino Workers Association",
        "medium",
        "uuid:1",
        1,
        "a1",
        "2026-03-01T10:00:00",
        1,
    ],
    [
        datetime.datetime(2026, 3, 2, 9),
        datetime.datetime(2026, 3, 2, 9, 30),
        "Nepali construction workers",
        "NP",
        "ne",
        3000,
        None,
        10,
        "JO11 JO21",
        "construction",
        1,
        None,
        "high",
        "uuid:2",
        2,
        "a2",
        "2026-03-02T10:00:00",
        2,
    ],
]


def test_kobo_export_of_two_answers_imports_into_two_profiles(tmp_path, org_a, areas, origins, leader):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_export(ANSWERS))
    out = io.StringIO()
    call_command("import_kobo", "community-profile", str(path), "--org", str(org_a.pk), stdout=out)
    assert "2 created" in out.getvalue()
    filipino = CommunityProfile.objects.get(name="Filipino domestic workers")
    assert filipino.sectors == ["care", "domestic_work"]
    assert sorted(filipino.languages.values_list("code", flat=True)) == ["en", "fil"]
    assert filipino.size_date == datetime.date(2026, 2, 1) and filipino.female_pct == 85
    assert list(filipino.focal_points.all()) == [leader]
    nepali = CommunityProfile.objects.get(name="Nepali construction workers")
    assert sorted(nepali.areas.values_list("pcode", flat=True)) == ["JO11", "JO21"]
    assert nepali.fear_of_enforcement == "high" and nepali.organisation == org_a
    assert nepali.versions.get().note == "Imported from a Kobo/ODK form"

    again = io.StringIO()
    call_command("import_kobo", "community-profile", str(path), "--org", str(org_a.pk), stdout=again)
    assert "2 unchanged" in again.getvalue()
    assert ProfileVersion.objects.count() == 2


def test_kobo_dry_run_and_bad_row(tmp_path, org_a, areas, origins, leader):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_export(ANSWERS))
    out = io.StringIO()
    call_command(
        "import_kobo", "community-profile", str(path), "--org", str(org_a.pk), "--dry-run", stdout=out
    )
    assert "Dry run" in out.getvalue() and not CommunityProfile.objects.exists()

    bad = [list(ANSWERS[0]), list(ANSWERS[1])]
    bad[1][9] = "construction mining"
    path.write_bytes(kobo_export(bad))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_kobo", "community-profile", str(path), "--org", str(org_a.pk), stderr=err)
    assert "Row 3, column “sectors”" in err.getvalue()
    assert not CommunityProfile.objects.exists()


def test_kobo_command_needs_a_known_organisation(tmp_path, org_a):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_export(ANSWERS))
    with pytest.raises(CommandError):
        call_command("import_kobo", "community-profile", str(path), "--org", "999999")
    assert not CommunityProfile.objects.exists()


def test_kobo_csv_export_imports_through_the_import_page(login, make_user, org_a, areas, origins, leader):
    text = (
        "start;end;who/name;place/sectors;size/female_pct;_uuid;_submission_time\n"
        "2026-03-01T09:00;2026-03-01T09:40;Filipino domestic workers;domestic_work care;85;a1;2026-03-01T10:00:00\n"
        "2026-03-02T09:00;2026-03-02T09:30;Nepali construction workers;construction;10;a2;2026-03-02T10:00:00\n"
    )
    upload = io.BytesIO(text.encode())
    upload.name = "community_profile_-_all_versions.csv"
    response = login(make_user(org_a)).post(
        reverse("communities:import"), {"file": upload, "organisation": org_a.pk}
    )
    assert response.status_code == 302
    assert sorted(CommunityProfile.objects.values_list("name", flat=True)) == [
        "Filipino domestic workers",
        "Nepali construction workers",
    ]
    assert CommunityProfile.objects.get(name="Filipino domestic workers").sectors == ["care", "domestic_work"]
    assert set(ProfileVersion.objects.values_list("note", flat=True)) == {"Imported from a Kobo/ODK form"}


def test_xlsform_download_page(login, make_user, org_a):
    response = login(make_user(org_a)).get(reverse("communities:xlsform"))
    assert response.status_code == 200
    assert convert(response.content, warnings=[]).xform.startswith("<?xml")
