import datetime

from django.db import connection
from django.urls import reverse

from lifeline.core.models import AuditEntry, Role
from lifeline.interpreters.models import AvailabilityWindow, Deployment, Interpreter, LanguagePair

from .conftest import make_interpreter

PHONE = "+962791234567"


def form_data(organisation, **overrides):
    """A complete POST for the create/edit page, with empty formsets."""
    data = {
        "organisation": organisation.pk,
        "full_name": "Ana Reyes",
        "engagement": "volunteer",
        "vetting": "not_vetted",
        "travel_range_km": "0",
        "consent_stored": "on",
        "consent_contact": "on",
        "active": "on",
        "pairs-TOTAL_FORMS": "0",
        "pairs-INITIAL_FORMS": "0",
        "windows-TOTAL_FORMS": "0",
        "windows-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_list_shows_own_organisation_only(login, make_user, org_a, org_b, maria):
    make_interpreter(org_b, "Other agency's interpreter")
    response = login(make_user(org_a, role=Role.VIEWER)).get(reverse("interpreters:list"))
    assert response.status_code == 200
    assert b"Maria Santos" in response.content
    assert b"Other agency" not in response.content
    assert PHONE.encode() not in response.content


def test_other_organisation_gets_404(login, make_user, org_b, maria):
    client = login(make_user(org_b, role=Role.COORDINATOR))
    # Languages and availability are shared with organisations covering her area; her contacts are not.
    detail = client.get(reverse("interpreters:detail", args=[maria.pk]))
    assert detail.status_code in (200, 404) and PHONE.encode() not in detail.content
    assert client.get(reverse("interpreters:edit", args=[maria.pk])).status_code == 404
    assert client.post(reverse("interpreters:delete", args=[maria.pk])).status_code == 404
    assert Interpreter.objects.filter(pk=maria.pk).exists()


def test_viewer_cannot_change(login, make_user, org_a, maria):
    client = login(make_user(org_a, role=Role.VIEWER))
    assert client.get(reverse("interpreters:create")).status_code == 403
    assert client.get(reverse("interpreters:edit", args=[maria.pk])).status_code == 403
    assert client.post(reverse("interpreters:delete", args=[maria.pk])).status_code == 403
    response = client.post(reverse("interpreters:deployment_add", args=[maria.pk]), {"date": "2026-01-01"})
    assert response.status_code == 403
    assert Interpreter.objects.filter(pk=maria.pk).exists() and not maria.deployments.exists()


def test_viewer_sees_masked_contact_details_and_no_audit(login, make_user, org_a, maria):
    response = login(make_user(org_a, role=Role.VIEWER)).get(reverse("interpreters:detail", args=[maria.pk]))
    assert response.status_code == 200
    assert PHONE.encode() not in response.content and b"maria@example.org" not in response.content
    assert b"Hidden" in response.content
    assert b"Filipino" in response.content and "→".encode() in response.content
    assert not AuditEntry.objects.filter(action="view").exists()


def test_officer_view_is_audited(login, make_user, org_a, maria):
    user = make_user(org_a, role=Role.OFFICER)
    response = login(user).get(reverse("interpreters:detail", args=[maria.pk]))
    assert PHONE.encode() in response.content and b"maria@example.org" in response.content
    entry = AuditEntry.objects.get(action="view", object_id=str(maria.pk))
    assert entry.actor_id == user.pk
    assert entry.object_type == "interpreters.interpreter"
    assert entry.fields == ["email", "messaging", "phone"]


def test_personal_fields_are_encrypted_at_rest(maria):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, email, messaging FROM interpreters_interpreter WHERE id = %s", [maria.pk]
        )
        row = cursor.fetchone()
    for raw in row:
        assert raw.startswith("gAAAA")
        assert PHONE not in raw and "maria@example.org" not in raw and "whatsapp" not in raw
    maria.refresh_from_db()
    assert maria.phone == PHONE


