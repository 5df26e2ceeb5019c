import io

import hxl
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from hxl.input import InputOptions

from lifeline.core.models import AuditEntry, Role
from lifeline.core.tabular import export_table, import_table
from lifeline.directory.models import KeyContact
from lifeline.directory.tabular import ContactSchema

GOOD = (
    "name,kind,category,affiliation,languages,channels,coverage_areas,available_24_7,trust_level,last_verified\n"
    "Nepali Society,organisation,migrant_association,,ne; hi,phone:+962791111111; email:nepal@example.org,JO11,yes,high,2026-10-01\n"
    "Sita Gurung,individual,community_leader,Nepali Society,ne,whatsapp:+9779812345678,JO11; JO21,no,medium,\n"
)


def test_import_creates_and_is_idempotent(org_a, areas):
    schema = ContactSchema()
    first = import_table(schema, GOOD.encode(), "contacts.csv", org_a)
    assert first.ok and (first.created, first.updated, first.unchanged) == (2, 0, 0)
    sita = KeyContact.objects.get(name="Sita Gurung")
    assert sita.channels == [{"type": "whatsapp", "value": "+9779812345678"}]
    assert sorted(sita.coverage_areas.values_list("pcode", flat=True)) == ["JO11", "JO21"]
    entries = AuditEntry.objects.count()
    second = import_table(schema, GOOD.encode(), "contacts.csv", org_a)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    changed = GOOD.replace("yes,high", "no,high")
    third = import_table(schema, changed.encode(), "contacts.csv", org_a)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert KeyContact.objects.get(name="Nepali Society").available_24_7 is False


def test_one_bad_row_writes_nothing_and_names_row_and_column(org_a, areas):
    bad = GOOD + "Broken,organisation,ngo,,xx-notalang,phone:123,JO99,maybe,high,2026-13-45\n"
    report = import_table(ContactSchema(), bad.encode(), "contacts.csv", org_a)
    assert not report.ok
    assert KeyContact.objects.count() == 0
    columns = {(e.row, e.column) for e in report.errors}
    assert {
        (4, "languages"),
        (4, "channels"),
        (4, "coverage_areas"),
        (4, "available_24_7"),
        (4, "last_verified"),
    } <= columns


def test_errors_come_in_the_readers_language(org_a, areas):
    bad = "name,kind,category\nX,organisation,nonsense\n,organisation,ngo\n"
    with translation.override("es"):
        report = import_table(ContactSchema(), bad.encode(), "c.csv", org_a)
        texts = [str(e) for e in report.errors]
    assert texts[0].startswith("Fila 2, columna “category”")
    assert texts[1] == "Fila 3, columna “name”: Se requiere un valor."
    with translation.override("ar"):
        assert str(report.errors[0]).startswith("الصف 2")


def test_dry_run_writes_nothing(org_a, areas):
    report = import_table(ContactSchema(), GOOD.encode(), "contacts.csv", org_a, dry_run=True)
    assert report.ok and report.created == 2 and KeyContact.objects.count() == 0


def test_duplicate_rows_in_one_file_are_refused(org_a, areas):
    lines = GOOD.splitlines()
    report = import_table(ContactSchema(), "\n".join(lines + [lines[1]]).encode(), "c.csv", org_a)
    assert not report.ok and "row 2" in str(report.errors[0]).lower()


def test_missing_required_column_and_bad_files(org_a):
    assert not import_table(ContactSchema(), b"kind\norganisation\n", "c.csv", org_a).ok
    assert not import_table(ContactSchema(), b"", "c.csv", org_a).ok
    assert not import_table(ContactSchema(), b"\xff\xfe\x00garbage", "c.csv", org_a).ok
    assert not import_table(ContactSchema(), b"PK\x03\x04 not really a zip", "c.xlsx", org_a).ok
    assert KeyContact.objects.count() == 0


def test_huge_upload_is_refused(org_a, settings):
    settings.IMPORT_MAX_BYTES = 100
    report = import_table(ContactSchema(), GOOD.encode() * 10, "c.csv", org_a)
    assert not report.ok and "larger" in report.errors[0].message


