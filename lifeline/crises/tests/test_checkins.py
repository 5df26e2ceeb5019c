import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from lifeline.core.models import AuditEntry, Role
from lifeline.crises import services
from lifeline.crises.models import CheckInAnswer, CheckInRequest, CheckInStatus
from lifeline.nationals.models import Consent, DeviceToken, Purpose


@pytest.fixture
def campaign(make_crisis, people, officer):
    Consent.objects.create(registration=people["inside"][2], purpose=Purpose.CRISIS_MESSAGES)
    people["inside"][2].languages = ["es", "en"]
    people["inside"][2].save()
    crisis = make_crisis()
    with_callbacks = services.start_campaign(crisis, {"en": "Are you safe?", "es": "¿Está a salvo?"}, officer)
    return with_callbacks


@pytest.fixture
def device(people):
    _token, raw = DeviceToken.issue(people["inside"][0], label="phone")
    return {"HTTP_AUTHORIZATION": f"Device {raw}"}


def test_a_campaign_asks_everyone_inside_and_emails_those_who_agreed(
    django_capture_on_commit_callbacks, make_crisis, people, officer
):
    for registration in people["inside"]:
        registration.email = f"p{registration.pk}@example.org"
        registration.save()
    Consent.objects.create(registration=people["inside"][1], purpose=Purpose.CRISIS_MESSAGES)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(
            make_crisis(), {"en": "Are you safe?", "ar": "هل أنت بأمان؟"}, officer
        )
    assert set(campaign.requests.values_list("registration_id", flat=True)) == {
        r.pk for r in people["inside"]
    }
    assert services.board_counts(campaign)[CheckInStatus.NO_ANSWER] == 3
    assert len(mail.outbox) == 1  # only the one who agreed to crisis messages, through the messaging engine
    assert mail.outbox[0].to == [people["inside"][1].email] and "هل أنت بأمان؟" in mail.outbox[0].body
    from lifeline.messaging.models import Delivery, Send

    send = Send.objects.get(source=f"campaign:{campaign.pk}")
    assert Delivery.objects.filter(send=send).count() == 1
    # A retried dispatch sends nothing more.
    assert services.dispatch_campaign(campaign) == send and len(mail.outbox) == 1


def test_a_campaign_needs_a_message_and_an_active_crisis(make_crisis, people, officer):
    from django.core.exceptions import ValidationError

    crisis = make_crisis()
    with pytest.raises(ValidationError):
        services.start_campaign(crisis, {"en": "  "}, officer)
    services.close_crisis(crisis)
    with pytest.raises(ValidationError):
        services.start_campaign(crisis, {"en": "Safe?"}, officer)