def test_create_without_consent_is_refused(login, make_user, org_a):
    data = form_data(org_a)
    del data["consent_stored"]
    response = login(make_user(org_a)).post(reverse("interpreters:create"), data)
    assert response.status_code == 200
    assert "No consent, no record" in response.content.decode()
    assert not Interpreter.objects.exists()


def test_create_with_pairs_and_windows_normalises_and_audits(login, make_user, org_a, areas):
    data = form_data(
        org_a,
        phone="+962 79 123 4567",
        email="ana@example.org",
        messaging="telegram:@anareyes",
        modalities=["remote_video", "consecutive"],
        specialisations=["medical"],
        home_area=areas["amman"].pk,
        **{
            "pairs-TOTAL_FORMS": "1",
            "pairs-0-source": "tl",
            "pairs-0-target": "es",
            "pairs-0-proficiency": "4",
            "pairs-0-dialect": "Batangueño",
            "pairs-0-script": "latn",
            "windows-TOTAL_FORMS": "1",
            "windows-0-weekday": "5",
            "windows-0-start": "10:00",
            "windows-0-end": "14:00",
        },
    )
    response = login(make_user(org_a)).post(reverse("interpreters:create"), data)
    assert response.status_code == 302
    ana = Interpreter.objects.get(full_name="Ana Reyes")
    assert ana.phone == PHONE
    assert ana.modalities == ["consecutive", "remote_video"]
    pair = ana.pairs.get()
    assert (pair.source.code, pair.target.code, pair.both_directions, pair.proficiency) == (
        "fil",
        "es",
        False,
        4,
    )
    assert pair.script == "Latn"
    window = ana.availability.get()
    assert (window.weekday, window.start, window.end) == (5, datetime.time(10), datetime.time(14))
    assert AuditEntry.objects.filter(action="create", object_id=str(ana.pk)).exists()


def test_bad_phone_language_and_window_are_errors(login, make_user, org_a):
    data = form_data(
        org_a,
        phone="12",
        **{
            "pairs-TOTAL_FORMS": "1",
            "pairs-0-source": "xx",
            "pairs-0-target": "es",
            "pairs-0-proficiency": "3",
            "windows-TOTAL_FORMS": "1",
            "windows-0-weekday": "0",
            "windows-0-start": "17:00",
            "windows-0-end": "09:00",
        },
    )
    body = login(make_user(org_a)).post(reverse("interpreters:create"), data).content.decode()
    assert "is not a valid phone number" in body
    assert "is not a language we know" in body
    assert "“Until” must be after “from”." in body
    assert not Interpreter.objects.exists()


def test_pair_listed_twice_is_an_error(login, make_user, org_a):
    data = form_data(
        org_a,
        **{
            "pairs-TOTAL_FORMS": "2",
            "pairs-0-source": "ar",
            "pairs-0-target": "en",
            "pairs-0-proficiency": "3",
            "pairs-0-both_directions": "on",
            "pairs-1-source": "en",
            "pairs-1-target": "ar",
            "pairs-1-proficiency": "2",
        },
    )
    body = login(make_user(org_a)).post(reverse("interpreters:create"), data).content.decode()
    assert "is listed twice" in body
    assert not Interpreter.objects.exists()


def test_edit_replaces_pairs_and_records_the_change(login, make_user, org_a, maria):
    pair = maria.pairs.get()
    window = maria.availability.get()
    data = form_data(
        org_a,
        full_name="Maria Santos",
        phone=PHONE,
        **{
            "pairs-TOTAL_FORMS": "2",
            "pairs-INITIAL_FORMS": "1",
            "pairs-0-id": pair.pk,
            "pairs-0-source": "fil",
            "pairs-0-target": "es",
            "pairs-0-proficiency": "4",
            "pairs-0-DELETE": "on",
            "pairs-1-source": "ar",
            "pairs-1-target": "en",
            "pairs-1-proficiency": "3",
            "pairs-1-both_directions": "on",
            "windows-TOTAL_FORMS": "1",
            "windows-INITIAL_FORMS": "1",
            "windows-0-id": window.pk,
            "windows-0-weekday": "0",
            "windows-0-start": "09:00",
            "windows-0-end": "17:00",
        },
    )
    response = login(make_user(org_a)).post(reverse("interpreters:edit", args=[maria.pk]), data)
    assert response.status_code == 302
    assert [str(p) for p in maria.pairs.all()] == ["Arabic ↔ English"]
    assert AuditEntry.objects.filter(action="update", object_id=str(maria.pk), fields=["pairs"]).exists()