def test_formula_cells_are_neutralised_and_round_trip(org_a, areas):
    csv = "name,kind,category,notes\n=HYPERLINK(1),organisation,ngo,@cmd\n"
    assert import_table(ContactSchema(), csv.encode(), "c.csv", org_a).ok
    data = export_table(ContactSchema(), KeyContact.objects.all())
    assert b"'=HYPERLINK(1)" in data and b"'@cmd" in data
    again = import_table(ContactSchema(), data, "c.csv", org_a)
    assert again.ok and again.unchanged == 1


def test_hxl_export_is_read_back_by_libhxl(org_a, areas, tmp_path):
    import_table(ContactSchema(), GOOD.encode(), "contacts.csv", org_a)
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        export_table(ContactSchema(), KeyContact.objects.all(), hxl=True, include_personal=False)
    )
    dataset = hxl.data(str(path), InputOptions(allow_local=True)).cache()
    tags = [c.display_tag for c in dataset.columns]
    assert "#contact+name" in tags and "#language+code" in tags and "#adm1+code" in tags
    assert "#contact+channels" not in tags  # personal column left out
    rows = {row.get("#contact+name"): row for row in dataset}
    assert rows["Sita Gurung"].get("#adm1+code") == "JO11; JO21"


def test_xlsx_export_with_hxl_reads_back_and_reimports(org_a, areas, tmp_path):
    import_table(ContactSchema(), GOOD.encode(), "contacts.csv", org_a)
    data = export_table(
        ContactSchema(), KeyContact.objects.all(), fmt="xlsx", hxl=True, include_personal=True
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.cell(1, 1).value == "name" and sheet.cell(2, 1).value == "#contact+name"
    path = tmp_path / "c.xlsx"
    path.write_bytes(data)
    dataset = hxl.data(str(path), InputOptions(allow_local=True)).cache()
    assert len(list(dataset)) == 2
    report = import_table(ContactSchema(), data, "c.xlsx", org_a)
    assert report.ok and report.unchanged == 2


def test_import_page_reports_errors_and_keeps_data(login, make_user, org_a, areas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(make_user(org_a, role=Role.COORDINATOR))
    bad = GOOD + "Broken,organisation,ngo,,,,JO99,,,\n"
    response = client.post(
        reverse("contacts:import"),
        {"file": SimpleUploadedFile("c.csv", bad.encode()), "organisation": org_a.pk},
    )
    assert response.status_code == 200 and b"JO99" in response.content and KeyContact.objects.count() == 0
    ok = client.post(
        reverse("contacts:import"),
        {"file": SimpleUploadedFile("c.csv", GOOD.encode()), "organisation": org_a.pk},
    )
    assert ok.status_code == 302 and KeyContact.objects.count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_import_page_refuses_other_organisation(login, make_user, org_a, org_b, areas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(make_user(org_a, role=Role.COORDINATOR))
    response = client.post(
        reverse("contacts:import"),
        {"file": SimpleUploadedFile("c.csv", GOOD.encode()), "organisation": org_b.pk},
    )
    assert response.status_code == 200 and KeyContact.objects.count() == 0


def test_export_page_is_scoped_audited_and_masks_personal(login, make_user, org_a, org_b, areas):
    import_table(ContactSchema(), GOOD.encode(), "contacts.csv", org_a)
    KeyContact.objects.create(organisation=org_b, name="B's contact")
    client = login(make_user(org_a, role=Role.TRAINER))
    assert client.get(reverse("contacts:export")).status_code == 403
    client = login(make_user(org_a, role=Role.COORDINATOR))
    body = client.get(reverse("contacts:export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Sita Gurung" in body and "B's contact" not in body and "+9779812345678" in body
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.fields == ["channels"]


def test_commands_import_and_export(org_a, areas, tmp_path, capsys):
    source = tmp_path / "contacts.csv"
    source.write_text(GOOD, encoding="utf-8")
    call_command("import", "contacts", str(source), "--dry-run", "--org", str(org_a.pk))
    assert KeyContact.objects.count() == 0
    call_command("import", "contacts", str(source), "--org", str(org_a.pk))
    assert KeyContact.objects.count() == 2
    out = tmp_path / "out.xlsx"
    call_command("export", "contacts", "--format", "xlsx", "--hxl", "-o", str(out))
    assert openpyxl.load_workbook(out).active.max_row == 4
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "X,organisation,nonsense\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "contacts", str(bad), "--org", str(org_a.pk))
    assert "Row 4" in capsys.readouterr().err
