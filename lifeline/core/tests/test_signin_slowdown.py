"""Sign-in is slowed per account whatever the address, and a stranger never locks the owner out."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from lifeline.core import signin
from lifeline.core.models import AuditEntry, Role


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(signin, "_now", lambda: now[0])
    return now


def _attempt(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail_from_many_addresses(client, username, count):
    for i in range(count):
        response = _attempt(client, username, "wrong-guess", f"203.0.113.{i + 1}")
        assert response.status_code == 200


def test_guesses_spread_over_addresses_are_slowed_per_account(client, make_user, org_a, settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 10
    settings.LOGIN_ACCOUNT_MAX_DELAY = 60
    user = make_user(org_a, role=Role.VIEWER)
    _fail_from_many_addresses(client, user.username, 10)
    failed = AuditEntry.objects.filter(action="login_failed").count()

    # An eleventh guess, from yet another address, is refused before any password is checked.
    refused = _attempt(client, user.username, "another-guess", "198.51.100.7")
    assert refused.status_code == 200
    assert "Try again in 2 seconds" in refused.content.decode()
    assert AuditEntry.objects.filter(action="login_failed").count() == failed

    # Even the right password waits: the wait is per account.
    assert "Try again in" in _attempt(client, user.username, PASSWORD, "198.51.100.8").content.decode()
    assert "_auth_user_id" not in client.session


def test_the_owner_gets_in_after_the_wait_and_the_count_is_cleared(client, make_user, org_a, settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 3
    settings.LOGIN_ACCOUNT_MAX_DELAY = 60
    user = make_user(org_a, role=Role.VIEWER)
    for i in range(12):  # a stranger keeps guessing, waiting each time as long as asked
        clock[0] += signin.wait_seconds(user.username)
        _attempt(client, user.username, "wrong-guess", f"203.0.113.{i + 1}")
    # The delay grows with each failure but never beyond the maximum: the owner is never locked out.
    assert signin.wait_seconds(user.username) == 60
    clock[0] += 61
    signed_in = _attempt(client, user.username, PASSWORD, "192.0.2.50")
    assert signed_in.status_code == 302
    assert signin.wait_seconds(user.username) == 0


def test_delays_double_after_the_free_failures(settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 2
    settings.LOGIN_ACCOUNT_MAX_DELAY = 60
    waits = []
    for _ in range(8):
        signin.failure_noted("Someone@Example.org")
        waits.append(signin.wait_seconds("someone@example.org "))
    assert waits == [0, 2, 4, 8, 16, 32, 60, 60]


def test_other_accounts_are_not_slowed(settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 1
    signin.failure_noted("alice")
    signin.failure_noted("alice")
    assert signin.wait_seconds("alice") > 0
    assert signin.wait_seconds("bob") == 0


def test_the_administration_site_is_slowed_too(client, make_user, org_a, settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 1
    user = make_user(org_a, role=Role.VIEWER)
    user.is_staff = user.is_superuser = True
    user.save()
    for address in ("203.0.113.1", "203.0.113.2"):
        client.post(reverse("admin:login"), {"username": user.username, "password": "x"}, REMOTE_ADDR=address)
    refused = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.3"
    )
    assert "Try again in" in refused.content.decode()
