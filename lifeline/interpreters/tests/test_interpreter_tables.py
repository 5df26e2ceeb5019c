import datetime
import io

import hxl
from django.urls import reverse

from lifeline.core.models import AuditEntry, Role
from lifeline.core.tabular import import_table
from lifeline.interpreters.models import AvailabilityWindow, Interpreter, LanguagePair
from lifeline.interpreters.tabular import InterpreterSchema

from .conftest import make_interpreter

HEADER = (
    "full_name,city,phone,email,messaging,pairs,modalities,specialisations,home_area,travel_range_km,"
    "always_available,availability,engagement,vetting,consent_stored,consent_contact,consent_date,notes\n"
)
ROWS = (
    'Maria Santos,Amman,+962 79 123 4567,maria@example.org,whatsapp:+962791234567,"tl>es:4; ar<>en:3/Levantine@Arab*ATA",'
    'consecutive; remote_video,medical,JO11,50,no,"mon 09:00-17:00; sat 10:00-14:00",paid,vetted,yes,yes,2026-01-10,\n'
    "Karim Haddad,Irbid,,,,fr<>ar:4,written,legal,JO21,,yes,,volunteer,,yes,no,,Night shifts\n"
)


def run(org, text, **kwargs):
    return import_table(InterpreterSchema(), text.encode(), "interpreters.csv", org, **kwargs)


