"""Events, registration and its waiting list, signed attendance passes, certificates, scoping, masking,
the calendar file (read back by vobject), the participants' XLSX (openpyxl) and the certificate's PDF
(pypdf) with its QR code decoded from the rendered page (zxing-cpp)."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lifeline.core.errors import Invalid
from lifeline.core.models import AuditAction, AuditEntry, Role, Scope
from lifeline.training import certificates, services
from lifeline.training.models import Attendance, Certificate, Event, Participant, ParticipantStatus

START = timezone.make_aware(datetime.datetime(2027, 3, 2, 9, 0))


@pytest.fixture
def trainer(make_user, org_a):
    return make_user(org_a, role=Role.TRAINER, scope=Scope.OWN)


@pytest.fixture
def other_trainer(make_user, org_b):
    return make_user(org_b, role=Role.TRAINER, scope=Scope.OWN)


@pytest.fixture
def viewer(make_user, org_a):
    return make_user(org_a, role=Role.VIEWER, scope=Scope.OWN)


def make_event(by, organisation, **extra):
    values = {
        "organisation": organisation,
        "title": "Workshop on migrants in emergencies",
        "type": "workshop",
        "stream": "host",
        "level": "national",
        "audiences": ["responders", "consular"],
        "venue": "Amman, Civil Defence academy",
        "starts": START,
        "ends": START + datetime.timedelta(days=1, hours=8),
        "capacity": 2,
        "attendance_required": 100,
        **extra,
    }
    event, _warning = services.save_event(by, None, values)
    return event


def add_sessions(by, event, n=2):
    return [
        services.save_session(
            by,
            event,
            None,
            {
                "title": f"Session {i}",
                "starts": START + datetime.timedelta(hours=2 * i),
                "ends": START + datetime.timedelta(hours=2 * i + 1),
                "facilitators": "A. Trainer",
            },
        )
        for i in range(n)
    ]


def person(event, name, email, **extra):
    return services.register(
        event,
        {
            "name": name,
            "email": email,
            "organisation_name": "Red Crescent",
            "institution_type": "red_cross",
            "level": "local",
            "consent": True,
            **extra,
        },
        client="203.0.113.9",
    )


def test_recommended_lengths_warn_when_the_dates_differ(trainer, org_a):
    assert services.length_warning("workshop", START, START + datetime.timedelta(hours=8)) == ""
    assert "3–5 days" in services.length_warning("tot", START, START + datetime.timedelta(days=1))
    assert "2–4 hours" in services.length_warning("demonstration", START, START + datetime.timedelta(hours=6))
    assert services.length_warning("consultation", START, START + datetime.timedelta(days=9)) == ""
    _event, warning = services.save_event(
        trainer,
        None,
        {
            "organisation": org_a,
            "title": "ToT",
            "type": "tot",
            "starts": START,
            "ends": START + datetime.timedelta(hours=5),
        },
    )
    assert "training of trainers" in warning


def test_bad_event_input_is_refused_and_nothing_is_saved(trainer, org_a, org_b):
    with pytest.raises(Invalid) as refused:
        services.save_event(
            trainer,
            None,
            {"organisation": org_b, "title": "", "starts": START, "ends": START, "audiences": ["martians"]},
        )
    assert set(refused.value.errors) >= {"organisation", "title", "ends", "audiences"}
    assert not Event.objects.exists()


def test_a_replica_links_to_a_training_of_trainers(trainer, org_a):
    tot = make_event(trainer, org_a, type="tot", ends=START + datetime.timedelta(days=3))
    replica = make_event(trainer, org_a, type="follow_up", replicates=tot)
    assert list(tot.replicas.all()) == [replica]
    workshop = make_event(trainer, org_a)
    with pytest.raises(Invalid):
        make_event(trainer, org_a, replicates=workshop)


def test_full_events_put_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(trainer, org_a):
    event = make_event(trainer, org_a)
    first = person(event, "Amal", "amal@example.org")
    second = person(event, "Bilal", "bilal@example.org")
    third = person(event, "Chandra", "chandra@example.org")
    fourth = person(event, "Dina", "dina@example.org")
    assert [p.status for p in (first, second, third, fourth)] == [
        "registered",
        "registered",
        "waiting",
        "waiting",
    ]
    promoted = services.cancel(first, by=trainer)
    assert promoted == third
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == ParticipantStatus.REGISTERED and fourth.status == ParticipantStatus.WAITING
    # A larger room: the waiting list moves up.
    services.save_event(
        trainer, event, {"capacity": 3, "title": event.title, "starts": event.starts, "ends": event.ends}
    )
    fourth.refresh_from_db()
    assert fourth.status == ParticipantStatus.REGISTERED


def test_registration_refuses_a_replay_missing_consent_and_a_closed_event(trainer, org_a):
    event = make_event(trainer, org_a)
    person(event, "Amal", "amal@example.org")
    with pytest.raises(Invalid) as replay:
        person(event, "Amal again", "AMAL@example.org")
    assert "email" in replay.value.errors
    with pytest.raises(Invalid) as no_consent:
        person(event, "Bilal", "bilal@example.org", consent=False)
    assert "consent" in no_consent.value.errors
    assert event.participants.count() == 1
    event.registration_open = False
    event.save()
    with pytest.raises(Invalid):
        person(event, "Chandra", "chandra@example.org")


def test_the_public_form_is_rate_limited_per_client(trainer, org_a, settings):
    settings.PUBLIC_SENDS_PER_CLIENT = 2
    event = make_event(trainer, org_a)
    event.capacity = 50
    event.save()
    person(event, "One", "one@example.org")
    person(event, "Two", "two@example.org")
    with pytest.raises(Invalid) as refused:
        person(event, "Three", "three@example.org")
    assert "__all__" in refused.value.errors
    assert event.participants.count() == 2


def test_passes_are_signed_counted_once_and_refused_for_another_event(trainer, org_a):
    event = make_event(trainer, org_a)
    other = make_event(trainer, org_a, title="Another event")
    session, _second = add_sessions(trainer, event)
    (other_session,) = add_sessions(trainer, other, n=1)
    amal = person(event, "Amal", "amal@example.org")
    token = services.make_pass(amal)
    assert str(amal.pk) != token and ":" in token
    assert services.record_scan(trainer, session, token) == amal
    with pytest.raises(services.PassRefused, match="counts once"):
        services.record_scan(trainer, session, token)
    with pytest.raises(services.PassRefused, match="another event"):
        services.record_scan(trainer, other_session, token)
    with pytest.raises(services.PassRefused, match="not a valid pass"):
        services.record_scan(trainer, session, token[:-3] + "abc")
    with pytest.raises(services.PassRefused, match="not a valid pass"):
        services.record_scan(trainer, session, str(amal.pk))
    assert Attendance.objects.filter(participant=amal).count() == 1
    # A cancelled registration voids its pass.
    services.cancel(amal, by=trainer)
    with pytest.raises(services.PassRefused, match="no longer valid"):
        services.record_scan(trainer, _second, token)


def test_the_tick_list_sets_exactly_who_was_present(trainer, org_a):
    event = make_event(trainer, org_a)
    session, _ = add_sessions(trainer, event)
    amal, bilal = person(event, "Amal", "a@example.org"), person(event, "Bilal", "b@example.org")
    waiting = person(event, "Chandra", "c@example.org")
    assert services.set_attendance(trainer, session, [amal.pk, waiting.pk]) == 1
    services.set_attendance(trainer, session, [bilal.pk])
    assert list(session.attendance.values_list("participant_id", flat=True)) == [bilal.pk]


def test_certificates_need_the_required_attendance_verify_and_revoke(trainer, org_a, client):
    event = make_event(trainer, org_a)
    first, second = add_sessions(trainer, event)
    amal = person(event, "Amal Haddad", "a@example.org")
    services.record_scan(trainer, first, services.make_pass(amal))
    with pytest.raises(Invalid, match="50 % of the sessions"):
        certificates.issue_for_participant(trainer, amal)
    event.attendance_required = 50
    event.save()
    certificate = certificates.issue_for_participant(trainer, amal)
    with pytest.raises(Invalid):
        certificates.issue_for_participant(trainer, amal)
    assert len(certificate.code) >= 20 and str(certificate.pk) not in certificate.code[:3]
    page = client.get(reverse("training:verify", args=[certificate.code]))
    assert page.status_code == 200
    assert "Amal Haddad" in page.text and "This certificate is valid." in page.text
    assert client.get(reverse("training:verify", args=[str(certificate.pk)])).status_code == 404
    with pytest.raises(Invalid):
        certificates.revoke(trainer, certificate, "  ")
    certificates.revoke(trainer, certificate, "Attendance sheet was forged")
    entry = AuditEntry.objects.filter(object_type="training.certificate", action=AuditAction.UPDATE).last()
    assert entry.reason == "Attendance sheet was forged" and entry.actor_id == trainer.pk
    page = client.get(reverse("training:verify", args=[certificate.code]))
    assert "This certificate was revoked." in page.text
    # A revoked certificate may be replaced by a new one.
    assert certificates.issue_for_participant(trainer, amal).valid


def test_another_organisation_sees_and_changes_nothing(trainer, other_trainer, org_a, login):
    event = make_event(trainer, org_a)
    (session,) = add_sessions(trainer, event, n=1)
    amal = person(event, "Amal", "a@example.org")
    assert not Event.objects.for_user(other_trainer).exists()
    assert not Participant.objects.for_user(other_trainer).exists()
    with pytest.raises(PermissionDenied):
        services.record_scan(other_trainer, session, services.make_pass(amal))
    with pytest.raises(PermissionDenied):
        services.save_session(other_trainer, event, None, {"title": "x", "starts": START, "ends": START})
    with pytest.raises(PermissionDenied):
        services.participants_xlsx(other_trainer, event)
    with pytest.raises(PermissionDenied):
        certificates.issue_for_participant(other_trainer, amal)
    client = login(other_trainer)
    assert client.get(reverse("training:event", args=[event.pk])).status_code == 404
    assert client.get(reverse("training:index")).status_code == 200


def test_roles_without_personal_see_participants_masked_and_views_are_audited(
    trainer, viewer, org_a, login, client
):
    event = make_event(trainer, org_a)
    person(event, "Amal Haddad", "amal.haddad@example.org", access_needs="Wheelchair access")
    page = login(viewer).get(reverse("training:event", args=[event.pk]))
    assert page.status_code == 200
    assert "Amal Haddad" not in page.text and "amal.haddad@example.org" not in page.text
    assert "Wheelchair" not in page.text and "•••" in page.text and "Red Crescent" in page.text
    assert not AuditEntry.objects.filter(object_type="training.participant", action=AuditAction.VIEW).exists()
    client.logout()
    page = login(trainer).get(reverse("training:event", args=[event.pk]))
    assert "Amal Haddad" in page.text and "amal.haddad@example.org" in page.text
    viewed = AuditEntry.objects.filter(object_type="training.participant", action=AuditAction.VIEW)
    assert viewed.count() == 1 and viewed.get().actor_id == trainer.pk


def test_the_participants_xlsx_is_read_back_and_its_export_audited(trainer, org_a, login):
    event = make_event(trainer, org_a)
    add_sessions(trainer, event)
    person(event, "Amal Haddad", "amal@example.org", sex="female")
    response = login(trainer).get(reverse("training:export", args=[event.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:3] == ["Name", "Email", "Phone"]
    assert (
        rows[1][0] == "Amal Haddad"
        and rows[1][1] == "amal@example.org"
        and rows[1][header.index("Sex")] == "Female"
    )
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, object_type="training.participant")
    assert "email" in entry.fields and entry.actor_id == trainer.pk


def test_the_calendar_file_reads_back_with_vobject(trainer, org_a, client):
    import vobject

    event = make_event(trainer, org_a)
    add_sessions(trainer, event)
    response = client.get(reverse("training:ics", args=[event.public_code]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = vobject.readOne(response.content.decode())
    events = calendar.vevent_list
    assert len(events) == 3
    assert events[0].summary.value == event.title
    assert events[0].dtstart.value == START and events[0].location.value == event.venue
    assert events[1].summary.value.endswith("Session 0") and "A. Trainer" in events[1].description.value


def test_invitations_go_through_the_messaging_engine(
    trainer, org_a, django_capture_on_commit_callbacks, mailoutbox
):
    from lifeline.messaging.models import Send

    event = make_event(trainer, org_a)
    with pytest.raises(Invalid):
        services.invite(
            trainer, event, ["not an address"], register_url="https://x/r", calendar_url="https://x/c"
        )
    with django_capture_on_commit_callbacks(execute=True):
        send = services.invite(
            trainer,
            event,
            ["a@example.org", "b@example.org", "A@example.org"],
            register_url="https://lifeline.example/training/e/x/",
            calendar_url="https://lifeline.example/training/e/x/event.ics",
        )
    assert Send.objects.get(pk=send.pk).source == "training"
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert "event.ics" in mailoutbox[0].body and event.title in mailoutbox[0].body


def test_public_registration_page_registers_and_shows_the_pass(trainer, org_a, client, jordan):
    event = make_event(trainer, org_a)
    url = reverse("training:register", args=[event.public_code])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "", "organisation_name": "", "institution_type": "ngo", "level": "local"})
    assert bad.status_code == 400 and not Participant.objects.exists()
    response = client.post(
        url,
        {
            "name": "Amal Haddad",
            "organisation_name": "Red Crescent",
            "institution_type": "red_cross",
            "level": "local",
            "country": "Jordan",
            "email": "amal@example.org",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    amal = Participant.objects.get()
    assert amal.country == jordan and amal.consent_at is not None
    page = client.get(response["Location"])
    assert "<svg" in page.text and services.make_pass(amal) in page.text
    assert client.get(reverse("training:pass", args=["forged"])).status_code == 404
    assert client.get(reverse("training:register", args=[str(event.pk)])).status_code == 404


def test_the_certificate_pdf_carries_its_qr_code_to_the_verification_page(trainer, org_a, login):
    import pypdf
    import zxingcpp
    from PIL import Image

    event = make_event(trainer, org_a, attendance_required=50)
    first, _second = add_sessions(trainer, event)
    amal = person(event, "Amal Haddad", "a@example.org")
    services.record_scan(trainer, first, services.make_pass(amal))
    certificate = certificates.issue_for_participant(trainer, amal)
    response = login(trainer).get(reverse("training:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Amal Haddad" in text and event.title in text
    images = reader.pages[0].images
    assert images, "the QR code is an image in the PDF"
    image = Image.open(io.BytesIO(images[0].data))
    found = zxingcpp.read_barcodes(image)
    expected = "http://testserver" + reverse("training:verify", args=[certificate.code])
    assert [r.text for r in found] == [expected]
    assert Certificate.objects.filter(code=expected.rstrip("/").rsplit("/", 1)[-1]).get() == certificate


def test_a_person_cancels_from_their_page_and_the_first_waiting_gets_the_place_by_email(
    trainer, org_a, client, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event(trainer, org_a, capacity=1)
    url = reverse("training:register", args=[event.public_code])
    form = {
        "organisation_name": "Red Crescent",
        "institution_type": "red_cross",
        "level": "local",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {**form, "name": "Amal", "email": "amal@example.org"})
        second = client.post(url, {**form, "name": "Bilal", "email": "bilal@example.org"})
    assert first.status_code == second.status_code == 302
    assert [m.to[0] for m in mailoutbox] == ["amal@example.org", "bilal@example.org"]
    assert "You are registered for" in mailoutbox[0].body and first["Location"] in mailoutbox[0].body
    assert "waiting list" in mailoutbox[1].body
    waiting_page = client.get(second["Location"])
    assert "You are on the waiting list." in waiting_page.text and "<svg" not in waiting_page.text
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(first["Location"] + "cancel/")
    assert done.status_code == 200
    amal, bilal = Participant.objects.order_by("pk")
    assert amal.status == "cancelled" and bilal.status == "registered"
    assert mailoutbox[-1].to == ["bilal@example.org"] and "You are registered for" in mailoutbox[-1].body
    # The cancelled pass no longer opens the page; Bilal's old link now shows the QR code.
    assert client.get(first["Location"]).status_code == 404
    assert "<svg" in client.get(second["Location"]).text


def test_the_registration_page_reads_right_to_left_in_arabic(trainer, org_a, client):
    event = make_event(trainer, org_a)
    page = client.get(reverse("training:register", args=[event.public_code]), HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in page.text and "اسمك" in page.text


def test_the_one_certificate_service_issues_without_an_event_for_elearning(trainer, org_a, org_b):
    certificate = certificates.issue(
        trainer, organisation=org_a, holder_name="Amal Haddad", title="Migrants in emergencies (course)"
    )
    assert certificates.verify(certificate.code) == certificate and certificate.issuer_name == org_a.name
    assert certificates.verify("") is None and certificates.verify("x" * 40) is None
    with pytest.raises(PermissionDenied):
        certificates.issue(trainer, organisation=org_b, holder_name="X", title="Y")
    with pytest.raises(Invalid):
        certificates.issue(trainer, organisation=org_a, holder_name=" ", title="Y")


def test_the_home_counts_the_events_to_come_as_the_list_behind_its_link(
    trainer, other_trainer, org_a, org_b, login
):
    make_event(trainer, org_a)
    make_event(
        trainer,
        org_a,
        title="Past",
        starts=START.replace(year=2020),
        ends=START.replace(year=2020) + datetime.timedelta(hours=8),
    )
    make_event(other_trainer, org_b, title="Elsewhere")
    client = login(trainer)
    home = client.get("/")
    assert home.status_code == 200
    card = home.text.split('id="home-training"')[1].split("</a>")[0]
    assert '<span class="n">1</span>' in card
    listed = client.get(reverse("training:index") + "?when=upcoming")
    assert (
        "Workshop on migrants" in listed.text and "Past" not in listed.text and "Elsewhere" not in listed.text
    )


def test_a_bad_phone_number_or_country_is_refused_with_the_reason_and_nothing_is_saved(
    trainer, org_a, client
):
    event = make_event(trainer, org_a)
    form = {
        "name": "Amal",
        "organisation_name": "Red Crescent",
        "institution_type": "red_cross",
        "level": "local",
        "consent": "on",
    }
    url = reverse("training:register", args=[event.public_code])
    response = client.post(url, {**form, "phone": "12"})
    assert response.status_code == 400 and "“12” is not a valid phone number." in response.text
    response = client.post(url, {**form, "email": "amal@example.org", "country": "Atlantis"})
    assert response.status_code == 400 and "is not a country we know" in response.text
    assert not Participant.objects.exists()
    ok = person(event, "Bilal", "", phone="079 123 4567")
    assert ok.phone == "+962791234567"


def test_a_session_is_removed_from_the_agenda_by_its_organiser_only(
    trainer, other_trainer, org_a, login, client
):
    event = make_event(trainer, org_a)
    first, second = add_sessions(trainer, event)
    url = reverse("training:session_delete", args=[event.pk, first.pk])
    assert login(other_trainer).post(url).status_code == 404
    client.logout()
    assert login(trainer).post(url).status_code == 302
    assert list(event.sessions.all()) == [second]
