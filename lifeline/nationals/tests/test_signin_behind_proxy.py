"""Behind the deployment's proxy, sign-in code limits count per client and per address, not per proxy."""

from django.core import mail


def _ask(client, address, client_address):
    return client.post(
        "/api/app/signin",
        {"channel": "email", "address": address},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_one_client_using_up_its_codes_does_not_block_everyone(client, settings, db):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(3):
        assert _ask(client, f"a{n}@example.org", "203.0.113.1").status_code == 200
    assert _ask(client, "a9@example.org", "203.0.113.1").status_code == 429
    # A spoofed header in front of the proxy's own entry changes nothing for that client.
    assert _ask(client, "a8@example.org", "1.2.3.4, 203.0.113.1").status_code == 429
    # Someone else in the same country, behind the same proxy, still gets a code.
    assert _ask(client, "someone@example.org", "198.51.100.7").status_code == 200
    assert len(mail.outbox) == 4


def test_one_address_is_limited_whichever_client_asks(client, settings, db):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(3):
        assert _ask(client, "victim@example.org", f"203.0.113.{n}").status_code == 200
    assert _ask(client, "victim@example.org", "203.0.113.50").status_code == 429
    assert len(mail.outbox) == 3


def test_there_is_a_ceiling_for_the_whole_deployment(client, settings, db):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.PUBLIC_SENDS_PER_HOUR = 2
    assert _ask(client, "a@example.org", "203.0.113.1").status_code == 200
    assert _ask(client, "b@example.org", "203.0.113.2").status_code == 200
    assert _ask(client, "c@example.org", "203.0.113.3").status_code == 429
    assert len(mail.outbox) == 2