def test_delete_is_consent_withdrawal_and_erases_everything(login, make_user, org_a, maria):
    Deployment.objects.create(
        interpreter=maria, date=datetime.date(2026, 1, 5), place="Amman", event="Floods", hours=4
    )
    response = login(make_user(org_a)).post(reverse("interpreters:delete", args=[maria.pk]))
    assert response.status_code == 302
    assert not Interpreter.objects.filter(pk=maria.pk).exists()
    assert (
        not LanguagePair.objects.exists()
        and not AvailabilityWindow.objects.exists()
        and not Deployment.objects.exists()
    )
    assert AuditEntry.objects.filter(action="delete", object_id=str(maria.pk)).exists()


def test_deployment_log_newest_first_and_rating_checked(login, make_user, org_a, maria):
    client = login(make_user(org_a))
    url = reverse("interpreters:deployment_add", args=[maria.pk])
    entry = {
        "place": "Irbid hospital",
        "event": "Earthquake",
        "hours": "3.5",
        "rating": "5",
        "feedback": "Calm",
    }
    assert client.post(url, {**entry, "date": "2026-02-01"}).status_code == 302
    assert client.post(url, {**entry, "date": "2026-03-01", "event": "Flood drill"}).status_code == 302
    response = client.post(url, {**entry, "date": "2026-04-01", "rating": "6"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 5." in response.content.decode()
    assert [d.event for d in maria.deployments.all()] == ["Flood drill", "Earthquake"]
    body = client.get(reverse("interpreters:detail", args=[maria.pk])).content.decode()
    assert body.index("Flood drill") < body.index("Earthquake")


def test_list_filters_by_language_name_and_modality(login, make_user, org_a, maria):
    make_interpreter(org_a, "Sign interpreter", pairs=[("jos", "ar")], modalities=["sign"])
    client = login(make_user(org_a))
    body = client.get(reverse("interpreters:list"), {"language": "Tagalog"}).content
    assert b"Maria Santos" in body and b"Sign interpreter" not in body
    body = client.get(reverse("interpreters:list"), {"modality": "sign"}).content
    assert b"Sign interpreter" in body and b"Maria Santos" not in body


def test_edit_page_shows_pairs_and_audits_the_contact_details_it_shows(login, make_user, org_a, maria):
    user = make_user(org_a)
    response = login(user).get(reverse("interpreters:edit", args=[maria.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        'name="pairs-0-source" value="Filipino (fil)"' in body
        and 'name="windows-0-start" value="09:00"' in body
    )
    assert PHONE in body
    assert AuditEntry.objects.filter(action="view", actor_id=user.pk, object_id=str(maria.pk)).exists()


def test_search_page_starts_with_remote_included(login, make_user, org_a):
    body = login(make_user(org_a)).get(reverse("interpreters:search")).content.decode()
    assert 'name="remote_ok" id="id_remote_ok" checked' in body


def test_same_language_twice_and_certification_without_tick_are_errors(login, make_user, org_a):
    data = form_data(
        org_a,
        **{
            "pairs-TOTAL_FORMS": "2",
            "pairs-0-source": "ar",
            "pairs-0-target": "ara",
            "pairs-0-proficiency": "3",
            "pairs-1-source": "fr",
            "pairs-1-target": "ar",
            "pairs-1-proficiency": "3",
            "pairs-1-certification": "ATA",
        },
    )
    body = login(make_user(org_a)).post(reverse("interpreters:create"), data).content.decode()
    assert "A language pair needs two different languages." in body
    assert "Tick “certified” when you name a certification." in body
    assert not Interpreter.objects.exists()
