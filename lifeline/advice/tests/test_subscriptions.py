"""Subscribers are told of changes: real mail through a real SMTP server on loopback."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from lifeline.advice import services
from lifeline.advice.models import AdviceSubscription, Level, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version, body
from lifeline.nationals.models import Consent, Purpose


@pytest.fixture
def advice(ministry, jordan, writer, approver):
    """Jordan's advice, published at level 1 (nobody subscribed yet)."""
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    services.approve(
        add_version(advice, level=1, author=writer, state=State.AWAITING, texts={"en": "Normal caution."}),
        approver,
    )
    return advice


@pytest.fixture
def publish_level_3(django_capture_on_commit_callbacks):
    def publish(advice, writer, approver):
        draft = add_version(
            advice,
            level=3,
            author=writer,
            state=State.AWAITING,
            texts={"en": "Reconsider travel: floods.", "ar": "أعد النظر في السفر: سيول."},
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.approve(draft, approver)

    return publish


def test_an_email_subscriber_confirms_then_hears_of_a_change(
    client, smtp, advice, writer, approver, publish_level_3
):
    response = client.post(
        reverse("advice:subscribe", args=["jo"]), {"email": "reader@example.org", "language": "en"}
    )
    assert response.status_code == 302
    confirmation = smtp.wait(1)[0]
    assert confirmation["To"] == "reader@example.org"
    link = re.search(r"https://lifeline\.example(/advice/confirm/\S+/)", body(confirmation)).group(1)
    assert "Confirm the subscription" in body(confirmation, "html")

    publish_level_3(advice, writer, approver)
    assert len(smtp.wait(2, timeout=0.5)) == 1  # not confirmed yet: nothing sent

    assert "Subscription confirmed" in client.get(link).content.decode()
    publish_level_3(advice, writer, approver)
    update = smtp.wait(2)[1]
    text = body(update)
    assert "Level 3: Reconsider your need to travel." in text  # the level did not change this time
    assert "Reconsider travel: floods." in text and "/advice/jo/" in text
    assert "Reconsider travel: floods." in body(update, "html")


def test_the_update_names_the_level_change_in_the_subscribers_language(
    smtp, advice, writer, approver, jordan, publish_level_3
):
    AdviceSubscription.objects.create(
        country=jordan, email="ar@example.org", language="ar", confirmed_at="2026-11-01T00:00Z"
    )
    publish_level_3(advice, writer, approver)
    message = smtp.wait(1)[0]
    text = body(message)
    with translation.override("ar"):
        expected = gettext("Level changed from %(old)s (%(old_label)s) to %(new)s (%(new_label)s).") % {
            "old": 1,
            "old_label": Level(1).label,
            "new": 3,
            "new_label": Level(3).label,
        }
    assert expected in text
    assert "أعد النظر في السفر: سيول." in text
    assert 'dir="rtl"' in body(message, "html")


def test_a_registered_national_with_consent_is_told(
    smtp, advice, writer, approver, jordan, post_amman, make_registration, publish_level_3
):
    told = make_registration(post_amman, email="told@example.org", languages=["fil", "en"])
    Consent.objects.create(registration=told, purpose=Purpose.ADVICE_UPDATES, granted=True)
    services.subscribe_registration(told, jordan)
    withdrew = make_registration(post_amman, email="withdrew@example.org")
    Consent.objects.create(registration=withdrew, purpose=Purpose.ADVICE_UPDATES, granted=True)
    services.subscribe_registration(withdrew, jordan)
    Consent.objects.filter(registration=withdrew).update(granted=False)

    assert [r.email for r in services.recipients(jordan)] == ["told@example.org"]
    publish_level_3(advice, writer, approver)
    messages = smtp.wait(1)
    assert [m["To"] for m in messages] == ["told@example.org"]
    assert "Reconsider travel: floods." in body(messages[0])  # no Filipino text: English


def test_a_national_without_consent_cannot_subscribe(advice, jordan, post_amman, make_registration):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.subscribe_registration(make_registration(post_amman, email="x@example.org"), jordan)
    assert not AdviceSubscription.objects.exists()


def test_the_unsubscribe_link_deletes_the_address(client, jordan):
    sub = AdviceSubscription.objects.create(
        country=jordan, email="bye@example.org", confirmed_at="2026-11-01T00:00Z"
    )
    url = services.unsubscribe_url(sub)
    assert client.get(url).status_code == 200 and AdviceSubscription.objects.exists()  # a GET only asks
    assert client.post(url).status_code == 200
    assert not AdviceSubscription.objects.exists()
    assert client.post(url.replace(url.split("/")[-2], "forged")).status_code == 400


def test_bad_subscription_input_changes_nothing(client, smtp, advice):
    response = client.post(
        reverse("advice:subscribe", args=["jo"]), {"email": "not an address", "language": "zz-!!"}
    )
    page = response.content.decode()
    assert (
        response.status_code == 400
        and "Enter a valid email address." in page
        and "is not a language we know" in page
    )
    assert not AdviceSubscription.objects.exists() and smtp.wait(1, timeout=0.3) == []
    assert client.get(reverse("advice:confirm", args=["forged"])).status_code == 400


def test_subscribing_again_keeps_one_row_and_resends_only_later(client, smtp, advice):
    url, data = reverse("advice:subscribe", args=["jo"]), {"email": "twice@example.org", "language": "en"}
    client.post(url, data)
    client.post(url, data)
    assert AdviceSubscription.objects.count() == 1
    assert len(smtp.wait(2, timeout=0.5)) == 1  # not twice in a row
    AdviceSubscription.objects.update(created=timezone.now() - datetime.timedelta(hours=1))
    client.post(url, data)
    assert len(smtp.wait(2)) == 2 and AdviceSubscription.objects.count() == 1


def test_unconfirmed_addresses_are_purged(jordan):
    from lifeline.advice.tasks import purge_unconfirmed_subscriptions

    old = timezone.now() - datetime.timedelta(days=8)
    stale = AdviceSubscription.objects.create(country=jordan, email="stale@example.org")
    kept = AdviceSubscription.objects.create(country=jordan, email="kept@example.org", confirmed_at=old)
    fresh = AdviceSubscription.objects.create(country=jordan, email="fresh@example.org")
    AdviceSubscription.objects.filter(pk__in=[stale.pk, kept.pk]).update(created=old)
    assert purge_unconfirmed_subscriptions.delay().get() == 1
    assert set(AdviceSubscription.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}


def test_without_site_url_the_confirmation_link_uses_the_request_host(client, smtp, advice, settings):
    settings.SITE_URL = ""
    client.post(reverse("advice:subscribe", args=["jo"]), {"email": "host@example.org", "language": "en"})
    assert "http://testserver/advice/confirm/" in body(smtp.wait(1)[0])
