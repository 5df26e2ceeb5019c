import datetime

from django.urls import reverse
from django.utils import timezone

from lifeline.core.models import AuditEntry, Role, Scope
from lifeline.nationals.models import Consent, HouseholdMember, Purpose, Registration

PHONE = "+962791234567"


def form_data(country, nationality, **overrides):
    data = {
        "source": "walk_in",
        "kind": "just_in_case",
        "given_names": "Ana",
        "family_name": "Reyes",
        "date_of_birth": "1990-05-01",
        "nationality": nationality.pk,
        "document_type": "passport",
        "document_number": "P1234567A",
        "document_status": "held",
        "phone": "+962 79 123 4567",
        "email": "ana@example.org",
        "messaging": "whatsapp:+962791234567",
        "languages": "tl, en",
        "country": country.pk,
        "city": "Amman",
        "location": "31.9539, 35.9106",
        "stay_type": "resident_worker",
        "special_needs": ["medical"],
        "needs_details": "insulin",
        "contact_name": "Rosa Reyes",
        "contact_relation": "mother",
        "contact_phone": "+639171234567",
        "consents": ["assistance", "crisis_messages"],
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_post_sees_own_registrations_only(login, consul, post_amman, post_beirut, make_registration):
    make_registration(post_amman, given_names="Lorna")
    make_registration(post_beirut, given_names="Jocelyn")
    response = login(consul).get(reverse("nationals:list"))
    text = response.content.decode()
    assert "Lorna" in text and "Jocelyn" not in text
    assert PHONE not in text


def test_ministry_sees_all_posts(login, ministry_coordinator, post_amman, post_beirut, make_registration):
    make_registration(post_amman, given_names="Lorna")
    make_registration(post_beirut, given_names="Jocelyn")
    text = login(ministry_coordinator).get(reverse("nationals:list")).content.decode()
    assert "Lorna" in text and "Jocelyn" in text


def test_other_post_gets_404(login, make_user, post_amman, post_beirut, make_registration):
    registration = make_registration(post_amman)
    client = login(make_user(post_beirut, Role.COORDINATOR))
    for name in ("detail", "edit"):
        assert client.get(reverse(f"nationals:{name}", args=[registration.pk])).status_code == 404
    assert client.post(reverse("nationals:delete", args=[registration.pk])).status_code == 404
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_immigration_cannot_see_nationals(login, make_user, immigration, post_amman, make_registration):
    registration = make_registration(post_amman)
    client = login(make_user(immigration, Role.ADMINISTRATOR, Scope.DEPLOYMENT))
    assert "Maria" not in client.get(reverse("nationals:list")).content.decode()
    assert client.get(reverse("nationals:detail", args=[registration.pk])).status_code == 404


def test_filters(login, consul, post_amman, areas, make_registration):
    soon = timezone.localdate() + datetime.timedelta(days=5)
    make_registration(
        post_amman,
        given_names="Lorna",
        area=areas["irbid"],
        stay_type="student",
        languages=["ceb"],
        special_needs=["pregnancy"],
    )
    expiring = make_registration(post_amman, given_names="Gemma")
    Registration.objects.filter(pk=expiring.pk).update(expires_on=soon)
    client = login(consul)

    def names(**params):
        text = client.get(reverse("nationals:list"), params).content.decode()
        return {n for n in ("Lorna", "Gemma") if n in text}

    assert names(area=areas["irbid"].pk) == {"Lorna"}
    assert names(stay_type="student") == {"Lorna"}
    assert names(language="ceb") == {"Lorna"}
    assert names(need="pregnancy") == {"Lorna"}
    assert names(expiring="on") == {"Gemma"}
    assert names(q="gem") == {"Gemma"}
    assert names(language="not a language") == set()


def test_detail_is_audited_with_reason_and_masks_for_viewer(
    login, make_user, consul, post_amman, make_registration
):
    registration = make_registration(post_amman, document_number="P7654321B")
    response = login(consul).get(
        reverse("nationals:detail", args=[registration.pk]), {"reason": "phone call"}
    )
    assert "P7654321B" in response.content.decode()
    entry = AuditEntry.objects.get(action="view", object_id=str(registration.pk))
    assert entry.reason == "phone call" and "document_number" in entry.fields
    viewer = make_user(post_amman, Role.VIEWER)
    text = login(viewer).get(reverse("nationals:detail", args=[registration.pk])).content.decode()
    assert "P7654321B" not in text and registration.phone not in text and "•••" in text


def test_create_assigns_post_by_place_and_records_everything(
    login, ministry_coordinator, ministry, post_amman, post_beirut, philippines, lebanon
):
    data = form_data(
        lebanon,
        philippines,
        **{
            "members-TOTAL_FORMS": "2",
            "members-0-name": "Kyla Reyes",
            "members-0-relation": "child",
            "members-0-date_of_birth": "2016-03-01",
            "members-0-document_status": "valid",
            "members-0-unaccompanied": "on",
            "members-1-name": "Jun Reyes",
            "members-1-relation": "spouse",
            "members-1-document_status": "unknown",
        },
    )
    response = login(ministry_coordinator).post(reverse("nationals:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.organisation == post_beirut
    assert registration.phone == PHONE and registration.languages == ["fil", "en"]
    assert registration.location == "31.953900,35.910600" and registration.lat == 31.95
    assert registration.emergency_contact == {
        "name": "Rosa Reyes",
        "relation": "mother",
        "phone": "+639171234567",
    }
    assert registration.expires_on is not None
    assert set(
        Consent.objects.filter(registration=registration, granted=True).values_list("purpose", flat=True)
    ) == {"assistance", "crisis_messages"}
    assert HouseholdMember.objects.filter(registration=registration, unaccompanied=True).count() == 1
    assert AuditEntry.objects.filter(action="create", object_type="nationals.registration").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="Reyes").exists()


def test_staff_may_pick_one_of_their_posts(
    login, ministry_coordinator, post_amman, post_beirut, philippines, lebanon
):
    response = login(ministry_coordinator).post(
        reverse("nationals:create"), form_data(lebanon, philippines, organisation=post_amman.pk)
    )
    assert response.status_code == 302
    assert Registration.objects.get().organisation == post_amman


def test_post_cannot_pick_another_post(login, consul, post_beirut, philippines, jordan):
    response = login(consul).post(
        reverse("nationals:create"), form_data(jordan, philippines, organisation=post_beirut.pk)
    )
    assert response.status_code == 200 and not Registration.objects.exists()


def test_bad_input_is_refused_with_reasons(login, consul, post_amman, philippines, jordan, lebanon, areas):
    client = login(consul)
    bad = form_data(
        lebanon,
        philippines,
        area=areas["amman"].pk,
        phone="12345",
        location="95,200",
        languages="xx-nonsense-zz",
        date_of_birth="2999-01-01",
        consents=["crisis_messages"],
    )
    bad.update(
        {
            "members-TOTAL_FORMS": "1",
            "members-0-name": "Old",
            "members-0-relation": "parent",
            "members-0-date_of_birth": "1950-01-01",
            "members-0-document_status": "valid",
            "members-0-unaccompanied": "on",
        }
    )
    response = client.post(reverse("nationals:create"), bad)
    text = response.content.decode()
    assert response.status_code == 200
    for message in (
        "not in the country of stay",
        "not a valid phone number",
        "latitude,longitude",
        "is not a language we know",
        "not possible",
        "consular assistance is required",
        "Only a child",
    ):
        assert message in text, message
    assert not Registration.objects.exists()


def test_edit_changes_expiry_when_trip_dates_change(
    login, consul, post_amman, philippines, jordan, make_registration, settings
):
    settings.REGISTRATION_RETENTION_DAYS = 30
    registration = make_registration(post_amman, email="ana@example.org")
    Consent.objects.create(registration=registration, purpose=Purpose.ASSISTANCE)
    response = login(consul).post(
        reverse("nationals:edit", args=[registration.pk]),
        form_data(jordan, philippines, departure="2030-01-10", stay_type="tourist"),
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.expires_on == datetime.date(2030, 2, 9)
    updates = AuditEntry.objects.filter(action="update", object_id=str(registration.pk))
    assert any("departure" in entry.fields and "expires_on" in entry.fields for entry in updates)


def test_viewer_cannot_change(login, make_user, post_amman, make_registration, philippines, jordan):
    registration = make_registration(post_amman)
    client = login(make_user(post_amman, Role.VIEWER))
    assert client.get(reverse("nationals:create")).status_code == 403
    assert client.post(reverse("nationals:create"), form_data(jordan, philippines)).status_code == 403
    assert client.get(reverse("nationals:edit", args=[registration.pk])).status_code == 403
    assert client.post(reverse("nationals:delete", args=[registration.pk])).status_code == 403
    assert client.post(reverse("nationals:renew", args=[registration.pk])).status_code == 403
    assert Registration.objects.count() == 1


def test_delete_erases_and_logs_counts_only(login, consul, post_amman, make_registration):
    registration = make_registration(post_amman, given_names="Lorna")
    HouseholdMember.objects.create(registration=registration, name="Kyla", relation="child")
    response = login(consul).post(reverse("nationals:delete", args=[registration.pk]))
    assert response.status_code == 302
    assert not Registration.objects.exists() and not HouseholdMember.objects.exists()
    summary = AuditEntry.objects.get(action="delete", object_id="")
    assert "1 registrations, 1 household members" in summary.object_repr
    assert not AuditEntry.objects.filter(object_repr__contains="Lorna").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="Kyla").exists()


def test_export_needs_permission_and_masks(login, make_user, consul, post_amman, make_registration):
    make_registration(post_amman, given_names="Lorna", document_number="P111")
    assert login(consul).get(reverse("nationals:export")).status_code == 403  # officers cannot export
    coordinator = make_user(post_amman, Role.COORDINATOR)
    client = login(coordinator)
    text = client.get(reverse("nationals:export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Lorna" in text and "P111" in text and "+96279" in text
    assert AuditEntry.objects.filter(action="export", object_type="nationals.registration").exists()
    xlsx = client.get(reverse("nationals:export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_export_without_personal_permission_leaves_personal_columns_out(
    login, make_user, post_amman, make_registration
):
    from lifeline.core.models import Action, Area, RolePermission

    make_registration(post_amman, given_names="Lorna", document_number="P111")
    RolePermission.objects.update_or_create(
        role=Role.VIEWER, area=Area.NATIONALS, action=Action.EXPORT, defaults={"allowed": True}
    )
    text = (
        login(make_user(post_amman, Role.VIEWER)).get(reverse("nationals:export")).content.decode("utf-8-sig")
    )
    header = text.splitlines()[0]
    # Names are personal too (nationals/disclosure.py): without the right, no column says who.
    assert "Lorna" not in text and "P111" not in text
    assert "given_names" not in header and "document_number" not in header and "phone" not in header


def test_renew_extends(login, consul, post_amman, make_registration):
    registration = make_registration(post_amman)
    Registration.objects.filter(pk=registration.pk).update(
        expires_on=timezone.localdate(), reminded_on=timezone.localdate()
    )
    assert login(consul).post(reverse("nationals:renew", args=[registration.pk])).status_code == 302
    registration.refresh_from_db()
    assert registration.expires_on > timezone.localdate() and registration.reminded_on is None


def test_pages_render_for_staff(login, ministry_coordinator, post_amman, make_registration, settings):
    registration = make_registration(post_amman, special_needs=["medical"])
    client = login(ministry_coordinator)
    for url in (
        reverse("nationals:create"),
        reverse("nationals:edit", args=[registration.pk]),
        reverse("nationals:list"),
        reverse("nationals:duplicates"),
        reverse("nationals:posts"),
        reverse("nationals:post_edit", args=[post_amman.pk]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200, url
        assert "<h1>" in response.content.decode()


def test_openapi_schema_includes_the_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/app/posts",
        "/api/app/signin",
        "/api/app/signin/verify",
        "/api/app/me",
        "/api/app/me/export",
        "/api/app/devices",
        "/api/app/consents",
        "/api/nationals",
        "/api/nationals/{pk}",
    ):
        assert path in schema["paths"], path


def test_bad_query_values_never_fail(login, consul, post_amman, make_registration):
    registration = make_registration(post_amman)
    client = login(consul)
    assert (
        client.get(reverse("nationals:detail", args=[registration.pk]), {"reason": "a\x00b"}).status_code
        == 200
    )
    assert (
        client.get(reverse("nationals:list"), {"q": "a\x00", "post": "x", "page": "999"}).status_code == 200
    )
    assert (
        client.get(reverse("nationals:export"), {"format": "pdf"}).status_code == 403
    )  # officers cannot export at all
