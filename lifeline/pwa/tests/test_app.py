"""The nationals' app: shell, manifest, service worker, icons, push subscriptions, sign-out."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from lifeline.nationals.models import DeviceToken
from lifeline.pwa.models import PushSubscription

SUBSCRIPTION = {
    "endpoint": "https://push.example.net/send/abc123",
    "keys": {"p256dh": "B" + "x" * 86, "auth": "y" * 22},
}


@pytest.fixture
def device(post_amman, make_registration):
    registration = make_registration(post_amman)
    _token, raw = DeviceToken.issue(registration=registration, label="phone")
    return registration, {"HTTP_AUTHORIZATION": f"Device {raw}"}


def test_shell_carries_translated_strings_and_is_right_to_left_in_arabic(client, db):
    response = client.get("/app/", HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    strings = json.loads(
        re.search(r'<script id="strings" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert strings["safe"] != "I am safe"  # translated
    assert 'rel="manifest"' in html


def test_first_load_is_under_200_kb(client, db):
    shell = client.get("/app/").content
    total = len(shell)
    for name in ("pwa/app.js", "pwa/app.css"):
        with open(finders.find(name), "rb") as handle:
            total += len(handle.read())
    total += len(client.get("/app/manifest.webmanifest").content) + len(
        client.get("/app/icon-192.png").content
    )
    total += len(client.get("/api/app/config").content)
    assert total < 200 * 1024, total


def test_manifest_is_installable(client, db):
    data = json.loads(client.get("/app/manifest.webmanifest").content)
    assert data["display"] == "standalone" and data["scope"] == "/app/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(client.get("/app/icon-512.png").content))
    assert image.size == (512, 512) and image.format == "PNG"


def test_service_worker_is_scoped_to_the_app_and_versioned(client, db):
    response = client.get("/app/sw.js")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/app/"
    assert re.search(r'const VERSION = "[0-9a-f]{12}"', body)
    assert "/static/pwa/app.js" in body


def test_config_lists_countries_and_areas(client, areas):
    data = client.get("/api/app/config").json()
    assert any(c["code"] == "JO" for c in data["countries"])
    assert [(a["pcode"], a["name"]) for a in data["areas"]["JO"]] == [("JO11", "Amman"), ("JO21", "Irbid")]
    assert ["student", "Student"] in data["stay_types"]


def test_push_subscription_is_stored_encrypted_and_replaced_not_duplicated(client, device):
    registration, headers = device
    for _ in range(2):
        response = client.post("/api/app/push", SUBSCRIPTION, content_type="application/json", **headers)
        assert response.status_code == 201
    assert PushSubscription.objects.count() == 1
    sub = PushSubscription.objects.get()
    assert sub.registration == registration and sub.subscription["endpoint"] == SUBSCRIPTION["endpoint"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT subscription FROM pwa_pushsubscription")
        assert "push.example.net" not in cursor.fetchone()[0]


def test_push_subscription_refuses_bad_input_and_anonymous(client, device, settings):
    settings.DEBUG = False
    _registration, headers = device
    bad = dict(SUBSCRIPTION, endpoint="javascript:alert(1)")
    assert client.post("/api/app/push", bad, content_type="application/json", **headers).status_code == 400
    assert (
        client.post(
            "/api/app/push", {"endpoint": "x"}, content_type="application/json", **headers
        ).status_code
        == 422
    )
    assert client.post("/api/app/push", SUBSCRIPTION, content_type="application/json").status_code == 401
    assert PushSubscription.objects.count() == 0


def test_sign_out_revokes_only_this_device(client, device):
    registration, headers = device
    _other, other_raw = DeviceToken.issue(registration=registration, label="tablet")
    assert client.post("/api/app/signout", **headers).json() == {"signed_out": True}
    assert (
        client.post("/api/app/push", SUBSCRIPTION, content_type="application/json", **headers).status_code
        == 401
    )
    assert (
        client.post(
            "/api/app/push",
            SUBSCRIPTION,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Device {other_raw}",
        ).status_code
        == 201
    )


def test_a_cookie_alone_does_not_authenticate_the_api(client, device):
    """The API takes the device token from the header only, so another site cannot post in the person's name."""
    _registration, headers = device
    client.cookies["lifeline_device"] = headers["HTTP_AUTHORIZATION"].split(" ", 1)[1]
    assert client.post("/api/app/push", SUBSCRIPTION, content_type="application/json").status_code == 401


def test_current_alerts_in_the_readers_language(client, org_a, areas):
    from django.utils import timezone

    from lifeline.alerts.models import Alert, AlertArea, InfoBlock, State

    alert = Alert.objects.create(
        organisation=org_a,
        sender="cd@example.org",
        identifier="A-1",
        sent=timezone.now(),
        state=State.PUBLISHED,
        published_at=timezone.now(),
        expires=timezone.now() + timezone.timedelta(hours=6),
    )
    for language, headline in (("en-US", "Flood warning"), ("ar", "تحذير من الفيضانات")):
        block = InfoBlock.objects.create(
            alert=alert,
            language=language,
            event="Flood",
            headline=headline,
            categories=["Met"],
            urgency="Immediate",
            severity="Severe",
            certainty="Likely",
        )
        area = AlertArea.objects.create(info=block, area_desc="Amman")
        area.admin_areas.set([areas["amman"]])
    Alert.objects.create(organisation=org_a, sender="cd@example.org", identifier="A-2", state=State.DRAFT)

    data = client.get("/api/app/alerts?country=JO&lang=ar").json()
    assert [(a["headline"], a["dir"]) for a in data] == [("تحذير من الفيضانات", "rtl")]
    assert client.get("/api/app/alerts?country=LB&lang=en").json() == []
    assert client.get("/api/app/alerts?lang=fr").json()[0]["headline"] == "Flood warning"
