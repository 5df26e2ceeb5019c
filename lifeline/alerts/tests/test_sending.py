"""A published alert goes out through the messaging engine, to the subscribers of its area, in their languages."""

import pytest
from django.core import mail

from lifeline.alerts.services import approve, send_alert
from lifeline.core.models import Role, Scope
from lifeline.messaging.models import AlertSubscriber


@pytest.fixture
def published(draft, make_user, org_a):
    from lifeline.alerts.services import submit

    submit(draft, draft.created_by)
    approve(draft, make_user(org_a, role=Role.COORDINATOR))
    draft.refresh_from_db()
    return draft


def _subscriber(org, area, email, languages):
    subscriber = AlertSubscriber.objects.create(
        organisation=org, channel="email", address=email, languages=languages, confirmed=True
    )
    subscriber.areas.set([area])
    return subscriber


def test_each_subscriber_in_the_area_gets_the_alert_in_their_language(
    published, org_a, areas, make_user, login, django_capture_on_commit_callbacks
):
    _subscriber(org_a, areas["amman"], "rania@example.org", ["ar"])
    _subscriber(org_a, areas["amman"], "joe@example.org", ["bn", "en"])
    _subscriber(org_a, areas["irbid"], "far@example.org", ["en"])  # outside the alert's area
    sender = make_user(org_a, role=Role.COORDINATOR, scope=Scope.OWN)
    client = login(sender)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/alerts/{published.pk}/send/", {"audience": "subscribers"})
    assert response.status_code == 302 and "/messaging/" in response["Location"]
    got = {m.to[0]: m for m in mail.outbox}
    assert set(got) == {"rania@example.org", "joe@example.org"}
    ar_text = published.info.get(language__startswith="ar").headline
    en_text = published.info.get(language__startswith="en").headline
    assert ar_text in got["rania@example.org"].subject and en_text in got["joe@example.org"].subject


def test_a_draft_is_never_sent_and_a_viewer_cannot_send(draft, org_a, make_user, login, areas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        send_alert(draft, None)
    viewer = make_user(org_a, role=Role.VIEWER)
    assert login(viewer).post(f"/alerts/{draft.pk}/send/", {"audience": "subscribers"}).status_code == 403
    assert mail.outbox == []


def test_another_organisation_cannot_send_the_alert(published, org_a, org_b, areas, make_user, login):
    _subscriber(org_a, areas["amman"], "rania@example.org", ["ar"])
    stranger = make_user(org_b, role=Role.COORDINATOR, scope=Scope.OWN)
    assert (
        login(stranger).post(f"/alerts/{published.pk}/send/", {"audience": "subscribers"}).status_code == 404
    )
    assert mail.outbox == []


def test_a_branch_alert_reaches_subscribers_whoever_they_subscribed_through(
    org_a, org_a_child, areas, make_user, login, django_capture_on_commit_callbacks
):
    """Issue 15: subscribers picked "Alerts from: Directorate"; the branch's alert on their
    governorate reached 0 of them and showed "Done". Places decide, not the issuer."""
    from lifeline.alerts.services import submit
    from lifeline.alerts.tests.conftest import make_draft
    from lifeline.messaging.models import Send

    _subscriber(org_a, areas["irbid"], "worker@example.org", ["en"])
    alert = make_draft(org_a_child, make_user(org_a_child), admin_areas=[areas["irbid"]])
    for info in alert.info.all():  # the branch's alert names Irbid only
        info.areas.update(polygons=[])
    submit(alert, alert.created_by)
    approve(alert, make_user(org_a_child, role=Role.COORDINATOR))
    client = login(make_user(org_a_child, role=Role.COORDINATOR))
    preview = client.get(f"/alerts/{alert.pk}/send/")
    assert preview.status_code == 200 and preview.context["preview"]["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/alerts/{alert.pk}/send/", {"audience": "subscribers"})
    send = Send.objects.get()
    assert response["Location"].endswith(f"/messaging/{send.pk}/")
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    page = client.get(response["Location"]).content.decode()
    assert "1 sent" in page and ">Done<" not in page


def test_the_preview_shows_languages_channels_and_the_same_count_as_the_send(
    published, org_a, areas, make_user, login, django_capture_on_commit_callbacks
):
    from lifeline.messaging.models import Send

    _subscriber(org_a, areas["amman"], "rania@example.org", ["ar"])
    _subscriber(org_a, areas["amman"], "abebe@example.org", ["am"])  # Amharic: the alert has no text in it
    _subscriber(org_a, areas["irbid"], "far@example.org", ["en"])
    client = login(make_user(org_a, role=Role.COORDINATOR))
    page = client.get(f"/alerts/{published.pk}/send/")
    preview = page.context["preview"]
    assert preview["by_channel"] == {"email": 2} and preview["missing_languages"] == {"am": 1}
    assert set(preview["by_language"]) == {"ar", "en"} and not preview["refusal"]
    html = page.content.decode()
    assert 'id="preview-missing"' in html and 'id="send-now"' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/alerts/{published.pk}/send/", {"audience": "subscribers"})
    assert Send.objects.get().total == preview["total"] == 2


def test_an_alert_that_would_reach_nobody_is_refused_with_the_reason(
    published, org_a, areas, make_user, login
):
    from lifeline.messaging.models import Send

    _subscriber(org_a, areas["irbid"], "far@example.org", ["en"])  # nobody in Amman
    client = login(make_user(org_a, role=Role.COORDINATOR))
    page = client.get(f"/alerts/{published.pk}/send/")
    assert page.context["preview"]["refusal"] and 'id="send-now"' not in page.content.decode()
    response = client.post(f"/alerts/{published.pk}/send/", {"audience": "subscribers"}, follow=True)
    assert "Nobody would receive this" in response.content.decode()
    assert not Send.objects.exists() and mail.outbox == []
