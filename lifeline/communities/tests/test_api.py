import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lifeline.communities.models import CommunityProfile, ProfileVersion
from lifeline.core.models import AuditEntry, Role
from lifeline.directory.models import KeyContact
from lifeline.geo.models import Country


@pytest.fixture
def origins(db):
    return {
        code: Country.objects.get_or_create(code=code, defaults={"iso3": iso3})[0]
        for code, iso3 in (("PH", "PHL"), ("NP", "NPL"))
    }


@pytest.fixture
def leader(org_a):
    return KeyContact.objects.create(
        organisation=org_a, name="Nepali Society", category="migrant_association"
    )


PAYLOAD = {
    "name": "Nepali construction workers",
    "origin_countries": ["NP"],
    "languages": ["ne"],
    "estimated_size": 3000,
    "size_source": "Key informants",
    "size_date": "2026-01-15",
    "female_pct": 10,
    "children_pct": 5,
    "elderly_pct": 1,
    "areas": ["JO11"],
    "sectors": ["construction"],
    "housing": "employer",
    "vulnerabilities": ["language", "documents_held"],
    "fear_of_enforcement": "high",
    "phone_use_pct": 95,
    "smartphone_pct": 80,
    "note": "First survey",
}


def post(client, payload):
    return client.post("/api/communities", payload, content_type="application/json")


def test_routes_are_in_the_schema_and_need_a_token(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/communities",
        "/api/communities/{pk}",
        "/api/communities/export",
        "/api/communities/import",
    } <= set(paths)
    assert client.get("/api/communities").status_code == 401


def test_create_read_update_delete_with_versions_and_audit(api, make_user, org_a, areas, origins, leader):
    user = make_user(org_a, role=Role.COORDINATOR)
    client = api(user)
    created = post(client, {**PAYLOAD, "focal_points": [leader.pk]})
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["organisation"] == org_a.pk and body["version"] == 1
    assert body["origin_countries"] == ["NP"] and body["languages"] == ["ne"] and body["areas"] == ["JO11"]
    assert body["vulnerabilities"] == ["documents_held", "language"]  # sorted by the form
    assert body["focal_points"] == [leader.pk] and body["size_date"] == "2026-01-15"
    assert AuditEntry.objects.filter(action="create", object_id=str(pk), actor_id=user.pk, via="api").exists()
    first = ProfileVersion.objects.get(profile_id=pk)
    assert (first.number, first.note, first.created_by) == (1, "First survey", user)
    assert first.data["origin_countries"] == ["NP"] and first.data["estimated_size"] == 3000

    assert client.get(f"/api/communities/{pk}").json() == body

    changed = client.put(
        f"/api/communities/{pk}",
        {**PAYLOAD, "estimated_size": 4500, "areas": ["JO11", "JO21"], "note": "Recount"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["estimated_size"] == 4500 and changed.json()["version"] == 2
    assert changed.json()["focal_points"] == []  # a PUT replaces: no focal point given, none kept
    profile = CommunityProfile.objects.get(pk=pk)
    assert profile.version == 2 and profile.organisation == org_a
    latest = profile.versions.get(number=2)
    assert (
        latest.note == "Recount"
        and latest.data["estimated_size"] == 4500
        and latest.data["areas"] == ["Amman (JO11)", "Irbid (JO21)"]
    )
    updates = AuditEntry.objects.filter(action="update", object_id=str(pk), via="api")
    assert any("estimated_size" in u.fields for u in updates)
    assert any(u.fields == ["areas"] for u in updates)  # link changes are audited too

    assert client.delete(f"/api/communities/{pk}").status_code == 204
    assert not CommunityProfile.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pk), via="api").exists()


