from lifeline.api.tests.conftest import api  # noqa: F401 - the fixture
from lifeline.core.models import Role
from lifeline.messaging.models import Send, State
from lifeline.messaging.tests.conftest import people

TEXTS = {"en": {"subject": "Flood", "body": "Flood warning.", "short": "Flood"}}


def test_start_a_send_and_follow_its_counts(api, org_a, make_user, run, outbox):  # noqa: F811
    client = api(make_user(org_a))
    payload = {
        "name": "Flood",
        "audience": people(3, sms="+96279000{i:04d}"),
        "texts": TEXTS,
        "channels": ["sms", "email"],
    }
    response = run(client.post, "/api/messaging/sends", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == org_a.pk and body["languages"] == ["en"]
    counts = client.get(f"/api/messaging/sends/{body['id']}/counts").json()
    assert counts["states"][State.SENT] == 3 and counts["channels"]["sms"][State.SENT] == 3
    assert [s["id"] for s in client.get("/api/messaging/sends").json()["items"]] == [body["id"]]


def test_bad_payloads_are_422_and_store_nothing(api, org_a, org_b, make_user):  # noqa: F811
    client = api(make_user(org_a))
    for payload in (
        {"name": "x", "audience": {"kind": "nope"}, "texts": TEXTS, "channels": ["sms"]},
        {"name": "x", "audience": people(1, sms="+962790000000"), "texts": {}, "channels": ["sms"]},
        {"name": "x", "audience": people(1, sms="+962790000000"), "texts": TEXTS, "channels": ["pigeon"]},
        {
            "name": "x",
            "audience": people(1, sms="+962790000000"),
            "texts": {"zz-nope": {"body": "x"}},
            "channels": ["sms"],
        },
        {
            "name": "x",
            "audience": {"kind": "subscribers", "organisation_ids": [org_b.pk]},
            "texts": TEXTS,
            "channels": ["sms"],
        },
        {
            "name": "x",
            "organisation": org_b.pk,
            "audience": people(1, sms="+962790000000"),
            "texts": TEXTS,
            "channels": ["sms"],
        },
    ):
        response = client.post("/api/messaging/sends", payload, content_type="application/json")
        assert response.status_code == 422, (payload, response.content)
        assert "detail" in response.json()
    assert not Send.objects.exists()


def test_viewers_cannot_send_and_others_cannot_see(api, org_a, org_b, make_user, run):  # noqa: F811
    viewer = api(make_user(org_a, role=Role.VIEWER))
    payload = {"name": "x", "audience": people(1, sms="+962790000000"), "texts": TEXTS, "channels": ["sms"]}
    assert viewer.post("/api/messaging/sends", payload, content_type="application/json").status_code == 403
    owner = api(make_user(org_a))
    sent = run(owner.post, "/api/messaging/sends", payload, content_type="application/json").json()
    other = api(make_user(org_b))
    assert other.get(f"/api/messaging/sends/{sent['id']}").status_code == 404
    assert other.get(f"/api/messaging/sends/{sent['id']}/counts").status_code == 404


def test_preview(api, org_a, make_user):  # noqa: F811
    client = api(make_user(org_a))
    audience = people(4, sms="+96279000{i:04d}")
    response = client.post(
        "/api/messaging/preview", {"audience": audience, "texts": TEXTS}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["by_language"] == {"en": 4} and response.json()["missing_languages"] == {
        "ar": 2,
        "fil-PH": 2,
    }


def test_a_long_typed_in_list_needs_a_coordinator(api, org_a, make_user, settings, outbox):  # noqa: F811
    settings.MESSAGING_STATIC_LIMIT = 5
    payload = {
        "name": "Blast",
        "audience": people(6, email="p{i}@example.org"),
        "texts": TEXTS,
        "channels": ["email"],
    }
    response = api(make_user(org_a)).post("/api/messaging/sends", payload, content_type="application/json")
    assert response.status_code == 422
    reason = " ".join(response.json()["errors"]["__all__"])
    assert "more than 5 addresses" in reason and "coordinator" in reason
    assert not Send.objects.exists()
    small = dict(payload, audience=people(5, email="p{i}@example.org"))
    assert (
        api(make_user(org_a)).post("/api/messaging/sends", small, content_type="application/json").status_code
        == 201
    )
    coordinator = api(make_user(org_a, role=Role.COORDINATOR))
    assert (
        coordinator.post("/api/messaging/sends", payload, content_type="application/json").status_code == 201
    )
    assert Send.objects.count() == 2
