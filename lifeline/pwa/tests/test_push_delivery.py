"""A check-in reaches the national's phone by Web Push (through a real push service on loopback);
an expired subscription is forgotten and the message falls back to email."""

import json

import pytest
from django.core import mail

from lifeline.messaging.channels import vapid
from lifeline.nationals.models import Consent, Purpose
from lifeline.pwa.models import PushSubscription
from tests.rigs.push_service import PushService


@pytest.fixture
def push_service(settings):
    pair = vapid.generate()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = pair["private_key"], pair["public_key"]
    settings.VAPID_SUBJECT = "mailto:ops@lifeline.example"
    settings.PUSH_ALLOW_HTTP = True
    with PushService(expected_key=pair["public_key"]) as service:
        yield service


@pytest.fixture
def campaign_for(post_amman, jordan, django_capture_on_commit_callbacks):
    def start(person):
        from lifeline.crises.models import Crisis
        from lifeline.crises.services import start_campaign

        Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
        crisis = Crisis.objects.create(organisation=post_amman, name="Floods", country=jordan)
        crisis.countries.set([jordan])
        with django_capture_on_commit_callbacks(execute=True):
            return start_campaign(crisis, {"en": "Are you safe?", "ar": "هل أنت بأمان؟"})

    return start


def test_the_check_in_arrives_by_push_in_the_persons_language(
    push_service, post_amman, make_registration, campaign_for
):
    person = make_registration(post_amman, languages=["ar", "en"], email="noor@example.org")
    PushSubscription.objects.create(registration=person, subscription=push_service.subscribe())
    campaign_for(person)
    [received] = push_service.received
    payload = json.loads(received["plaintext"])
    assert payload["lang"] == "ar" and "هل أنت بأمان؟" in payload["body"]
    assert mail.outbox == []  # push worked: no email


def test_a_gone_subscription_is_forgotten_and_email_takes_over(
    push_service, post_amman, make_registration, campaign_for
):
    person = make_registration(post_amman, languages=["en"], email="noor@example.org")
    subscription = push_service.subscribe()
    push_service.expire(subscription)
    PushSubscription.objects.create(registration=person, subscription=subscription)
    campaign_for(person)
    assert push_service.received == []
    assert PushSubscription.objects.get().gone is True
    assert [m.to for m in mail.outbox] == [["noor@example.org"]]
