from lifeline.core.models import AuditEntry, Role, Scope
from lifeline.nationals.models import Registration


def payload(**overrides):
    data = {
        "given_names": "Ana",
        "family_name": "Reyes",
        "nationality": "PH",
        "country": "LB",
        "phone": "+961 71 555 123",
        "document_number": "P999",
        "languages": ["tl"],
        "consents": ["assistance"],
        "household": [
            {"name": "Kyla", "relation": "child", "date_of_birth": "2019-02-02", "unaccompanied": False}
        ],
    }
    data.update(overrides)
    return data


def test_create_get_update_delete(api, make_user, ministry, post_amman, post_beirut, philippines, lebanon):
    client = api(make_user(ministry, Role.COORDINATOR, Scope.CHILDREN))
    created = client.post("/api/nationals", payload(), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["organisation"] == post_beirut.pk
    registration = Registration.objects.get(pk=pk)
    assert registration.phone == "+96171555123" and registration.members.count() == 1
    got = client.get(f"/api/nationals/{pk}", {"reason": "check"})
    assert got.json()["data"]["document_number"] == "P999"
    assert AuditEntry.objects.filter(action="view", object_id=str(pk), reason="check").exists()
    updated = client.put(
        f"/api/nationals/{pk}", payload(city="Tyre", household=[]), content_type="application/json"
    )
    assert (
        updated.status_code == 200
        and updated.json()["data"]["city"] == "Tyre"
        and updated.json()["data"]["household"] == []
    )
    listed = client.get("/api/nationals", {"country": "LB"}).json()
    assert listed["count"] == 1 and "phone" not in listed["items"][0]
    assert client.delete(f"/api/nationals/{pk}").status_code == 204
    assert not Registration.objects.exists()


def test_bad_payload_gets_field_errors(api, make_user, post_amman, philippines, jordan):
    client = api(make_user(post_amman, Role.OFFICER))
    response = client.post(
        "/api/nationals",
        payload(country="JO", phone="123", area="JO99", consents=[]),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {"phone", "area", "consents"} <= set(response.json()["errors"])
    assert (
        client.post("/api/nationals", {"given_names": 5}, content_type="application/json").status_code == 422
    )
    assert not Registration.objects.exists()


def test_scoping_masking_and_roles(api, make_user, post_amman, post_beirut, immigration, make_registration):
    registration = make_registration(post_amman, document_number="P1")
    assert (
        api(make_user(post_beirut, Role.COORDINATOR)).get(f"/api/nationals/{registration.pk}").status_code
        == 404
    )
    assert (
        api(make_user(immigration, Role.ADMINISTRATOR, Scope.DEPLOYMENT))
        .get("/api/nationals")
        .json()["count"]
        == 0
    )
    viewer = api(make_user(post_amman, Role.VIEWER))
    data = viewer.get(f"/api/nationals/{registration.pk}").json()
    assert (
        data["personal"] is False
        and data["data"]["document_number"] is None
        and data["data"]["phone"] is None
    )
    assert (
        viewer.put(
            f"/api/nationals/{registration.pk}", payload(country="JO"), content_type="application/json"
        ).status_code
        == 403
    )
    assert viewer.delete(f"/api/nationals/{registration.pk}").status_code == 403
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_the_list_masks_names_and_needs_for_roles_without_personal_data_and_is_audited(
    api, make_user, post_amman, make_registration
):
    registration = make_registration(post_amman, given_names="Rosa", city="Zarqa", special_needs=["medical"])
    viewer = make_user(post_amman, Role.VIEWER)
    listed = api(viewer).get("/api/nationals").json()["items"]
    assert [row["id"] for row in listed] == [registration.pk]
    row = listed[0]
    assert row["personal"] is False
    assert row["given_names"] == row["family_name"] == row["city"] == "" and row["special_needs"] == []
    masked = AuditEntry.objects.get(action="view", actor_id=viewer.pk)
    assert masked.object_type == "nationals.registration" and "masked" in masked.object_repr

    officer = make_user(post_amman, Role.OFFICER)
    row = api(officer).get("/api/nationals").json()["items"][0]
    assert row["personal"] is True and row["given_names"] == "Rosa" and row["special_needs"] == ["medical"]
    entry = AuditEntry.objects.get(action="view", actor_id=officer.pk)
    assert entry.object_id == str(registration.pk) and "special_needs" in entry.fields


def test_a_put_is_held_to_the_version_it_read(api, make_user, ministry, post_beirut, philippines, lebanon):
    """Two consuls open one registration; the first saves; the second's PUT, sent with the ETag it read
    as If-Match, is refused (412, in the reader's language) and changes nothing."""
    client = api(make_user(ministry, Role.COORDINATOR, Scope.CHILDREN))
    pk = client.post("/api/nationals", payload(), content_type="application/json").json()["id"]
    url = f"/api/nationals/{pk}"
    read = client.get(url)
    seen = read.headers["ETag"]
    assert seen.startswith('"') and len(seen) > 2
    # A colleague changes the town meanwhile.
    Registration.objects.filter(pk=pk).update(city="Sidon")

    stale = client.put(
        url, payload(city="Tyre", household=[]), content_type="application/json", HTTP_IF_MATCH=seen
    )
    assert stale.status_code == 412, stale.content
    assert "after you opened it" in stale.json()["detail"]
    registration = Registration.objects.get(pk=pk)
    assert registration.city == "Sidon" and registration.members.count() == 1  # nothing replaced
    translated = client.put(
        url,
        payload(city="Tyre"),
        content_type="application/json",
        HTTP_IF_MATCH=seen,
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert translated.status_code == 412 and "after you opened it" not in translated.json()["detail"]

    fresh = client.get(url).headers["ETag"]
    assert fresh != seen
    saved = client.put(
        url, payload(city="Tyre", household=[]), content_type="application/json", HTTP_IF_MATCH=fresh
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["data"]["city"] == "Tyre" and saved.json()["data"]["household"] == []
    # The answer carries the version now stored: the next PUT may be held to it.
    assert (
        saved.headers["ETag"] not in ("", fresh) and saved.headers["ETag"] == client.get(url).headers["ETag"]
    )
    again = client.put(
        url, payload(city="Byblos"), content_type="application/json", HTTP_IF_MATCH=saved.headers["ETag"]
    )
    assert again.status_code == 200
    # Without If-Match the PUT overwrites, as the other registries' PUTs do.
    assert client.put(url, payload(city="Tyre"), content_type="application/json").status_code == 200
    assert Registration.objects.get(pk=pk).city == "Tyre"
