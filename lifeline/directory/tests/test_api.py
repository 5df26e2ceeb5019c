from django.core.files.uploadedfile import SimpleUploadedFile

from lifeline.core.models import ApiToken, AuditEntry, Role
from lifeline.directory.models import KeyContact

PAYLOAD = {
    "name": "Nepali Society",
    "category": "migrant_association",
    "languages": ["ne", "hi"],
    "channels": [{"type": "phone", "value": "+962 79 111 1111"}],
    "coverage_areas": ["JO11"],
}


def test_openapi_schema_is_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/contacts" in schema["paths"]


def test_requires_a_valid_token(client, db):
    assert client.get("/api/contacts").status_code == 401
    assert client.get("/api/contacts", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_revoked_and_expired_tokens_are_refused(client, make_user, org_a):
    from django.utils import timezone

    user = make_user(org_a)
    token, raw = ApiToken.issue(user, "t")
    token.revoked = True
    token.save()
    assert client.get("/api/contacts", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    token2, raw2 = ApiToken.issue(user, "t2")
    ApiToken.objects.filter(pk=token2.pk).update(expires=timezone.now())
    assert client.get("/api/contacts", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401


def test_create_read_update_delete_with_audit(api, make_user, org_a, areas):
    user = make_user(org_a, role=Role.COORDINATOR)
    client = api(user)
    created = client.post("/api/contacts", PAYLOAD, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["channels"] == [{"type": "phone", "value": "+962791111111"}] and body["organisation"] == org_a.pk
    )
    pk = body["id"]
    assert AuditEntry.objects.filter(action="create", object_id=str(pk), actor_id=user.pk, via="api").exists()
    detail = client.get(f"/api/contacts/{pk}").json()
    assert detail["languages"] == ["hi", "ne"] or sorted(detail["languages"]) == ["hi", "ne"]
    assert AuditEntry.objects.filter(action="view", object_id=str(pk), via="api").exists()
    updated = client.put(
        f"/api/contacts/{pk}", {**PAYLOAD, "trust_level": "high"}, content_type="application/json"
    )
    assert updated.status_code == 200 and updated.json()["trust_level"] == "high"
    listed = client.get("/api/contacts", {"language": "ne"}).json()
    assert listed["count"] == 1 and listed["items"][0]["channels"] is None  # lists never carry personal data
    assert client.delete(f"/api/contacts/{pk}").status_code == 204
    assert not KeyContact.objects.filter(pk=pk).exists()


def test_bad_input_gets_field_errors_and_changes_nothing(api, make_user, org_a, areas):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    response = client.post(
        "/api/contacts",
        {
            **PAYLOAD,
            "languages": ["xx-nope"],
            "channels": [{"type": "phone", "value": "12"}],
            "coverage_areas": ["JO99"],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"languages", "channels", "coverage_areas"} <= set(errors)
    assert KeyContact.objects.count() == 0
    assert client.post("/api/contacts", "not json", content_type="application/json").status_code in (400, 422)


def test_scopes_hold_in_the_api(api, make_user, org_a, org_b):
    other = KeyContact.objects.create(organisation=org_b, name="B's")
    client = api(make_user(org_a, role=Role.COORDINATOR))
    assert client.get(f"/api/contacts/{other.pk}").status_code == 404
    assert (
        client.put(f"/api/contacts/{other.pk}", PAYLOAD, content_type="application/json").status_code == 404
    )
    assert client.delete(f"/api/contacts/{other.pk}").status_code == 404
    assert client.get("/api/contacts").json()["count"] == 0
    response = client.post(
        "/api/contacts", {**PAYLOAD, "organisation": org_b.pk}, content_type="application/json"
    )
    assert response.status_code == 422 and not KeyContact.objects.filter(name="Nepali Society").exists()


def test_viewer_cannot_write_and_sees_no_channels(api, make_user, org_a):
    contact = KeyContact.objects.create(
        organisation=org_a, name="A", channels=[{"type": "email", "value": "a@example.org"}]
    )
    client = api(make_user(org_a, role=Role.VIEWER))
    assert client.post("/api/contacts", PAYLOAD, content_type="application/json").status_code == 403
    assert client.get(f"/api/contacts/{contact.pk}").json()["channels"] is None
    assert client.get("/api/contacts/export").status_code == 403


def test_import_and_export_through_the_api(api, make_user, org_a, areas):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    good = "name,kind,category,languages,coverage_areas\nNepali Society,organisation,ngo,ne,JO11\n"
    dry = client.post(
        "/api/contacts/import", {"file": SimpleUploadedFile("c.csv", good.encode()), "dry_run": "true"}
    )
    assert dry.status_code == 200 and dry.json()["created"] == 1 and KeyContact.objects.count() == 0
    bad = client.post(
        "/api/contacts/import",
        {"file": SimpleUploadedFile("c.csv", (good + "X,organisation,nope,,\n").encode())},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["row"] == 3 and KeyContact.objects.count() == 0
    ok = client.post("/api/contacts/import", {"file": SimpleUploadedFile("c.csv", good.encode())})
    assert ok.status_code == 200 and KeyContact.objects.count() == 1
    export = client.get("/api/contacts/export", {"format": "csv", "hxl": "true"})
    assert (
        export.status_code == 200
        and b"#contact+name" in export.content
        and b"Nepali Society" in export.content
    )