def test_import_creates_pairs_and_windows_then_changes_nothing_the_second_time(org_a, areas):
    first = run(org_a, HEADER + ROWS)
    assert first.ok, first.errors
    assert (first.created, first.updated) == (2, 0)
    maria = Interpreter.objects.get(full_name="Maria Santos")
    assert (
        maria.phone == "+962791234567" and maria.home_area == areas["amman"] and maria.travel_range_km == 50
    )
    assert maria.modalities == ["consecutive", "remote_video"]
    assert sorted(str(p) for p in maria.pairs.all()) == ["Arabic ↔ English", "Filipino → Spanish"]
    levantine = maria.pairs.get(dialect="Levantine")
    assert (levantine.script, levantine.certified, levantine.certification) == ("Arab", True, "ATA")
    assert [str(w) for w in maria.availability.all()] == ["Monday 09:00–17:00", "Saturday 10:00–14:00"]
    pair_ids = sorted(LanguagePair.objects.values_list("id", flat=True))
    window_ids = sorted(AvailabilityWindow.objects.values_list("id", flat=True))

    second = run(org_a, HEADER + ROWS)
    assert second.ok and (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert sorted(LanguagePair.objects.values_list("id", flat=True)) == pair_ids
    assert sorted(AvailabilityWindow.objects.values_list("id", flat=True)) == window_ids


def test_changed_pairs_are_replaced_and_audited(org_a, areas):
    run(org_a, HEADER + ROWS)
    report = run(org_a, HEADER + ROWS.replace("fr<>ar:4", "fr<>ar:4; en>ar:2"))
    assert report.ok and (report.updated, report.unchanged) == (1, 1)
    karim = Interpreter.objects.get(full_name="Karim Haddad")
    assert sorted(str(p) for p in karim.pairs.all()) == ["English → Arabic", "French ↔ Arabic"]
    assert AuditEntry.objects.filter(action="update", object_id=str(karim.pk), fields=["pairs"]).exists()


def test_a_bad_row_is_named_and_nothing_is_written(org_a, areas):
    bad = "Nadia,Zarqa,,,,tl>tl:9,,,JO11,,no,mon 18:00-08:00,,,yes,yes,,\n"
    report = run(org_a, HEADER + ROWS + bad)
    assert not report.ok
    problems = {(e.row, e.column) for e in report.errors}
    assert (4, "pairs") in problems and (4, "availability") in problems
    pairs_error = next(e for e in report.errors if e.column == "pairs")
    assert "two different languages" in pairs_error.message
    assert "Row 4, column “availability”" in str(next(e for e in report.errors if e.column == "availability"))
    assert not Interpreter.objects.exists() and not LanguagePair.objects.exists()


def test_a_row_without_consent_is_refused(org_a, areas):
    no_consent = ROWS.replace("paid,vetted,yes,yes", "paid,vetted,no,yes")
    report = run(org_a, HEADER + no_consent)
    assert [(e.row, e.column) for e in report.errors] == [(2, "consent_stored")]
    assert "No consent, no record" in report.errors[0].message
    assert not Interpreter.objects.exists()


def test_a_file_without_the_consent_column_is_refused(org_a, areas):
    report = run(org_a, "full_name,city\nMaria,Amman\n")
    assert not report.ok and "consent_stored" in report.errors[0].message
    assert not Interpreter.objects.exists()


def test_export_csv_with_hxl_reads_back_and_imports_unchanged(login, make_user, org_a, areas):
    run(org_a, HEADER + ROWS)
    response = login(make_user(org_a, role=Role.COORDINATOR)).get(
        reverse("interpreters:export"), {"format": "csv", "hxl": "1"}
    )
    assert response.status_code == 200
    dataset = hxl.data(io.BytesIO(response.content), hxl.InputOptions(allow_local=True))
    tags = [column.display_tag for column in dataset.columns]
    assert "#contact+name" in tags and "#contact+phone" in tags and "#language+pairs" in tags
    rows = {row.get("#contact+name"): row for row in dataset}
    assert rows["Maria Santos"].get("#contact+phone") == "+962791234567"
    assert rows["Maria Santos"].get("#adm1+code") == "JO11"
    assert rows["Maria Santos"].get("#language+pairs") == "ar<>en:3/Levantine@Arab*ATA; fil>es:4"
    assert rows["Maria Santos"].get("#meta+availability") == "mon 09:00-17:00; sat 10:00-14:00"
    assert rows["Karim Haddad"].get("#indicator+h24") == "yes"
    assert AuditEntry.objects.filter(action="export", fields=["email", "messaging", "phone"]).exists()

    again = import_table(InterpreterSchema(), response.content, "export.csv", org_a)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_export_without_personal_permission_omits_contact_details(login, make_user, immigration, areas):
    make_interpreter(
        immigration, "Maria Santos", pairs=[("tl", "es")], phone="+962791234567", email="maria@example.org"
    )
    user = make_user(immigration, role=Role.COORDINATOR)  # may export, never sees people's contact details
    response = login(user).get(reverse("interpreters:export"), {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "full_name" in header and "pairs" in header
    assert "phone" not in header and "email" not in header and "messaging" not in header
    assert "+962791234567" not in text and "maria@example.org" not in text
    assert "Maria Santos" in text
    assert AuditEntry.objects.filter(action="export", actor_id=user.pk, fields=[]).exists()


def test_xlsx_export_reads_back(login, make_user, org_a, areas):
    import openpyxl

    run(org_a, HEADER + ROWS)
    response = login(make_user(org_a, role=Role.COORDINATOR)).get(
        reverse("interpreters:export"), {"format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    names = [row[header.index("full_name")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Karim Haddad", "Maria Santos"]


def test_import_page_needs_change_permission(login, make_user, org_a):
    assert login(make_user(org_a, role=Role.VIEWER)).get(reverse("interpreters:import")).status_code == 403


def test_import_page_writes_a_file(login, make_user, org_a, areas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("interpreters.csv", (HEADER + ROWS).encode(), content_type="text/csv")
    response = login(make_user(org_a)).post(
        reverse("interpreters:import"), {"file": upload, "organisation": org_a.pk}
    )
    assert response.status_code == 302
    assert Interpreter.objects.filter(organisation=org_a).count() == 2
    assert datetime.date(2026, 1, 10) == Interpreter.objects.get(full_name="Maria Santos").consent_date
