import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lifeline.core.models import AuditEntry, Language, Role
from lifeline.interpreters.models import AvailabilityWindow, Interpreter, LanguagePair

PHONE = "+962791234567"


def make_interpreter(organisation, name, pairs=(), **fields):
    fields.setdefault("consent_stored", True)
    fields.setdefault("consent_contact", True)
    interpreter = Interpreter.objects.create(organisation=organisation, full_name=name, **fields)
    for source, target, both, proficiency in pairs:
        LanguagePair.objects.create(
            interpreter=interpreter,
            source=Language.lookup(source),
            target=Language.lookup(target),
            both_directions=both,
            proficiency=proficiency,
        )
    return interpreter


@pytest.fixture
def maria(org_a, areas):
    """A Filipino–Spanish interpreter in Amman, with contact details."""
    interpreter = make_interpreter(
        org_a,
        "Maria Santos",
        pairs=[("fil", "es", False, 4)],
        phone=PHONE,
        email="maria@example.org",
        messaging=[{"type": "whatsapp", "value": PHONE}],
        modalities=["consecutive"],
        specialisations=["medical"],
        home_area=areas["amman"],
        city="Amman",
        always_available=True,
    )
    AvailabilityWindow.objects.create(
        interpreter=interpreter, weekday=0, start=datetime.time(9), end=datetime.time(17)
    )
    return interpreter


PAYLOAD = {
    "full_name": "Ana Reyes",
    "phone": "+962 79 123 4567",
    "email": "ana@example.org",
    "messaging": [{"type": "telegram", "value": "@anareyes"}],
    "modalities": ["remote_video", "consecutive"],
    "specialisations": ["medical"],
    "home_area": "JO11",
    "city": "Amman",
    "engagement": "volunteer",
    "consent_stored": True,
    "consent_contact": True,
    "pairs": [{"source": "tl", "target": "es", "both_directions": False, "proficiency": 4, "script": "latn"}],
    "availability": [{"weekday": 5, "start": "10:00", "end": "14:00"}],
}


def post(client, payload):
    return client.post("/api/interpreters", payload, content_type="application/json")


def put(client, pk, payload):
    return client.put(f"/api/interpreters/{pk}", payload, content_type="application/json")


def test_routes_are_in_the_schema_and_need_a_token(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/interpreters",
        "/api/interpreters/{pk}",
        "/api/interpreters/search",
        "/api/interpreters/export",
        "/api/interpreters/import",
    } <= set(paths)
    assert client.get("/api/interpreters").status_code == 401
    assert client.get("/api/interpreters/search", {"source": "ar"}).status_code == 401


