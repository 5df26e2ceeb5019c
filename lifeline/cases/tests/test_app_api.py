import json

from django.core.files.uploadedfile import SimpleUploadedFile

from lifeline.cases import services
from lifeline.cases.models import Case, CaseMessage
from lifeline.cases.tests.conftest import image_bytes
from lifeline.nationals.models import DeviceToken

URL = "/api/app/requests"


def submit(client, device, **data):
    data = {"category": "medical", "summary": "My friend fainted", **data}
    return client.post(URL, data, HTTP_AUTHORIZATION=device)


def test_without_a_device_token_nothing_is_served(client, case):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {"category": "medical", "summary": "x"}).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Device nonsense").status_code == 401


def test_a_national_submits_a_request(client, device, person):
    response = submit(client, device, location="31.95,35.91", idempotency_key="app-0001-abcdef")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference and body["status"] == "new"
    assert (case.registration, case.organisation, case.source, case.location) == (
        person,
        person.organisation,
        "app",
        "31.950000,35.910000",
    )


def test_a_retry_with_the_same_key_returns_the_first_request(client, device):
    first = submit(client, device, idempotency_key="app-0001-abcdef")
    again = submit(client, device, idempotency_key="app-0001-abcdef")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1


def test_bad_input_is_refused_and_changes_nothing(client, device):
    assert submit(client, device, category="bogus").status_code == 422
    assert submit(client, device, summary="").status_code == 422
    assert submit(client, device, location="somewhere").status_code == 422
    assert submit(client, device, idempotency_key="a b").status_code == 422
    assert not Case.objects.exists()


def test_a_photo_is_accepted_and_a_non_image_refused(settings, tmp_path, client, device):
    settings.MEDIA_ROOT = tmp_path
    bad = submit(client, device, photo=SimpleUploadedFile("x.jpg", b"MZ\x90\x00 executable"))
    assert bad.status_code == 422 and "JPEG or PNG" in bad.json()["detail"]
    huge = submit(
        client, device, photo=SimpleUploadedFile("x.jpg", image_bytes() + b"\0" * (5 * 1024 * 1024 + 1))
    )
    assert huge.status_code == 422 and "too large" in huge.json()["detail"]
    assert not Case.objects.exists()
    good = submit(client, device, photo=SimpleUploadedFile("x.jpg", image_bytes()))
    assert good.status_code == 201 and good.json()["has_photo"]


def test_the_person_sees_messages_but_never_internal_notes(client, device, case, officer):
    services.add_note(case, "SECRET internal assessment", user=officer)
    services.send_message(case, "We called your employer", user=officer)
    listing = client.get(URL, HTTP_AUTHORIZATION=device)
    detail = client.get(f"{URL}/{case.pk}", HTTP_AUTHORIZATION=device)
    for response in (listing, detail):
        assert response.status_code == 200
        assert "SECRET" not in response.content.decode()
        assert "We called your employer" in response.content.decode()
    assert case.messages.get().read_at is not None  # read receipt


def test_the_person_answers_in_the_app(client, device, case):
    response = client.post(
        f"{URL}/{case.pk}/messages",
        json.dumps({"text": "Thank you"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=device,
    )
    assert response.status_code == 201
    assert CaseMessage.objects.get().direction == "in"
    empty = client.post(
        f"{URL}/{case.pk}/messages",
        json.dumps({"text": ""}),
        content_type="application/json",
        HTTP_AUTHORIZATION=device,
    )
    assert empty.status_code == 422 and CaseMessage.objects.count() == 1


def test_another_persons_request_is_404(client, case, make_registration, post_amman):
    _token, raw = DeviceToken.issue(make_registration(post_amman), "other phone")
    other = f"Device {raw}"
    assert client.get(f"{URL}/{case.pk}", HTTP_AUTHORIZATION=other).status_code == 404
    assert client.get(URL, HTTP_AUTHORIZATION=other).json() == []
    response = client.post(
        f"{URL}/{case.pk}/messages",
        json.dumps({"text": "hi"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=other,
    )
    assert response.status_code == 404 and not CaseMessage.objects.exists()


def test_a_message_sent_again_after_a_lost_answer_is_kept_once(client, device, case):
    body = json.dumps({"text": "Are you still coming?", "idempotency_key": "msg-2f1c9a7e"})
    for _ in range(2):
        response = client.post(
            f"{URL}/{case.pk}/messages", body, content_type="application/json", HTTP_AUTHORIZATION=device
        )
        assert response.status_code == 201
    assert [m.text for m in case.messages.all()].count(
        "Are you still coming?"
    ) == 1  # the text is encrypted: compare in Python
