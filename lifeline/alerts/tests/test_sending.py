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
