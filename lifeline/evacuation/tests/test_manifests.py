import csv
import io
import unicodedata

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from lifeline.core.models import Action, Area, AuditEntry, Role, RolePermission
from lifeline.evacuation import services
from lifeline.evacuation.manifests import MASK
from lifeline.nationals.models import HouseholdMember


@pytest.fixture
def assigned(crisis, people, point, bus, areas):
    services.assign(crisis, [people["family"].pk, people["arabic"].pk], point, bus)
    services.assign(crisis, [people["uncle"].pk, people["teen"].pk], point)
    return people


def read_csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def test_csv_lists_unaccompanied_minors_first_then_households(login, coordinator, assigned, point):
    response = login(coordinator).get(reverse("evacuation:point_manifest", args=[point.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="manifest-point-')
    header, rows = read_csv(response)
    name, section, minor, unaccompanied, phone = (
        header.index(h) for h in ("Name", "Section", "Minor", "Unaccompanied", "Phone")
    )
    names = [r[name] for r in rows]
    # Liza (with her uncle, unaccompanied) and Paolo (16, registered alone) come first
    assert set(names[:2]) == {"Liza Reyes", "Paolo Bautista"}
    assert all(r[section] == "Unaccompanied minors" and r[unaccompanied] == "yes" for r in rows[:2])
    # then households by family name (Latin before Arabic in the database's collation), registrant first
    assert names[2:] == ["Ramon Cruz", "Maria Santos", "Jose Santos", "Ana Santos", "فاطمة الحسن"]
    ana = rows[names.index("Ana Santos")]
    assert ana[minor] == "yes" and ana[unaccompanied] == "" and ana[header.index("Age")] == "7"
    assert ana[section] == f"Household #{assigned['family'].pk}"
    maria = rows[names.index("Maria Santos")]
    assert maria[phone] == "+962790000001"
    assert maria[header.index("Special needs")] == "Pregnancy"
    assert rows[names.index("فاطمة الحسن")][header.index("Document status")] == "Lost or stolen"
    assert [r[0] for r in rows] == [str(n) for n in range(1, 8)]
    assert header[-1] == "Signature at boarding"


def test_every_download_is_audited(login, coordinator, assigned, point):
    client = login(coordinator)
    client.get(reverse("evacuation:point_manifest", args=[point.pk, "csv"]))
    entry = AuditEntry.objects.get(action="export", object_type="evacuation.assemblypoint")
    assert entry.object_id == str(point.pk) and entry.actor_id == coordinator.pk
    assert "phone" in entry.fields and "csv" in entry.reason
    per_person = AuditEntry.objects.filter(action="export", object_type="nationals.registration")
    assert set(per_person.values_list("object_id", flat=True)) == {
        str(assigned[k].pk) for k in ("family", "arabic", "uncle", "teen")
    }
    client.get(reverse("evacuation:point_manifest", args=[point.pk, "pdf"]))
    assert AuditEntry.objects.filter(action="export", object_type="evacuation.assemblypoint").count() == 2


def test_phones_are_masked_for_a_role_that_may_not_see_personal_data(login, coordinator, assigned, point):
    # People's details are unlocked by Nationals abroad wherever they are shown (nationals/disclosure.py).
    RolePermission.objects.filter(role=Role.COORDINATOR, area=Area.NATIONALS, action=Action.PERSONAL).update(
        allowed=False
    )
    header, rows = read_csv(
        login(coordinator).get(reverse("evacuation:point_manifest", args=[point.pk, "csv"]))
    )
    phones = {r[header.index("Phone")] for r in rows}
    assert "+962790000001" not in phones and MASK in phones
    entry = AuditEntry.objects.get(action="export", object_type="evacuation.assemblypoint")
    assert "phone" not in entry.fields


def test_transport_manifest_holds_only_its_passengers(login, coordinator, assigned, bus):
    header, rows = read_csv(
        login(coordinator).get(reverse("evacuation:transport_manifest", args=[bus.pk, "csv"]))
    )
    assert [r[header.index("Name")] for r in rows] == [
        "Maria Santos",
        "Jose Santos",
        "Ana Santos",
        "فاطمة الحسن",
    ]


def test_xlsx_reads_back_and_cells_cannot_run_as_formulas(login, coordinator, assigned, point):
    HouseholdMember.objects.filter(name="Jose Santos").update(name='=HYPERLINK("http://evil","x")')
    response = login(coordinator).get(reverse("evacuation:point_manifest", args=[point.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Manifest: Sports City gate 3"
    header = list(values[2])
    names = [row[header.index("Name")] for row in values[3:]]
    assert names[:2] == ["Liza Reyes", "Paolo Bautista"] or set(names[:2]) == {"Liza Reyes", "Paolo Bautista"}
    assert "فاطمة الحسن" in names
    assert '\'=HYPERLINK("http://evil","x")' in names
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in values for v in row)


def test_pdf_holds_latin_and_arabic_names(login, coordinator, assigned, point):
    response = login(coordinator).get(reverse("evacuation:point_manifest", args=[point.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = unicodedata.normalize(
        "NFKC", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    )
    assert "Unaccompanied minors" in text
    assert text.index("Unaccompanied minors") < text.index("Households")
    for name in ("Maria Santos", "Ana Santos", "Liza Reyes", "+962790000001"):
        assert name in text
    compact = text.replace(" ", "")
    assert "فاطمة" in compact or "فاطمة"[::-1] in compact
    assert "الحسن" in compact or "الحسن"[::-1] in compact


def test_a_role_without_export_cannot_download(login, viewer, assigned, point):
    response = login(viewer).get(reverse("evacuation:point_manifest", args=[point.pk, "csv"]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("who", ["beirut_officer", "other_ministry_user", "immigration_user"])
def test_others_cannot_download(request, login, who, assigned, point, bus):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("evacuation:point_manifest", args=[point.pk, "csv"])).status_code in (403, 404)
    assert client.get(reverse("evacuation:transport_manifest", args=[bus.pk, "pdf"])).status_code in (
        403,
        404,
    )
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_unknown_format_is_not_found(login, coordinator, point):
    assert login(coordinator).get(f"/evacuation/points/{point.pk}/manifest.exe").status_code == 404


def test_csv_cells_cannot_run_as_formulas(login, coordinator, assigned, point):
    HouseholdMember.objects.filter(name="Jose Santos").update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    response = login(coordinator).get(reverse("evacuation:point_manifest", args=[point.pk, "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, rows = read_csv(response)
    names = [r[header.index("Name")] for r in rows]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in names and "فاطمة الحسن" in names
