import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from lifeline.cases import services
from lifeline.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    CaseTeam,
    EventKind,
    InternalNote,
    Referral,
    Status,
)
from lifeline.cases.services import CaseError
from lifeline.cases.tests.conftest import image_bytes
from lifeline.core.models import AuditAction, AuditEntry
from lifeline.directory.models import KeyContact
from lifeline.nationals.models import Consent


def test_a_case_goes_to_the_registrations_post_with_a_reference_and_a_due_time(case, person, post_amman):
    assert case.organisation == post_amman
    assert case.reference.startswith("C-") and len(case.reference) == 8
    assert case.status == Status.NEW
    hours = (case.due_at - case.created).total_seconds() / 3600
    assert round(hours) == 72
    assert case.events.get().kind == EventKind.CREATED


def test_the_summary_is_encrypted_at_rest(case):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM cases_case WHERE id = %s", [case.pk])
        stored = cursor.fetchone()[0]
    assert "passport" not in stored
    assert Case.objects.get(pk=case.pk).summary == "My passport was taken by my employer."


@override_settings(CASE_DUE_HOURS={"critical": 1, "high": 24, "normal": 72, "low": 168})
def test_triage_sets_priority_reason_and_due_from_the_settings(case, officer):
    services.triage(case, "critical", "Injured", user=officer)
    case.refresh_from_db()
    assert (case.status, case.priority, case.priority_reason) == (Status.TRIAGED, "critical", "Injured")
    assert round((case.due_at - case.created).total_seconds() / 3600) == 1
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.PRIORITY, EventKind.STATUS]


