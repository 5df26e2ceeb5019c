"""“Change my places”: a signed link (its own salt, an age limit) opens the subscriber's places,
languages and channel; saving goes through ``services.set_places``, the subscribe page's path."""

import pytest
from django.core import signing
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.messaging import audiences, services
from lifeline.messaging.models import AlertSubscriber

TEXTS = {"en": {"subject": "Flood", "body": "Flash flood: keep away from wadis.", "short": ""}}


@pytest.fixture
def rania(org_a, areas):
    s = AlertSubscriber.objects.create(
        organisation=org_a, channel="email", address="rania@example.org", languages=["ar"], confirmed=True
    )
    s.areas.set([areas["amman"]])
    return s


def path_of(url):
    return url[url.index("/messaging/") :]


def alert_to(run, org, area):
    return run(
        services.start_send,
        organisation=org,
        user=None,
        name="Flood",
        audience={"kind": "subscribers", "organisation_ids": [org.pk], "area_ids": [area.pk]},
        texts=TEXTS,
        channels=["email"],
    )


def test_changing_places_moves_the_alerts(client, org_a, areas, rania, run, outbox):
    alert_to(run, org_a, areas["amman"])
    ((_channel, message),) = outbox  # every alert to a subscriber carries both links
    assert message.unsubscribe_url and message.change_url
    page = client.get(path_of(message.change_url))
    assert page.status_code == 200 and page.context["places"] == ["Amman"]
    saved = client.post(path_of(message.change_url), {"areas": "Irbid", "languages": "Arabic; en"})
    assert saved.status_code == 200 and "form" not in saved.context
    rania.refresh_from_db()
    assert list(rania.areas.all()) == [areas["irbid"]] and rania.languages == ["ar", "en"]
    assert AuditEntry.objects.filter(via="change-subscription", object_id=str(rania.pk)).exists()
    outbox.clear()
    alert_to(run, org_a, areas["amman"])
    assert outbox == []  # the old place no longer reaches her
    alert_to(run, org_a, areas["irbid"])
    assert [m.address for _c, m in outbox] == ["rania@example.org"]


def test_a_change_without_a_place_is_refused_and_changes_nothing(client, areas, rania):
    url = path_of(services.change_url(rania))
    response = client.post(url, {"areas": "", "languages": "en"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    rania.refresh_from_db()
    assert list(rania.areas.all()) == [areas["amman"]] and rania.languages == ["ar"]


def test_forged_expired_and_foreign_tokens_are_refused(client, areas, rania, settings):
    key = audiences.key("subscriber", rania.pk)
    forged = signing.dumps(key, salt=services.CHANGE_SALT, key="not-the-secret")
    unsubscribe = services.unsubscribe_token(key)  # another link's token does not open this page
    expired = signing.TimestampSigner(salt=services.CHANGE_SALT).sign_object(key)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "CHANGE_MAX_AGE", -1)
        assert services.subscriber_for_change_token(expired) is None
    for token in (forged, unsubscribe, "not-a-token"):
        url = reverse("messaging:change", args=[token])
        assert client.get(url).status_code == 404
        assert client.post(url, {"areas": "Irbid", "languages": "en"}).status_code == 404
    rania.refresh_from_db()
    assert list(rania.areas.all()) == [areas["amman"]]
    gone = services.change_url(rania)
    rania.delete()  # unsubscribed: the link is replayed for nobody
    assert client.get(path_of(gone)).status_code == 404


def test_the_page_in_arabic_names_places_in_arabic(client, areas, rania):
    areas["amman"].name_local = "عمان"
    areas["amman"].save()
    response = client.get(path_of(services.change_url(rania)), HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    assert response.status_code == 200 and 'dir="rtl"' in html and "عمان" in html
    assert "تغيير اشتراكي في التنبيهات" in html and "حفظ التغييرات" in html  # its own words, translated


def test_the_confirmation_carries_the_change_link(client, org_a, areas, run, outbox):
    data = {"channel": "sms", "address": "+962791234567", "languages": "en", "areas": "Amman"}
    run(client.post, reverse("messaging:subscribe"), data)
    ((_channel, message),) = outbox
    subscriber = AlertSubscriber.objects.get()
    url = next(w for w in message.body.split() if "/messaging/subscription/" in w)
    assert services.subscriber_for_change_token(path_of(url).split("/")[3]) == subscriber


def test_an_alert_email_carries_the_change_link_beside_the_unsubscribe_one(areas, rania, settings):
    from lifeline.messaging.channels.base import OutboundMessage
    from lifeline.messaging.channels.email import build_message

    key = audiences.key("subscriber", rania.pk)
    message = OutboundMessage(
        delivery_id=1,
        address=rania.address,
        language="ar",
        subject="سيول",
        body="تحذير",
        short="",
        unsubscribe_url=services.unsubscribe_url(key),
        change_url=services.change_url(rania),
    )
    email = build_message(message, "alerts@example.org")
    assert "/messaging/subscription/" in email.body and "/messaging/unsubscribe/" in email.body
    assert "لتغيير أماكنك أو لغاتك" in email.body  # in the reader's language