def test_create_read_update_delete_with_audit(api, make_user, org_a, areas):
    user = make_user(org_a, role=Role.COORDINATOR)
    client = api(user)
    created = post(client, PAYLOAD)
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["organisation"] == org_a.pk and body["phone"] == PHONE and body["home_area"] == "JO11"
    assert body["messaging"] == [{"type": "telegram", "value": "@anareyes"}]
    assert body["modalities"] == ["consecutive", "remote_video"]  # sorted by the form
    assert body["pairs"] == [
        {
            "source": "fil",
            "target": "es",
            "both_directions": False,
            "proficiency": 4,
            "dialect": "",
            "script": "Latn",
            "certified": False,
            "certification": "",
        }
    ]
    assert body["availability"] == [{"weekday": 5, "start": "10:00:00", "end": "14:00:00"}]
    ana = Interpreter.objects.get(pk=pk)
    assert ana.phone == PHONE and ana.email == "ana@example.org" and ana.pairs.count() == 1
    create = AuditEntry.objects.get(action="create", object_id=str(pk))
    assert create.actor_id == user.pk and create.via == "api" and create.object_repr == f"#{pk}"

    detail = client.get(f"/api/interpreters/{pk}")
    assert detail.status_code == 200 and detail.json() == body
    view = AuditEntry.objects.get(action="view", object_id=str(pk))
    assert view.fields == ["email", "messaging", "phone"] and view.via == "api" and view.actor_id == user.pk

    listed = client.get("/api/interpreters", {"language": "Tagalog"}).json()
    assert listed["count"] == 1 and listed["items"][0]["full_name"] == "Ana Reyes"
    item = listed["items"][0]
    assert (
        item["phone"] is None and item["email"] is None and item["messaging"] is None
    )  # lists never carry them
    assert item["pairs"][0]["source"] == "fil"
    assert AuditEntry.objects.filter(action="view").count() == 1

    pair_id = ana.pairs.get().pk
    replaced = put(
        client,
        pk,
        {
            **PAYLOAD,
            "vetting": "vetted",
            "pairs": [PAYLOAD["pairs"][0], {"source": "ar", "target": "en", "proficiency": 3}],
            "availability": [],
        },
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["vetting"] == "vetted" and replaced.json()["availability"] == []
    assert sorted(str(p) for p in ana.pairs.all()) == ["Arabic ↔ English", "Filipino → Spanish"]
    assert ana.pairs.filter(pk=pair_id).exists()  # the unchanged pair is kept, not recreated
    assert not AvailabilityWindow.objects.filter(interpreter_id=pk).exists()
    assert AuditEntry.objects.filter(
        action="update", object_id=str(pk), fields=["availability", "pairs"]
    ).exists()
    assert AuditEntry.objects.filter(
        action="update", object_id=str(pk), fields=["vetting"], via="api"
    ).exists()

    assert client.delete(f"/api/interpreters/{pk}").status_code == 204
    assert not Interpreter.objects.filter(pk=pk).exists() and not LanguagePair.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pk), via="api").exists()


def test_a_put_matches_stored_pairs_and_windows_by_value(api, make_user, org_a, maria):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    pair, window = maria.pairs.get(), maria.availability.get()
    payload = {
        **PAYLOAD,
        "full_name": "Maria Santos",
        "phone": PHONE,
        "pairs": [
            {"source": "es", "target": "fil", "both_directions": False},
            {"source": "tl", "target": "es", "both_directions": False, "proficiency": 2},
        ],
        "availability": [{"weekday": 0, "start": "09:00", "end": "17:00"}],
    }
    response = put(client, maria.pk, payload)
    assert response.status_code == 200, response.content
    pairs = {(p.source.code, p.target.code, p.both_directions, p.proficiency) for p in maria.pairs.all()}
    assert pairs == {("es", "fil", False, 3), ("fil", "es", False, 2)}
    assert maria.pairs.get(source__code="fil").pk == pair.pk  # tl→es is the stored fil→es, updated in place
    assert list(maria.availability.values_list("pk", flat=True)) == [window.pk]  # the same window is kept
    updates = AuditEntry.objects.filter(action="update", object_id=str(maria.pk))
    assert sorted(e.fields for e in updates) == [
        ["always_available", "email", "messaging", "modalities"],
        ["pairs"],
    ]
    # Given once more, nothing changes and no change is audited.
    assert put(client, maria.pk, payload).status_code == 200
    assert updates.count() == 2
    # Both directions: es↔fil covers fil→es, so listing both is the formset's "listed twice" error.
    both = {**payload, "pairs": [{"source": "es", "target": "fil"}, {"source": "fil", "target": "es"}]}
    assert "is listed twice" in put(client, maria.pk, both).json()["errors"]["pairs"][0]


