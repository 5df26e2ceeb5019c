"""The public subscription form cannot be used to pump SMS: limits per client, per address and in all."""

from django.urls import reverse

from lifeline.messaging.models import AlertSubscriber


def _ask(client, run, org_a, areas, phone, client_address="203.0.113.1"):
    data = {
        "channel": "sms",
        "address": phone,
        "languages": "en",
        "areas": "Amman",
    }
    return run(client.post, reverse("messaging:subscribe"), data, REMOTE_ADDR=client_address)


def test_one_client_cannot_send_codes_to_many_numbers(client, org_a, areas, run, outbox, settings):
    settings.PUBLIC_SENDS_PER_CLIENT = 3
    for n in range(3):
        assert _ask(client, run, org_a, areas, f"+96279100000{n}").status_code == 302
    refused = _ask(client, run, org_a, areas, "+962791000009")
    assert refused.status_code == 200 and "Too many codes" in refused.content.decode()
    assert len(outbox) == 3 and AlertSubscriber.objects.count() == 3
    # Another client is not held back by the first one's flood.
    assert _ask(client, run, org_a, areas, "+962791000008", "198.51.100.2").status_code == 302


def test_one_number_is_limited_whichever_client_asks(
    client, org_a, areas, run, outbox, settings, monkeypatch
):
    settings.PUBLIC_SENDS_PER_ADDRESS = 2
    # Let a new code be asked for at once (the one-a-minute rule is not what this test is about).
    monkeypatch.setattr("lifeline.messaging.services.timezone.now", _later())
    for n in range(2):
        assert _ask(client, run, org_a, areas, "+962791234567", f"203.0.113.{n}").status_code == 302
    refused = _ask(client, run, org_a, areas, "+962791234567", "203.0.113.77")
    assert "Too many codes" in refused.content.decode()
    assert len(outbox) == 2


def test_there_is_a_ceiling_for_the_whole_deployment(client, org_a, areas, run, outbox, settings):
    settings.PUBLIC_SENDS_PER_HOUR = 4
    for n in range(4):
        assert _ask(client, run, org_a, areas, f"+96279200000{n}", f"203.0.113.{n}").status_code == 302
    refused = _ask(client, run, org_a, areas, "+962792000009", "198.51.100.9")
    assert "Too many codes" in refused.content.decode()
    assert len(outbox) == 4


def _later():
    import datetime

    from django.utils import timezone

    real = timezone.now
    step = {"n": 0}

    def now():
        step["n"] += 1
        return real() + datetime.timedelta(minutes=2 * step["n"])

    return now
