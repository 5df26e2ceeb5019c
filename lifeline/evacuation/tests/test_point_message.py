"""Message everyone at an assembly point: one resolver for the preview and the send, never to nobody."""

import pytest
from django.urls import reverse

from lifeline.evacuation import point_messages, services
from lifeline.messaging.models import Delivery, Send
from lifeline.nationals.models import Consent, Purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(crisis, people, point):
    """Everyone inside on the point, all agreeing to crisis messages; the uncle declined, the teen is there."""
    inside = [people[k] for k in ("family", "arabic", "uncle", "teen")]
    services.assign(crisis, [p.pk for p in inside], point)
    for person in inside:
        Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
    people["arabic"].languages = ["ar"]
    people["arabic"].save()
    services.set_status(point.evacuees.get(registration=people["uncle"]), "declined")
    services.set_status(point.evacuees.get(registration=people["teen"]), "at_point")
    return people


def _url(point):
    return reverse("evacuation:point_message", args=[point.pk])


def test_the_preview_counts_exactly_whom_the_send_reaches(
    login, coordinator, point, assigned, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    form = client.get(_url(point))
    assert form.status_code == 200
    fields = form.context["form"].fields
    assert "text_fil" in fields and "text_ar" in fields and fields["text_ar"].label == "The message in Arabic"
    data = {
        "who": "assigned",
        "text_fil": "Pumunta sa gate 3 ngayon.",
        "text_ar": "اذهبوا إلى البوابة 3 الآن.",
    }
    preview = client.post(_url(point), {**data, "action": "preview"})
    assert preview.status_code == 200 and not preview.context["preview"]["refusal"]
    total = preview.context["preview"]["total"]
    assert total == 3  # the family, the Arabic speaker and the teen; not the uncle, who declined
    html = preview.content.decode()
    assert "Arabic" in html and "<td>ar</td>" not in html  # languages by name, never a code
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(_url(point), {**data, "action": "send"})
    send = Send.objects.get(source=f"assembly_point:{point.pk}")
    assert sent.status_code == 302
    assert Delivery.objects.filter(send=send).count() == total
    arabic = Delivery.objects.get(send=send, recipient_key=f"registration:{assigned['arabic'].pk:012d}")
    assert arabic.language == "ar"


def test_only_those_checked_in_at_the_point(coordinator, point, assigned):
    preview = point_messages.preview_point_message(
        point, coordinator, {"en": "Stay at gate 3."}, who="present"
    )
    assert preview["total"] == 1


def test_a_message_that_would_reach_nobody_is_refused_and_nothing_is_sent(
    login, coordinator, point, assigned
):
    Consent.objects.all().update(granted=False)
    client = login(coordinator)
    data = {"who": "assigned", "text_en": "Go to gate 3.", "action": "send"}
    response = client.post(_url(point), data)
    assert response.status_code == 400
    assert "Nobody would receive this" in response.content.decode()
    assert not Send.objects.exists()
    preview = client.post(_url(point), {**data, "action": "preview"})
    assert preview.context["preview"]["refusal"] and b'value="send"' not in preview.content


def test_a_message_needs_a_text(login, coordinator, point, assigned):
    response = login(coordinator).post(_url(point), {"who": "assigned", "action": "send"})
    assert response.status_code == 400 and "at least one language" in response.content.decode()
    assert not Send.objects.exists()


def test_another_language_is_picked_by_name(
    login, coordinator, point, assigned, django_capture_on_commit_callbacks
):
    data = {"who": "assigned", "other_language": "Tagalog", "other_text": "Pumunta na.", "action": "send"}
    with django_capture_on_commit_callbacks(execute=True):
        assert login(coordinator).post(_url(point), data).status_code == 302
    assert set(Send.objects.get().texts) == {"fil"}


def test_who_may_not_run_the_evacuation_may_not_message_the_point(
    login, viewer, beirut_officer, other_ministry_user, point, assigned
):
    assert login(viewer).get(_url(point)).status_code == 403
    assert login(beirut_officer).get(_url(point)).status_code == 404
    assert login(other_ministry_user).get(_url(point)).status_code == 404
    assert login(viewer).post(_url(point), {"text_en": "x", "action": "send"}).status_code == 403
    assert not Send.objects.exists()


def test_the_point_page_offers_the_message_to_those_who_run_the_evacuation(login, coordinator, viewer, point):
    assert (
        _url(point) in login(coordinator).get(reverse("evacuation:point", args=[point.pk])).content.decode()
    )
    assert _url(point) not in login(viewer).get(reverse("evacuation:point", args=[point.pk])).content.decode()


def test_a_closed_crisis_messages_no_one_at_its_points_by_page_rule_or_api(
    login, coordinator, crisis, point, assigned
):
    """Once the crisis is closed, the page shows why and sends nothing; the rule, its preview and the
    messaging API (the same audience check) all refuse with the same translated reason."""
    from django.core.exceptions import ValidationError
    from django.test import Client

    from lifeline.core.models import ApiToken
    from lifeline.crises.services import close_crisis

    close_crisis(crisis)
    point_page = login(coordinator).get(reverse("evacuation:point", args=[point.pk])).content.decode()
    assert _url(point) not in point_page  # the point no longer offers it
    reason = f"The crisis “{crisis.name}” is closed"
    client = login(coordinator)
    page = client.get(_url(point))
    assert page.status_code == 200 and reason in page.content.decode()
    assert b'value="send"' not in page.content and b'value="preview"' not in page.content
    data = {"who": "assigned", "text_en": "Go to gate 3.", "action": "send"}
    sent = client.post(_url(point), data)
    assert sent.status_code == 409 and reason in sent.content.decode()
    for call in (point_messages.message_point, point_messages.preview_point_message):
        with pytest.raises(ValidationError, match="is closed"):
            call(point, coordinator, {"en": "Go to gate 3."})
    payload = {
        "name": "x",
        "audience": point_messages.point_audience(point),
        "texts": {"en": {"subject": "Gate", "body": "Go to gate 3."}},
        "channels": ["sms"],
    }
    _token, raw = ApiToken.issue(coordinator, "test")
    answer = Client().post(
        "/api/messaging/sends", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.status_code == 422 and reason in answer.json()["errors"]["__all__"][0]
    assert not Send.objects.exists()
