"""Unsubscribe links are signed by django.core.signing: key rotation keeps them, forgeries fail."""

import base64
import hashlib
import hmac

from django.core import signing
from django.urls import reverse

from lifeline.messaging import audiences, services
from lifeline.messaging.models import AlertSubscriber


def _subscriber(org_a):
    return AlertSubscriber.objects.create(
        organisation=org_a, channel="sms", address="+962791234567", languages=["ar"], confirmed=True
    )


def test_a_link_made_before_a_key_rotation_still_unsubscribes(client, org_a, settings):
    subscriber = _subscriber(org_a)
    old_key = settings.SECRET_KEY
    token = services.unsubscribe_token(audiences.key("subscriber", subscriber.pk))
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.post(reverse("messaging:unsubscribe", args=[token])).status_code == 200
    assert not AlertSubscriber.objects.filter(pk=subscriber.pk).exists()


def test_a_link_signed_with_a_retired_key_is_refused(client, org_a, settings):
    subscriber = _subscriber(org_a)
    token = services.unsubscribe_token(audiences.key("subscriber", subscriber.pk))
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = []
    assert client.post(reverse("messaging:unsubscribe", args=[token])).status_code == 404
    assert AlertSubscriber.objects.filter(pk=subscriber.pk).exists()


def test_tokens_of_other_purposes_and_forgeries_are_refused(org_a, settings):
    subscriber = _subscriber(org_a)
    key = audiences.key("subscriber", subscriber.pk)
    # Signed by the same deployment, but for another purpose (an advice link).
    assert not services.handle_unsubscribe(signing.dumps(key, salt="lifeline.advice.unsubscribe"))
    # The earlier hand-made format: base64 of the key and a truncated HMAC.
    secret = hashlib.sha256(f"{services.UNSUBSCRIBE_SALT}:{settings.SECRET_KEY}".encode()).digest()
    mac = hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:24]
    hand_made = f"{base64.urlsafe_b64encode(key.encode()).decode().rstrip('=')}.{mac}"
    assert not services.handle_unsubscribe(hand_made)
    # The subscriber's own confirmation token is not an unsubscribe link.
    assert not services.handle_unsubscribe(subscriber.token)
    assert AlertSubscriber.objects.filter(pk=subscriber.pk).exists()
