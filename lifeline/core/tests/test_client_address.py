"""Who sent a request: only this deployment's own proxies are believed (TRUSTED_PROXY_HOPS)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from lifeline.core.http import client_ip
from lifeline.core.models import AuditEntry, Role

PROXY = "10.0.0.5"


def _request(remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(_request(forwarded="6.6.6.6")) == PROXY


@pytest.mark.parametrize(
    "hops, forwarded, expected",
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # A client that writes its own header cannot choose its address: our proxy appended the real one.
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.4", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_ip(_request(forwarded=forwarded)) == expected


def _login(client, user, password, address):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_a_proxy_a_stranger_cannot_lock_a_person_out(client, make_user, org_a, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    user = make_user(org_a, role=Role.VIEWER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "wrong", "6.6.6.6")
    assert _login(client, user, PASSWORD, "6.6.6.6").status_code == 429  # the stranger is stopped
    response = _login(client, user, PASSWORD, "203.0.113.9")  # the person, from their own address
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login", actor_id=user.pk, ip="203.0.113.9").exists()
    assert (
        AuditEntry.objects.filter(action="login_failed", ip="6.6.6.6").count() >= settings.AXES_FAILURE_LIMIT
    )


def test_a_spoofed_forwarded_header_does_not_escape_a_lock_out(client, make_user, org_a, settings):
    settings.TRUSTED_PROXY_HOPS = 0  # nothing in front: the header is the client's own writing
    user = make_user(org_a, role=Role.VIEWER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "wrong", f"6.6.6.{n}")
    assert _login(client, user, PASSWORD, "6.6.7.7").status_code == 429
