"""Manifests carry what borders and airlines ask for: document number, date of birth, sex and nationality,
to the roles the disclosure policy allows (masked otherwise, every read audited), with a sign-off line."""

import io
import unicodedata

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from lifeline.core.models import Action, Area, AuditEntry, Role, RolePermission
from lifeline.evacuation import services
from lifeline.evacuation.manifests import MASK
from lifeline.evacuation.tests.test_manifests import read_csv
from lifeline.nationals.models import HouseholdMember, Registration


@pytest.fixture
def assigned(crisis, people, point, bus, jordan):
    family = people["family"]
    Registration.objects.filter(pk=family.pk).update(sex="F")
    family.refresh_from_db()
    family.document_number = "P1234567A"
    family.save()
    HouseholdMember.objects.filter(name="Jose Santos").update(sex="M", nationality=jordan)
    jose = HouseholdMember.objects.get(name="Jose Santos")
    jose.document_number = "JO998877"
    jose.save()
    services.assign(crisis, [family.pk, people["arabic"].pk], point, bus)
    return people


def _by_name(header, rows):
    return {row[header.index("Name")]: row for row in rows}


def _cells(header, row):
    return [row[header.index(h)] for h in ("Document number", "Date of birth", "Sex", "Nationality")]


def test_the_csv_has_document_number_date_of_birth_sex_and_nationality(login, coordinator, assigned, bus):
    header, rows = read_csv(
        login(coordinator).get(reverse("evacuation:transport_manifest", args=[bus.pk, "csv"]))
    )
    people = _by_name(header, rows)
    maria, jose = assigned["family"], HouseholdMember.objects.get(name="Jose Santos")
    assert _cells(header, people["Maria Santos"]) == [
        "P1234567A",
        maria.date_of_birth.isoformat(),
        "Female",
        "Philippines",
    ]
    assert _cells(header, people["Jose Santos"]) == [
        "JO998877",
        jose.date_of_birth.isoformat(),
        "Male",
        "Jordan",
    ]
    assert _cells(header, people["Ana Santos"])[2:] == ["", ""]  # not given: empty, not invented
    entry = AuditEntry.objects.get(action="export", object_type="evacuation.transport")
    assert {"document_number", "date_of_birth", "sex"} <= set(entry.fields)


def test_a_role_that_may_not_see_personal_data_gets_them_masked(login, coordinator, assigned, bus):
    RolePermission.objects.filter(role=Role.COORDINATOR, area=Area.NATIONALS, action=Action.PERSONAL).update(
        allowed=False
    )
    client = login(coordinator)
    header, rows = read_csv(client.get(reverse("evacuation:transport_manifest", args=[bus.pk, "csv"])))
    for row in rows:
        number, born, sex, nationality = _cells(header, row)
        assert MASK in (number, born) or (number, born) == ("", "")
        assert "P1234567A" not in row and "JO998877" not in row and "Female" not in row
    assert _cells(header, rows[0])[3] == "Philippines"  # nationality is not personal here
    entry = AuditEntry.objects.get(action="export", object_type="evacuation.transport")
    assert not {"document_number", "date_of_birth", "sex"} & set(entry.fields)
    page = client.get(reverse("evacuation:transport", args=[bus.pk])).content.decode()
    assert "P1234567A" not in page and MASK in page and "Philippines" in page


def test_the_xlsx_has_the_same_columns(login, coordinator, assigned, bus):
    response = login(coordinator).get(reverse("evacuation:transport_manifest", args=[bus.pk, "xlsx"]))
    values = [
        list(r)
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    header = list(values[2])
    people = _by_name(header, values[3:])
    assert _cells(header, people["Jose Santos"])[::2] == ["JO998877", "Male"]


def test_the_printed_manifest_and_the_pdf_end_with_a_sign_off_line(login, coordinator, assigned, bus):
    client = login(coordinator)
    page = client.get(reverse("evacuation:transport_manifest", args=[bus.pk, "html"]))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "attachment" not in page.get("Content-Disposition", "")
    html = page.content.decode()
    assert f'<style nonce="{page.wsgi_request.csp_nonce}">' in html  # its styles pass the page's CSP
    assert "P1234567A" in html and "Sign-off" in html
    assert html.index("Sign-off") > html.index("JO998877")
    for words in ("Consular officer", "Carrier", "Signature", "Place"):
        assert words in html
    pdf = client.get(reverse("evacuation:transport_manifest", args=[bus.pk, "pdf"]))
    text = unicodedata.normalize(
        "NFKC", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    )
    assert "P1234567A" in text and "JO998877" in text
    assert "Name Signature Date Place" in text and "Consular officer" in text and "Carrier" in text
    assert AuditEntry.objects.filter(action="export", object_type="evacuation.transport").count() == 2


def test_the_list_of_a_transport_shows_them_and_audits_the_read(login, coordinator, assigned, bus):
    page = login(coordinator).get(reverse("evacuation:transport", args=[bus.pk])).content.decode()
    assert "P1234567A" in page and "Female" in page and "Philippines" in page
    assert assigned["family"].date_of_birth.isoformat() in page
    entry = AuditEntry.objects.filter(
        action="view", object_type="nationals.registration", object_id=str(assigned["family"].pk)
    ).latest("id")
    assert {"document_number", "date_of_birth", "sex"} <= set(entry.fields)


def test_a_members_document_number_is_written_by_the_registration_service_and_encrypted(
    make_user, make_registration, post_amman
):
    from lifeline.nationals import services as nationals

    officer = make_user(post_amman, Role.OFFICER)
    registration = make_registration(post_amman)
    values = {"given_names": registration.given_names, "sex": "X"}
    household = [{"name": "Jose Santos", "relation": "spouse", "sex": "M", "document_number": "JO998877"}]
    nationals.update_registration(officer, registration, values, household=household)
    member = HouseholdMember.objects.get(registration=registration)
    assert (member.sex, member.document_number) == ("M", "JO998877")
    assert Registration.objects.get(pk=registration.pk).sex == "X"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT document_number FROM {HouseholdMember._meta.db_table} WHERE id = %s", [member.pk]
        )
        stored = cursor.fetchone()[0]
    assert "JO998877" not in stored
    with pytest.raises(nationals.Invalid) as refused:
        nationals.update_registration(officer, registration, {"sex": "Q"}, household=household)
    assert "sex" in refused.value.errors
    assert Registration.objects.get(pk=registration.pk).sex == "X"
