"""The nationals' app shows the branding of the organisation the person registered with (core.branding)."""

import re

import pytest

from lifeline.core.models import Branding
from lifeline.core.tests.test_homes import branded_ministry  # noqa: F401 (a fixture)
from lifeline.nationals.auth import COOKIE
from lifeline.nationals.models import DeviceToken
from lifeline.nationals.tests.test_app_api import registration_payload, sign_in


def _style(page):
    """The page's one style element, and whether it carries the response's nonce."""
    nonce, css = re.search(r'<style nonce="([^"]+)">(.*?)</style>', page, re.S).groups()
    return nonce, css


@pytest.fixture
def registered(post_amman, make_registration, branded_ministry):  # noqa: F811
    """A national registered with the embassy in Amman (no branding of its own: the ministry's)."""
    registration = make_registration(post_amman)
    _token, raw = DeviceToken.issue(registration=registration, label="phone")
    return registration, raw


def test_the_app_shows_the_brand_of_the_organisation_the_person_registered_with(client, registered):
    _registration, raw = registered
    client.cookies[COOKIE] = raw
    response = client.get("/app/")
    page = response.content.decode()
    assert "Department of Foreign Affairs" in page
    assert Branding.current().owner_name not in page  # not the deployment's "Civil Defence Directorate"
    assert re.search(r'<img src="[^"]*logo[^"]*\.png" alt="" class="logo">', page)
    nonce, css = _style(page)
    assert "--primary: #0038a8" in css
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_before_signing_in_the_app_shows_the_deployments(client, registered):
    page = client.get("/app/").content.decode()
    assert "Department of Foreign Affairs" not in page
    assert "--primary: #0b5394" in _style(page)[1]


def test_a_revoked_device_shows_the_deployments(client, registered):
    registration, raw = registered
    registration.devices.update(revoked=True)
    client.cookies[COOKIE] = raw
    assert "Department of Foreign Affairs" not in client.get("/app/").content.decode()


def test_signing_in_gives_the_apps_pages_the_token_and_signing_out_takes_it_back(
    client,
    smtp,
    post_amman,
    areas,
    branded_ministry,  # noqa: F811
):
    token = sign_in(client, smtp)["token"]
    cookie = client.cookies[COOKIE]
    assert cookie.value == token and cookie["httponly"] and cookie["path"] == "/app/"
    # Not registered yet: no organisation, the deployment's branding.
    assert "Department of Foreign Affairs" not in client.get("/app/").content.decode()

    headers = {"HTTP_AUTHORIZATION": f"Device {token}"}
    payload = registration_payload()
    assert client.post("/api/app/me", payload, content_type="application/json", **headers).status_code == 201
    assert "Department of Foreign Affairs" in client.get("/app/").content.decode()

    assert client.post("/api/app/signout", **headers).status_code == 200
    assert client.cookies[COOKIE].value == ""
    assert "Department of Foreign Affairs" not in client.get("/app/").content.decode()
