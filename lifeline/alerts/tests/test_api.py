import io

import pytest

from lifeline.alerts.models import Alert, State
from lifeline.core.models import Role

from .conftest import AMMAN_POLYGON, CAP_DIR, sample

DRAFT = {
    "info": [
        {
            "language": "en",
            "event": "Flood",
            "headline": "Flood warning",
            "instruction": "Go up.",
            "categories": ["Met"],
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Likely",
            "expires": "2099-01-01T03:00:00+03:00",
        },
        {
            "language": "ar",
            "event": "فيضان",
            "headline": "تحذير من الفيضان",
            "categories": ["Met"],
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Likely",
        },
    ],
    "area": {"area_desc": "Amman", "polygons": [AMMAN_POLYGON], "pcodes": ["JO11"]},
}


def post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def test_draft_submit_approve(api, make_user, org_a, areas):
    author = make_user(org_a)
    response = post(api(author), "/api/alerts", DRAFT)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft" and [i["language"] for i in body["info"]] == ["en", "ar"]
    assert body["info"][0]["areas"][0]["pcodes"] == ["JO11"]
    assert body["info"][0]["expires"].startswith(
        "2099-01-01T00:00:00"
    )  # the instant given, whatever the zone
    pk = body["id"]
    assert post(api(author), f"/api/alerts/{pk}/submit", {}).json()["state"] == "awaiting"
    own = post(api(author), f"/api/alerts/{pk}/approve", {})
    assert own.status_code == 409
    approved = post(api(make_user(org_a, role=Role.COORDINATOR)), f"/api/alerts/{pk}/approve", {})
    assert (
        approved.status_code == 200
        and approved.json()["state"] == "published"
        and approved.json()["identifier"]
    )
    texts = api(author).get(f"/api/alerts/{pk}/texts").json()
    assert texts["en"]["subject"] == "Flood warning" and texts["ar"]["short"].startswith("تحذير")


def test_bad_draft_is_refused_field_by_field(api, make_user, org_a, areas):
    payload = {**DRAFT, "area": {"area_desc": "x", "polygons": ["1,2 3,4 1,2"], "pcodes": ["XX99"]}}
    payload["info"] = [{**DRAFT["info"][0], "language": "not a tag"}]
    response = post(api(make_user(org_a)), "/api/alerts", payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "info[0].language" in errors and "area.polygons" in errors and "area.pcodes" in errors
    assert not Alert.objects.exists()


def test_override_needs_reason(api, make_user, org_a, areas):
    author = make_user(org_a)
    pk = post(api(author), "/api/alerts", DRAFT).json()["id"]
    assert post(api(author), f"/api/alerts/{pk}/publish", {"reason": " "}).status_code == 409
    response = post(api(author), f"/api/alerts/{pk}/publish", {"reason": "Dam breach"})
    assert response.status_code == 200 and response.json()["override_reason"] == "Dam breach"


def test_scoping_and_roles(api, make_user, org_a, org_b, areas):
    pk = post(api(make_user(org_a)), "/api/alerts", DRAFT).json()["id"]
    other = api(make_user(org_b, role=Role.COORDINATOR))
    assert other.get(f"/api/alerts/{pk}").status_code == 404
    assert post(other, f"/api/alerts/{pk}/submit", {}).status_code == 404
    assert other.get("/api/alerts").json()["items"] == []
    viewer = api(make_user(org_a, role=Role.VIEWER))
    assert viewer.get(f"/api/alerts/{pk}").status_code == 200
    assert post(viewer, "/api/alerts", DRAFT).status_code == 403
    assert post(viewer, f"/api/alerts/{pk}/submit", {}).status_code == 403
    assert Alert.objects.get().state == State.DRAFT


@pytest.mark.skipif(not CAP_DIR.exists(), reason="the shared CAP data is not beside the project")
def test_import(api, make_user, org_a):
    client = api(make_user(org_a))

    def upload(name):
        data = io.BytesIO(sample(name))
        data.name = name
        return client.post("/api/alerts/import", {"file": data})

    assert upload("cap12_be_kmi_irm_update_4lang.xml").status_code == 201
    assert upload("cap12_be_kmi_irm_update_4lang.xml").json()["outcome"] == "duplicate"
    rejected = upload("invalid_cap12_missing_scope.xml")
    assert rejected.status_code == 422 and "scope" in rejected.json()["reason"]
    assert Alert.objects.count() == 1
