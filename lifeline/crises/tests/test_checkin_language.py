"""The same check-in to the same person is in the same language by SMS, by email and in the app.

Before ``lifeline.core.languages`` the send chose with ``messaging.services.choose_language`` (the
person's languages, then ``MESSAGING_FALLBACK_LANGUAGES``, then the first text) and the app with
``CheckInCampaign.message_for`` (the person's languages, then the first text written): a person who
reads Nepali, asked in Arabic and English, got English by SMS and email and Arabic in the app; one
who reads Sudanese Arabic got English everywhere although the check-in was written in Arabic.
"""

import pytest

from lifeline.crises import services
from lifeline.crises.tests.conftest import INSIDE
from lifeline.messaging.models import Delivery
from lifeline.messaging.tests import channels
from lifeline.nationals.models import Consent, DeviceToken, Purpose

MESSAGES = {"ar": "هل أنت بأمان؟", "en": "Are you safe?"}


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.MESSAGING_CHANNEL_CLASSES = {
        name: f"lifeline.messaging.tests.channels.{name.capitalize()}" for name in ("push", "sms", "email")
    }
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    channels.OUTBOX.clear()
    return channels.OUTBOX


def _person(make_registration, post_amman, areas, languages, **addresses):
    person = make_registration(
        post_amman, location=INSIDE, area=areas["amman"], languages=languages, **addresses
    )
    Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
    return person


def _in_the_app(client, person):
    _device, raw = DeviceToken.issue(person, label="phone")
    listed = client.get("/api/app/checkins", HTTP_AUTHORIZATION=f"Device {raw}").json()
    assert len(listed) == 1
    return listed[0]


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["ne"], "en"),  # no text in Nepali: the default (English), not the first text written
        (["apd"], "ar"),  # Sudanese Arabic reads Arabic: the macrolanguage before the default
        (["ar-JO", "en"], "ar"),  # the base language of the first before the exact second
        (["so", "en"], "en"),
        (["ckb"], "en"),  # Sorani does not read Arabic as its own language
    ],
)
def test_the_same_checkin_picks_the_same_language_by_sms_by_email_and_in_the_app(
    client,
    django_capture_on_commit_callbacks,
    make_registration,
    make_crisis,
    post_amman,
    areas,
    officer,
    outbox,
    languages,
    expected,
):
    by_sms = _person(make_registration, post_amman, areas, languages, email="")
    by_email = _person(make_registration, post_amman, areas, languages, phone="", email="p@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(make_crisis(), MESSAGES, officer)

    sent = {m.address: (channel, m) for channel, m in outbox}
    sms_channel, sms = sent[by_sms.phone]
    email_channel, email = sent[by_email.email]
    assert (sms_channel, email_channel) == ("sms", "email")
    deliveries = {
        d.channel: d.language for d in Delivery.objects.filter(send__source=f"campaign:{campaign.pk}")
    }
    app_sms, app_email = _in_the_app(client, by_sms), _in_the_app(client, by_email)

    # One language, the expected one, on every path ...
    assert deliveries == {"sms": expected, "email": expected}
    assert sms.language == email.language == app_sms["language"] == app_email["language"] == expected
    # ... and the same words.
    assert MESSAGES[expected] in sms.body and MESSAGES[expected] in email.body
    assert app_sms["message"] == app_email["message"] == MESSAGES[expected]
    assert app_sms["dir"] == ("rtl" if expected == "ar" else "ltr")


def test_the_app_follows_the_sends_own_fallback_languages(
    make_registration, make_crisis, post_amman, areas, officer
):
    """A send with its own fallback languages (the organisation's default): the app chooses with them too."""
    person = _person(make_registration, post_amman, areas, ["ne"])
    campaign = services.start_campaign(make_crisis(), MESSAGES, officer, send=False)
    send = services.dispatch_campaign(campaign)
    send.fallback_languages = ["ar"]
    send.save(update_fields=["fallback_languages"])
    campaign.refresh_from_db()
    assert campaign.language_for(person.languages) == "ar"
    assert campaign.message_for(person.languages) == MESSAGES["ar"]