def test_the_app_lists_open_requests_and_answers_once_per_key(client, campaign, people, device):
    listed = client.get("/api/app/checkins", **device).json()
    assert [r["campaign"] for r in listed] == [campaign.pk] and listed[0]["message"] == "Are you safe?"
    key = str(uuid.uuid4())
    payload = {
        "answer": "need_help",
        "note": "Water in the house",
        "idempotency_key": key,
        "location": "31.95,35.91",
    }
    first = client.post("/api/app/checkins", payload, content_type="application/json", **device)
    again = client.post(
        "/api/app/checkins", {**payload, "answer": "safe"}, content_type="application/json", **device
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"] is True
    request = CheckInRequest.objects.get(campaign=campaign, registration=people["inside"][0])
    assert (
        request.status == CheckInStatus.NEED_HELP and request.via == "app" and request.answered_at is not None
    )
    assert CheckInAnswer.objects.count() == 1
    assert (
        AuditEntry.objects.filter(object_type="crises.checkinanswer", action="create", via="app").count() == 1
    )


def test_the_app_refuses_bad_input_and_strangers(client, campaign, device, people):
    key = str(uuid.uuid4())
    assert (
        client.post(
            "/api/app/checkins",
            {"answer": "unreachable", "idempotency_key": key},
            content_type="application/json",
            **device,
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/app/checkins",
            {"answer": "safe", "idempotency_key": "nope"},
            content_type="application/json",
            **device,
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/app/checkins",
            {"answer": "safe", "idempotency_key": key, "location": "here"},
            content_type="application/json",
            **device,
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/app/checkins",
            {"answer": "safe", "idempotency_key": key, "campaign": 999999},
            content_type="application/json",
            **device,
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/app/checkins", {"answer": "safe", "idempotency_key": key}, content_type="application/json"
        ).status_code
        == 401
    )
    _token, raw = DeviceToken.issue(people["outside"])  # not in the area: nothing to answer
    assert (
        client.post(
            "/api/app/checkins",
            {"answer": "safe", "idempotency_key": key},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Device {raw}",
        ).status_code
        == 404
    )
    assert client.get("/api/app/checkins", HTTP_AUTHORIZATION=f"Device {raw}").json() == []
    assert not CheckInAnswer.objects.exists()


def test_an_sms_reply_answers_the_latest_open_request(campaign, people):
    phone = people["inside"][1].phone
    assert services.keyword_answer("help  we are on the roof") == CheckInStatus.NEED_HELP
    answer = services.answer_by_phone(phone, services.keyword_answer("SAFE thanks"), "SAFE thanks")
    assert answer.via == "sms" and answer.registration_id == people["inside"][1].pk
    assert CheckInRequest.objects.get(pk=answer.request_id).status == CheckInStatus.SAFE
    assert services.answer_by_phone("+10000000000", CheckInStatus.SAFE) is None
    assert services.answer_by_phone(people["outside"].phone, CheckInStatus.SAFE) is None


def test_a_closed_crisis_takes_no_more_answers(campaign, people):
    services.close_crisis(campaign.crisis)
    assert services.answer_by_phone(people["inside"][1].phone, CheckInStatus.SAFE) is None


def test_the_board_shows_counts_need_help_first_and_phones_only_to_personal_roles(
    login, officer, make_user, post_amman, campaign, people
):
    need = CheckInRequest.objects.get(campaign=campaign, registration=people["inside"][2])
    services.record_answer(CheckInStatus.NEED_HELP, "app", request=need)
    page = login(officer).get(reverse("crises:board", args=[campaign.pk]))
    rows = list(page.context["object_list"])
    assert rows[0].pk == need.pk
    assert page.context["counts"][CheckInStatus.NEED_HELP] == 1
    assert people["inside"][0].phone in page.content.decode()
    shown = AuditEntry.objects.filter(object_type="nationals.registration", action="view")
    assert sorted(shown.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in people["inside"])
    assert all(entry.fields == ["family_name", "given_names", "phone"] for entry in shown)
    viewer_page = login(make_user(post_amman, Role.VIEWER)).get(reverse("crises:board", args=[campaign.pk]))
    assert viewer_page.status_code == 200
    assert people["inside"][0].phone not in viewer_page.content.decode()
    assert people["inside"][0].given_names not in viewer_page.content.decode()  # names are personal too
    assert viewer_page.context["answer_form"] is None


def test_staff_log_a_phone_call_on_the_board(login, officer, campaign, people):
    request = CheckInRequest.objects.get(campaign=campaign, registration=people["inside"][1])
    url = reverse("crises:board_answer", args=[campaign.pk, request.pk])
    response = login(officer).post(
        url, {"answer": "unreachable", "via": "phone", "note": "No tone", "filters": "status=no_answer"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=no_answer")
    request.refresh_from_db()
    assert request.status == CheckInStatus.UNREACHABLE and request.via == "phone"
    answer = CheckInAnswer.objects.get()
    assert answer.by == officer and answer.note == "No tone"
    assert login(officer).post(url, {"answer": "no_answer"}).status_code == 302
    assert CheckInAnswer.objects.count() == 1


def test_the_follow_up_list_exports_those_who_did_not_answer(
    login, officer, make_user, post_amman, campaign, people
):
    services.record_answer(
        CheckInStatus.SAFE,
        "app",
        request=CheckInRequest.objects.get(campaign=campaign, registration=people["inside"][0]),
    )
    coordinator = make_user(post_amman, Role.COORDINATOR)
    csv = login(coordinator).get(reverse("crises:board_export", args=[campaign.pk])).content.decode()
    lines = csv.strip().splitlines()
    assert len(lines) == 3 and "phone" in lines[0]
    assert people["inside"][1].phone in csv and people["inside"][0].phone not in csv
    assert AuditEntry.objects.filter(action="export", object_type="crises.checkinrequest").exists()
    assert (
        login(make_user(post_amman, Role.VIEWER))
        .get(reverse("crises:board_export", args=[campaign.pk]))
        .status_code
        == 403
    )


def test_another_post_cannot_see_the_board(login, make_user, post_beirut, campaign):
    client = login(make_user(post_beirut, Role.COORDINATOR))
    assert client.get(reverse("crises:board", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("crises:board_export", args=[campaign.pk])).status_code == 404


def test_figures_count_people_by_post_area_stay_language_children_and_needs(make_crisis, people, post_amman):
    figures = services.figures(make_crisis())
    assert figures["nationals"] == 3 and figures["household_members"] == 1 and figures["people"] == 4
    assert figures["by_post"] == [
        {"key": str(post_amman.pk), "label": post_amman.name, "nationals": 3, "members": 1}
    ]
    assert {r["key"]: r["nationals"] for r in figures["by_stay_type"]} == {"resident_worker": 2, "student": 1}
    assert {r["key"]: r["nationals"] for r in figures["by_language"]} == {"fil": 2, "ar": 1}
    assert figures["by_area"][0]["label"] == "Amman"
    assert figures["children"] == {"unaccompanied": 0, "members_under_18": 1, "registered_under_18": 0}
    assert figures["special_needs"] == [
        {"key": "medical", "label": "Medical condition", "nationals": 1, "members": 0}
    ]


def test_an_answer_shows_as_answered_on_the_sending_dashboard(
    django_capture_on_commit_callbacks, make_crisis, people, officer
):
    from lifeline.messaging.models import Delivery

    person = people["inside"][1]
    person.email = "answers@example.org"
    person.save()
    Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer)
    request = campaign.requests.get(registration=person)
    services.record_answer(CheckInStatus.SAFE, "app", request=request)
    assert Delivery.objects.get(send__source=f"campaign:{campaign.pk}").state == "answered"


def test_the_plain_sql_read_of_the_open_request_follows_the_same_rule_as_open_requests(
    make_crisis, people, officer
):
    """The check-in hot path reads the open request in plain SQL; it must agree with ``open_requests``."""
    first = services.start_campaign(make_crisis(), {"en": "Safe?"}, officer)
    second = services.start_campaign(make_crisis(), {"en": "Still safe?"}, officer)

    def both(registration, **narrow):
        queryset = services.open_requests([registration.pk])
        if "request_id" in narrow:
            queryset = queryset.filter(pk=narrow["request_id"])
        if "campaign_id" in narrow:
            queryset = queryset.filter(campaign_id=narrow["campaign_id"])
        return services.open_request_id(registration.pk, **narrow), queryset.values_list(
            "pk", flat=True
        ).first()

    inside, outside = people["inside"][0], people["outside"]
    for registration in (inside, outside):
        for narrow in ({}, {"campaign_id": first.pk}, {"request_id": first.requests.first().pk}):
            got, wanted = both(registration, **narrow)
            assert got == wanted
    assert both(inside)[0] == second.requests.get(registration=inside).pk  # the newest campaign first
    second.closed = second.started
    second.save()
    assert both(inside) == (first.requests.get(registration=inside).pk,) * 2
    services.close_crisis(first.crisis)
    assert both(inside) == (None, None)


def test_a_newer_answer_is_the_status_and_an_older_one_arriving_late_is_kept_but_not_applied(
    campaign, people
):
    person = people["inside"][0]
    request = CheckInRequest.objects.get(campaign=campaign, registration=person)
    services.record_answer("need_help", "app", registration_id=person.pk, idempotency_key=uuid.uuid4())
    services.record_answer("safe", "app", registration_id=person.pk, idempotency_key=uuid.uuid4())
    request.refresh_from_db()
    assert request.status == "safe" and CheckInAnswer.objects.filter(request=request).count() == 2
    # An answer recorded with an earlier time (a phone call logged late) does not overwrite the status.
    services.record_answer(
        "need_help", "phone", request=request, at=request.answered_at - datetime.timedelta(minutes=5)
    )
    request.refresh_from_db()
    assert request.status == "safe"


def test_the_follow_up_list_opens_right_in_a_spreadsheet(login, make_user, post_amman, campaign, people):
    import csv
    import io

    person = people["inside"][1]
    person.given_names, person.family_name = '=HYPERLINK("http://evil")', "فاطمة الحسن"
    person.save()
    response = login(make_user(post_amman, Role.COORDINATOR)).get(
        reverse("crises:board_export", args=[campaign.pk])
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="follow-up-{campaign.pk}-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert any("فاطمة الحسن" in name for name in names)
    assert all(not name.startswith("=") for name in names)
    assert any(name.startswith("'=HYPERLINK") for name in names)