def test_list_filters_mirror_the_filter_form(api, make_user, org_a, areas, origins, leader):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    assert post(client, {**PAYLOAD, "focal_points": [leader.pk]}).status_code == 201
    assert (
        post(
            client,
            {
                **PAYLOAD,
                "name": "Filipino domestic workers",
                "origin_countries": ["PHL"],
                "languages": ["tl", "en"],
                "areas": ["JO21"],
            },
        ).status_code
        == 201
    )
    names = lambda params: [c["name"] for c in client.get("/api/communities", params).json()["items"]]  # noqa: E731
    assert names({}) == ["Filipino domestic workers", "Nepali construction workers"]  # ordered by name
    assert (
        names({"origin": "PH"})
        == names({"language": "fil"})
        == names({"area": "JO21"})
        == ["Filipino domestic workers"]
    )
    assert names({"no_focal_point": "true"}) == ["Filipino domestic workers"]
    assert names({"q": "nepali"}) == ["Nepali construction workers"]
    assert names({"origin": "XX"}) == names({"area": "JO99"}) == []  # a value naming nothing selects nothing
    page = client.get("/api/communities", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [c["name"] for c in page["items"]] == ["Nepali construction workers"]
    assert page["items"][0]["languages"] == ["ne"] and page["items"][0]["focal_points"] == [leader.pk]
    far = client.get(
        "/api/communities", {"offset": 2**63 + 5}
    )  # beyond any SQL OFFSET: an empty page, not a 500
    assert far.status_code == 200 and far.json() == {"items": [], "count": 2}


def test_bad_input_gets_the_forms_errors_and_writes_nothing(api, make_user, org_a, org_b, areas, origins):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    elsewhere = KeyContact.objects.create(organisation=org_b, name="B's contact")
    response = post(
        client,
        {
            **PAYLOAD,
            "origin_countries": ["NP", "QQ"],
            "languages": ["xx-nope"],
            "areas": ["JO99"],
            "children_pct": 70,
            "elderly_pct": 40,
            "focal_points": [elsewhere.pk],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "invalid"
    errors = body["errors"]
    assert {"origin_countries", "languages", "areas", "elderly_pct", "focal_points"} <= set(errors)
    assert errors["origin_countries"] == [
        "“QQ” is not a country we know. Type its name or its code, for example Jordan or JO."
    ]
    assert errors["areas"] == ["Unknown P-codes: JO99"]
    assert "more than 100%" in errors["elderly_pct"][0]
    out_of_range = post(client, {**PAYLOAD, "literacy_rate": 150, "estimated_size": -1})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["errors"]["literacy_rate"] == ["Enter a percentage from 0 to 100."]
    assert "estimated_size" in out_of_range.json()["errors"]
    assert not CommunityProfile.objects.exists() and not ProfileVersion.objects.exists()
    assert not AuditEntry.objects.filter(object_type="communities.communityprofile").exists()
    # Refused by the schema before any form: the wrong type, a NUL, an unknown choice.
    assert post(client, {**PAYLOAD, "estimated_size": "many"}).status_code == 422
    assert post(client, {**PAYLOAD, "name": "a\x00b"}).status_code == 422
    assert post(client, {**PAYLOAD, "sectors": ["piracy"]}).status_code == 422
    assert client.post("/api/communities", "not json", content_type="application/json").status_code in (
        400,
        422,
    )
    assert not CommunityProfile.objects.exists()


def test_a_failed_update_keeps_the_profile_and_its_versions(api, make_user, org_a, areas, origins):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    pk = post(client, PAYLOAD).json()["id"]
    response = client.put(
        f"/api/communities/{pk}",
        {**PAYLOAD, "phone_use_pct": 10, "smartphone_pct": 50},
        content_type="application/json",
    )
    assert response.status_code == 422 and "smartphone_pct" in response.json()["errors"]
    profile = CommunityProfile.objects.get(pk=pk)
    assert (profile.phone_use_pct, profile.smartphone_pct, profile.version) == (95, 80, 1)
    assert profile.versions.count() == 1


def test_scopes_hold_in_the_api(api, make_user, org_a, org_b, areas, origins):
    other = CommunityProfile.objects.create(organisation=org_b, name="B's community")
    client = api(make_user(org_a, role=Role.COORDINATOR))
    assert client.get(f"/api/communities/{other.pk}").status_code == 404
    assert (
        client.put(f"/api/communities/{other.pk}", PAYLOAD, content_type="application/json").status_code
        == 404
    )
    assert client.delete(f"/api/communities/{other.pk}").status_code == 404
    assert client.get("/api/communities").json()["count"] == 0
    response = post(client, {**PAYLOAD, "organisation": org_b.pk})
    assert response.status_code == 422 and "organisation" in response.json()["errors"]
    assert not CommunityProfile.objects.filter(name=PAYLOAD["name"]).exists()
    other.refresh_from_db()
    assert other.name == "B's community" and other.versions.count() == 0


def test_viewer_reads_but_cannot_write_or_export(api, make_user, org_a, areas, origins):
    profile = CommunityProfile.objects.create(organisation=org_a, name="A's community")
    client = api(make_user(org_a, role=Role.VIEWER))
    assert client.get(f"/api/communities/{profile.pk}").json()["name"] == "A's community"
    assert post(client, PAYLOAD).status_code == 403
    assert (
        client.put(f"/api/communities/{profile.pk}", PAYLOAD, content_type="application/json").status_code
        == 403
    )
    assert client.delete(f"/api/communities/{profile.pk}").status_code == 403
    assert client.get("/api/communities/export").status_code == 403
    upload = SimpleUploadedFile("c.csv", b"name\nX\n")
    assert client.post("/api/communities/import", {"file": upload}).status_code == 403
    profile.refresh_from_db()
    assert profile.name == "A's community" and CommunityProfile.objects.count() == 1


def test_import_and_export_through_the_api(api, make_user, org_a, areas, origins, leader):
    user = make_user(org_a, role=Role.COORDINATOR)
    client = api(user)
    good = "name,origin_countries,languages,areas,focal_points,female_pct\nNepali workers,NP,ne,JO11,nepali society,10\n"
    dry = client.post(
        "/api/communities/import", {"file": SimpleUploadedFile("c.csv", good.encode()), "dry_run": "true"}
    )
    assert dry.status_code == 200 and dry.json()["created"] == 1 and dry.json()["dry_run"] is True
    assert CommunityProfile.objects.count() == 0
    bad = good + "Other,PH,fil,JO11,Nobody Known,150\n"
    refused = client.post("/api/communities/import", {"file": SimpleUploadedFile("c.csv", bad.encode())})
    assert refused.status_code == 400 and not refused.json()["ok"]
    assert {(e["row"], e["column"]) for e in refused.json()["errors"]} == {
        (3, "focal_points"),
        (3, "female_pct"),
    }
    assert CommunityProfile.objects.count() == 0
    ok = client.post("/api/communities/import", {"file": SimpleUploadedFile("c.csv", good.encode())})
    assert ok.status_code == 200 and ok.json()["created"] == 1
    profile = CommunityProfile.objects.get()
    assert list(profile.focal_points.all()) == [leader] and profile.version == 1
    assert profile.versions.get().created_by == user
    assert AuditEntry.objects.filter(action="import", actor_id=user.pk, via="api").exists()

    export = client.get("/api/communities/export", {"format": "csv", "hxl": "true"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("name,origin_countries") and lines[1].startswith("#group+name,#country+code")
    assert lines[2].startswith("Nepali workers,NP") and "Nepali Society" in lines[2]
    assert AuditEntry.objects.filter(
        action="export", object_type="communities.communityprofile", via="api"
    ).exists()
    filtered = client.get("/api/communities/export", {"origin": "PH"})
    assert filtered.status_code == 200 and len(filtered.content.decode("utf-8-sig").splitlines()) == 1
    xlsx = client.get("/api/communities/export", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