def test_bad_input_gets_the_forms_errors_and_writes_nothing(api, make_user, org_a, areas):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    response = post(
        client,
        {
            **PAYLOAD,
            "consent_stored": False,
            "phone": "12",
            "messaging": [{"type": "phone", "value": PHONE}],
            "home_area": "JO99",
            "pairs": [
                {"source": "tl", "target": "es"},
                {"source": "xx", "target": "es"},
                {"source": "ar", "target": "ara"},
            ],
            "availability": [{"weekday": 0, "start": "17:00", "end": "09:00"}],
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["consent_stored"][0].startswith("No consent, no record")
    assert "is not a valid phone number" in errors["phone"][0]
    assert "is not a messaging app" in errors["messaging"][0]
    assert errors["home_area"] == ["Unknown P-code: JO99"]
    assert "is not a language we know" in errors["pairs[1].source"][0]
    assert errors["pairs[2]"] == ["A language pair needs two different languages."]
    assert errors["availability[0]"] == ["“Until” must be after “from”."]
    assert "pairs[0].source" not in errors
    assert not Interpreter.objects.exists() and not LanguagePair.objects.exists()
    assert not AvailabilityWindow.objects.exists()
    assert not AuditEntry.objects.exists()

    twice = post(
        client,
        {
            **PAYLOAD,
            "pairs": [
                {"source": "ar", "target": "en"},
                {"source": "en", "target": "ar", "both_directions": False},
            ],
        },
    )
    assert twice.status_code == 422 and "is listed twice" in twice.json()["errors"]["pairs"][0]
    blank = post(client, {**PAYLOAD, "pairs": [{"source": "", "target": ""}]})
    assert (
        blank.status_code == 422 and "pairs[0].source" in blank.json()["errors"]
    )  # a blank pair is not skipped
    no_consent = {k: v for k, v in PAYLOAD.items() if k != "consent_stored"}
    assert "consent_stored" in post(client, no_consent).json()["errors"]
    assert (
        post(
            client, {**PAYLOAD, "availability": [{"weekday": 7, "start": "10:00", "end": "11:00"}]}
        ).status_code
        == 422
    )
    assert (
        post(client, {**PAYLOAD, "messaging": [{"type": "telegram", "value": "@a\nphone:1"}]}).status_code
        == 422
    )
    assert post(client, {**PAYLOAD, "notes": "x\x00"}).status_code == 422
    assert not Interpreter.objects.exists()


def test_a_failed_update_changes_nothing(api, make_user, org_a, maria):
    client = api(make_user(org_a, role=Role.COORDINATOR))
    pair = maria.pairs.get()
    response = put(
        client, maria.pk, {**PAYLOAD, "full_name": "Renamed", "pairs": [{"source": "ar", "target": "ar"}]}
    )
    assert response.status_code == 422 and "pairs[0]" in response.json()["errors"]
    maria.refresh_from_db()
    assert (
        maria.full_name == "Maria Santos"
        and list(maria.pairs.all()) == [pair]
        and maria.availability.count() == 1
    )
    assert not AuditEntry.objects.filter(action="update").exists()


def test_scopes_hold_in_the_api(api, make_user, org_a, org_b, areas):
    other = make_interpreter(org_b, "B's interpreter", pairs=[("ar", "en", True, 3)], phone=PHONE)
    client = api(make_user(org_a, role=Role.COORDINATOR))
    assert client.get(f"/api/interpreters/{other.pk}").status_code == 404
    assert put(client, other.pk, PAYLOAD).status_code == 404
    assert client.delete(f"/api/interpreters/{other.pk}").status_code == 404
    assert client.get("/api/interpreters").json()["count"] == 0
    assert client.get("/api/interpreters/search", {"source": "ar"}).json() == []
    assert b"B's interpreter" not in client.get("/api/interpreters/export").content
    response = post(client, {**PAYLOAD, "organisation": org_b.pk})
    assert response.status_code == 422 and "organisation" in response.json()["errors"]
    assert Interpreter.objects.get() == other and not AuditEntry.objects.filter(action="view").exists()


def test_viewer_sees_no_personal_fields_and_cannot_write(api, make_user, org_a, maria):
    client = api(make_user(org_a, role=Role.VIEWER))
    body = client.get(f"/api/interpreters/{maria.pk}").json()
    assert body["full_name"] == "Maria Santos" and body["pairs"][0]["target"] == "es"
    assert body["phone"] is None and body["email"] is None and body["messaging"] is None
    assert not AuditEntry.objects.filter(action="view").exists()  # nothing personal was shown
    assert post(client, {**PAYLOAD, "phone": "", "email": "", "messaging": []}).status_code == 403
    assert put(client, maria.pk, PAYLOAD).status_code == 403
    assert client.delete(f"/api/interpreters/{maria.pk}").status_code == 403
    assert client.get("/api/interpreters/export").status_code == 403
    assert (
        client.post(
            "/api/interpreters/import", {"file": SimpleUploadedFile("i.csv", b"full_name\nX\n")}
        ).status_code
        == 403
    )
    assert Interpreter.objects.get().full_name == "Maria Santos"


def test_without_the_personal_permission_personal_fields_are_null_and_cannot_be_written(
    api, make_user, immigration, areas
):
    """An immigration authority may change the registry but never sees, nor writes, a person's contact details."""
    client = api(make_user(immigration, role=Role.COORDINATOR))
    with_phone = make_interpreter(immigration, "Has a phone", phone=PHONE)
    assert client.get(f"/api/interpreters/{with_phone.pk}").json()["phone"] is None
    assert not AuditEntry.objects.filter(action="view").exists()
    assert (
        put(client, with_phone.pk, {**PAYLOAD, "phone": None, "email": None, "messaging": None}).status_code
        == 403
    )
    assert post(client, PAYLOAD).status_code == 403  # the payload carries contact details
    assert not Interpreter.objects.filter(full_name="Ana Reyes").exists()
    bare = {**PAYLOAD, "phone": None, "email": None, "messaging": None}
    created = post(client, bare)
    assert created.status_code == 201, created.content
    assert created.json()["phone"] is None and created.json()["pairs"][0]["source"] == "fil"
    pk = created.json()["id"]
    assert put(client, pk, {**bare, "city": "Zarqa"}).json()["city"] == "Zarqa"
    assert put(client, pk, {**bare, "email": "x@example.org"}).status_code == 403
    assert Interpreter.objects.get(pk=pk).email == ""
    export = client.get("/api/interpreters/export", {"hxl": "true"})
    assert (
        export.status_code == 200
        and b"#contact+phone" not in export.content
        and PHONE.encode() not in export.content
    )


def test_search_ranks_through_the_search_form(api, make_user, org_a, org_b, areas, maria):
    make_interpreter(
        org_a,
        "Remote one",
        pairs=[("tl", "es", False, 4)],
        home_area=areas["irbid"],
        modalities=["remote_phone"],
        vetting="vetted",
    )
    make_interpreter(org_a, "Irbid not remote", pairs=[("fil", "es", True, 3)], home_area=areas["irbid"])
    make_interpreter(
        org_a,
        "Not contactable",
        pairs=[("fil", "es", True, 3)],
        home_area=areas["amman"],
        consent_contact=False,
    )
    make_interpreter(org_b, "Other agency", pairs=[("fil", "es", True, 3)], home_area=areas["amman"])
    client = api(make_user(org_a, role=Role.VIEWER))
    response = client.get(
        "/api/interpreters/search",
        {"source": "Tagalog", "target": "es", "area": "JO11", "specialisation": "medical"},
    )
    assert response.status_code == 200, response.content
    matches = response.json()
    # org_b's interpreter in Amman is shared knowledge for org_a (same country): found, contacts not shown.
    assert [m["full_name"] for m in matches][:1] == ["Maria Santos"]
    assert {m["full_name"] for m in matches} == {"Maria Santos", "Remote one", "Other agency"}
    matches = [m for m in matches if m["full_name"] != "Other agency"]
    best = matches[0]
    assert best["id"] == maria.pk and best["in_area"] and best["available"] and not best["remote"]
    assert {"in_area", "available", "medical"} <= set(best["reasons"]) and best["score"] > matches[1]["score"]
    assert matches[1]["remote"] and not matches[1]["in_area"] and "vetted" in matches[1]["reasons"]
    assert set(matches[0]) == {
        "id",
        "full_name",
        "score",
        "reasons",
        "in_area",
        "remote",
        "available",
    }  # nothing personal
    local = client.get(
        "/api/interpreters/search", {"source": "fil", "area": "JO11", "remote_ok": "false"}
    ).json()
    assert [m["full_name"] for m in local] == ["Maria Santos", "Other agency"]

    none = client.get("/api/interpreters/search", {"area": "JO11"})
    assert none.status_code == 422 and none.json()["errors"]["__all__"] == ["Give at least one language."]
    unknown = client.get("/api/interpreters/search", {"source": "Nowhereish", "area": "JO99"})
    assert unknown.status_code == 422
    assert set(unknown.json()["errors"]) == {"source", "area"}


def test_list_filters_mirror_the_filter_form(api, make_user, org_a, areas, maria):
    make_interpreter(
        org_a,
        "Karim Haddad",
        pairs=[("fr", "ar", True, 4)],
        home_area=areas["irbid"],
        engagement="paid",
        active=False,
        specialisations=["legal"],
    )
    client = api(make_user(org_a, role=Role.VIEWER))
    names = lambda params: [i["full_name"] for i in client.get("/api/interpreters", params).json()["items"]]  # noqa: E731
    assert names({}) == ["Karim Haddad", "Maria Santos"]
    assert (
        names({"language": "French"})
        == names({"area": "JO21"})
        == names({"engagement": "paid"})
        == ["Karim Haddad"]
    )
    assert (
        names({"specialisation": "medical"})
        == names({"active_only": "true"})
        == names({"q": "amman"})
        == ["Maria Santos"]
    )
    assert names({"area": "JO99"}) == []
    assert client.get("/api/interpreters", {"offset": 2**63, "limit": 500}).json() == {
        "items": [],
        "count": 2,
    }
    assert client.get("/api/interpreters", {"vetting": "nonsense"}).status_code == 422


def test_import_and_export_through_the_api(api, make_user, org_a, areas):
    user = make_user(org_a, role=Role.COORDINATOR)
    client = api(user)
    good = (
        "full_name,city,phone,pairs,availability,home_area,consent_stored,consent_contact\n"
        'Karim Haddad,Irbid,+962 79 765 4321,"fr<>ar:4; en>ar:2",mon 09:00-17:00,JO21,yes,yes\n'
    )
    dry = client.post(
        "/api/interpreters/import", {"file": SimpleUploadedFile("i.csv", good.encode()), "dry_run": "true"}
    )
    assert dry.status_code == 200 and dry.json()["created"] == 1 and not Interpreter.objects.exists()
    bad = good + "Nadia,Zarqa,,tl>tl:9,,JO11,no,yes\n"
    refused = client.post("/api/interpreters/import", {"file": SimpleUploadedFile("i.csv", bad.encode())})
    assert refused.status_code == 400
    assert {(e["row"], e["column"]) for e in refused.json()["errors"]} == {(3, "pairs")}
    assert not Interpreter.objects.exists()
    no_consent = good.replace(",JO21,yes,yes", ",JO21,no,yes")
    refused = client.post(
        "/api/interpreters/import", {"file": SimpleUploadedFile("i.csv", no_consent.encode())}
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["column"] == "consent_stored"
    ok = client.post("/api/interpreters/import", {"file": SimpleUploadedFile("i.csv", good.encode())})
    assert ok.status_code == 200 and ok.json()["created"] == 1
    karim = Interpreter.objects.get()
    assert karim.phone == "+962797654321" and karim.pairs.count() == 2 and karim.availability.count() == 1

    export = client.get("/api/interpreters/export", {"format": "csv", "hxl": "true"})
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("#contact+name,#contact+phone") and "#language+pairs" in lines[1]
    assert "Karim Haddad" in lines[2] and "+962797654321" in lines[2] and "fr<>ar:4" in lines[2]
    entry = AuditEntry.objects.get(action="export", object_type="interpreters.interpreter")
    assert (
        entry.via == "api" and entry.actor_id == user.pk and entry.fields == ["email", "messaging", "phone"]
    )
    assert client.get("/api/interpreters/export", {"format": "xlsx", "language": "ar"}).content[:2] == b"PK"