def test_overdue_cases_are_open_cases_past_their_due_time(make_case, person):
    late = make_case(person, category="medical")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    closed = make_case(person, category="shelter")
    services.change_status(closed, Status.CLOSED)
    Case.objects.filter(pk=closed.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    on_time = make_case(person, category="food_water")
    assert list(Case.objects.overdue()) == [late]
    assert Case.objects.get(pk=late.pk).is_overdue and not on_time.is_overdue


def test_the_workflow_allows_the_table_and_refuses_the_rest(case):
    with pytest.raises(CaseError, match="cannot go from"):
        services.change_status(case, Status.RESOLVED)
    assert Case.objects.get(pk=case.pk).status == Status.NEW
    for status in (
        Status.TRIAGED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.CLOSED,
        Status.REOPENED,
        Status.IN_PROGRESS,
    ):
        services.change_status(case, status)
    assert case.status == Status.IN_PROGRESS and case.closed_at is None
    with pytest.raises(CaseError):
        services.change_status(case, "nonsense")


def test_assignment_only_to_people_and_teams_of_the_cases_post(
    case, officer, beirut_officer, post_amman, post_beirut
):
    team = CaseTeam.objects.create(organisation=post_amman, name="Welfare")
    services.assign(case, officer=officer, team=team)
    case.refresh_from_db()
    assert (case.assigned_to, case.team) == (officer, team)
    with pytest.raises(CaseError):
        services.assign(case, officer=beirut_officer)
    with pytest.raises(CaseError):
        services.assign(case, team=CaseTeam.objects.create(organisation=post_beirut, name="Other"))
    assert Case.objects.get(pk=case.pk).assigned_to == officer


def test_an_idempotency_key_makes_a_retry_return_the_first_case(person):
    first, created = services.create_case(
        registration=person, category="medical", summary="Fever", idempotency_key="k-12345678"
    )
    again, created_again = services.create_case(
        registration=person, category="medical", summary="Fever", idempotency_key="k-12345678"
    )
    assert created and not created_again and again.pk == first.pk
    assert Case.objects.count() == 1


def test_a_new_case_of_the_same_person_and_category_is_flagged_as_a_possible_duplicate(make_case, person):
    first = make_case(person)
    other_category = make_case(person, category="medical")
    second = make_case(person)
    assert other_category.possible_duplicate_of is None
    assert second.possible_duplicate_of == first
    Case.objects.filter(pk=first.pk).update(created=timezone.now() - datetime.timedelta(days=15))
    assert make_case(person, category="documents").possible_duplicate_of == second


def test_unregistered_duplicates_are_found_by_phone(make_case, post_amman):
    first = make_case(None, organisation=post_amman, contact_phone="+962791234567")
    second = make_case(None, organisation=post_amman, contact_phone="+962 79 123 4567", category="shelter")
    assert second.possible_duplicate_of == first
    assert second.contact_phone == "+962791234567"


def test_merging_moves_messages_and_notes_and_closes_the_duplicate(make_case, person, officer):
    first = make_case(person)
    second = make_case(person)
    services.receive_message(second, "Any news?")
    services.add_note(second, "Called employer", user=officer)
    services.merge(second, first, user=officer)
    second.refresh_from_db()
    assert second.status == Status.CLOSED and second.merged_into == first
    assert list(first.messages.values_list("text", flat=True)) == ["Any news?"]
    assert list(first.notes.values_list("text", flat=True)) == ["Called employer"]
    assert AuditEntry.objects.filter(
        object_type="cases.case",
        object_id=str(first.pk),
        action=AuditAction.UPDATE,
        fields=["messages", "notes"],
    ).exists()
    with pytest.raises(CaseError):
        services.merge(second, first)


def test_merging_refuses_cases_of_different_people(make_case, person, make_registration, post_amman):
    other = make_case(make_registration(post_amman))
    with pytest.raises(CaseError):
        services.merge(other, make_case(person))


@pytest.fixture
def partner(post_amman):
    return KeyContact.objects.create(
        organisation=post_amman, name="Workers' Rights Centre", kind="organisation"
    )


def test_referral_is_refused_without_consent(case, officer, partner):
    services.triage(case, "high")
    with pytest.raises(CaseError, match="not agreed"):
        services.refer(case, partner, officer)
    assert not Referral.objects.exists()
    assert Case.objects.get(pk=case.pk).status == Status.TRIAGED


def test_referral_with_consent_in_the_registration(case, officer, partner, person):
    Consent.objects.create(registration=person, purpose="referral", granted=True)
    services.triage(case, "high")
    referral = services.refer(case, partner, officer, note="Unpaid wages for 3 months")
    assert referral.consent_basis == "registration" and referral.consent_recorded_by is None
    assert Case.objects.get(pk=case.pk).status == Status.REFERRED


def test_referral_with_consent_asked_by_staff_records_who_and_when(case, officer, partner):
    services.triage(case, "high")
    referral = services.refer(case, partner, officer, consent_asked=True)
    assert (
        referral.consent_basis == "asked"
        and referral.consent_recorded_by == officer
        and referral.consented_at
    )


def test_referral_only_to_organisations_in_the_users_scope(case, officer, post_beirut):
    services.triage(case, "high")
    elsewhere = KeyContact.objects.create(organisation=post_beirut, name="Beirut NGO", kind="organisation")
    with pytest.raises(CaseError):
        services.refer(case, elsewhere, officer, consent_asked=True)
    individual = KeyContact.objects.create(organisation=case.organisation, name="A leader", kind="individual")
    with pytest.raises(CaseError):
        services.refer(case, individual, officer, consent_asked=True)


def test_a_message_from_the_person_reopens_a_closed_case(case):
    services.change_status(case, Status.CLOSED)
    services.receive_message(case, "It happened again")
    assert Case.objects.get(pk=case.pk).status == Status.REOPENED


def test_messages_to_an_unregistered_person_are_refused(make_case, post_amman):
    walk_in = make_case(None, organisation=post_amman)
    with pytest.raises(CaseError):
        services.send_message(walk_in, "Hello")
    assert not CaseMessage.objects.exists()


def test_notes_and_messages_are_audited(case, officer):
    services.add_note(case, "Internal", user=officer)
    services.send_message(case, "We are on it", user=officer)
    types = set(AuditEntry.objects.filter(action=AuditAction.CREATE).values_list("object_type", flat=True))
    assert {"cases.case", "cases.caseevent", "cases.internalnote", "cases.casemessage"} <= types
    assert InternalNote.objects.get().text == "Internal"


def _upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_photo_is_re_encoded_without_exif(settings, tmp_path, person):
    settings.MEDIA_ROOT = tmp_path
    original = image_bytes(exif_gps=True)
    assert Image.open(_upload(original)).getexif()
    case, _ = services.create_case(
        registration=person, category="medical", summary="Injury", photo=_upload(original)
    )
    name = case.photo.name
    assert name.startswith("cases/") and len(name) > 30 and "photo" not in name
    with Image.open(case.photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif() and stored.size == (40, 30)


def test_a_png_stays_a_png(settings, tmp_path, person):
    settings.MEDIA_ROOT = tmp_path
    case, _ = services.create_case(
        registration=person,
        category="medical",
        summary="x",
        photo=_upload(image_bytes("PNG"), "a.png", "image/png"),
    )
    assert case.photo.name.endswith(".png")


def test_a_photo_that_is_not_an_image_is_refused(person):
    with pytest.raises(CaseError, match="JPEG or PNG"):
        services.create_case(
            registration=person, category="medical", summary="x", photo=_upload(b"<html>not an image</html>")
        )
    gif = Image.new("RGB", (5, 5))
    import io

    buffer = io.BytesIO()
    gif.save(buffer, format="GIF")
    with pytest.raises(CaseError, match="JPEG or PNG"):
        services.create_case(
            registration=person, category="medical", summary="x", photo=_upload(buffer.getvalue(), "a.gif")
        )
    assert not Case.objects.exists()


def test_a_huge_photo_is_refused(person):
    huge = image_bytes() + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(CaseError, match="too large"):
        services.create_case(registration=person, category="medical", summary="x", photo=_upload(huge))
    assert not Case.objects.exists()


def test_a_bad_location_is_refused(person):
    with pytest.raises(CaseError):
        services.create_case(registration=person, category="medical", summary="x", location="here")
    with pytest.raises(CaseError):
        services.create_case(registration=person, category="medical", summary="x", location="95,10")
    case, _ = services.create_case(
        registration=person, category="medical", summary="x", location="31.95, 35.91"
    )
    assert case.location == "31.950000,35.910000"


def test_help_by_sms_opens_a_case_for_the_registration_with_that_phone(person):
    case = services.open_case_by_phone(person.phone, "help  Employer locked me in")
    assert case.registration == person and case.source == "sms" and case.summary == "Employer locked me in"
    assert (
        services.open_case_by_phone(person.phone, "HELP Employer locked me in").pk == case.pk
    )  # a resent SMS
    assert services.open_case_by_phone("+639170000000", "HELP") is None
    assert Case.objects.count() == 1


def test_dashboard_counts_open_cases_by_post_category_priority_and_age(
    make_case, person, make_registration, post_beirut
):
    a = make_case(person)
    make_case(person, category="medical", priority="critical")
    make_case(make_registration(post_beirut))
    Case.objects.filter(pk=a.pk).update(created=timezone.now() - datetime.timedelta(days=2))
    closed = make_case(person, category="shelter")
    services.change_status(closed, Status.CLOSED)
    figures = services.dashboard(Case.objects.all())
    assert figures["total"] == 3
    assert sorted(row["n"] for row in figures["by_post"]) == [1, 2]
    assert {str(k): v for k, v in figures["by_category"]} == {
        "Lost or stolen documents": 2,
        "Medical emergency": 1,
    }
    assert {str(k): v for k, v in figures["by_priority"]} == {"Normal": 2, "Critical": 1}
    assert [n for _label, n in figures["by_age"]] == [2, 1, 0, 0]
    assert CaseEvent.objects.filter(case=closed, kind=EventKind.STATUS).exists()


def test_a_photo_has_no_public_url_and_lands_in_media_root(settings, tmp_path, person):
    settings.MEDIA_ROOT = tmp_path
    case, _ = services.create_case(
        registration=person, category="medical", summary="x", photo=_upload(image_bytes())
    )
    assert (tmp_path / case.photo.name).exists()
    with pytest.raises(ValueError):
        _ = case.photo.url
