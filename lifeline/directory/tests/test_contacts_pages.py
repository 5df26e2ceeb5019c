import pytest
from django.urls import reverse

from lifeline.core.models import AuditEntry, Language, Role
from lifeline.directory.models import KeyContact


@pytest.fixture
def contact_a(org_a, areas):
    contact = KeyContact.objects.create(
        organisation=org_a,
        name="Filipino Workers Association",
        category="migrant_association",
        channels=[{"type": "phone", "value": "+962791234567"}],
    )
    contact.languages.set([Language.lookup("tl"), Language.lookup("en")])
    contact.coverage_areas.set([areas["amman"]])
    return contact


def test_list_shows_own_organisation_only(login, make_user, org_a, org_b, contact_a):
    KeyContact.objects.create(organisation=org_b, name="Other agency's contact")
    response = login(make_user(org_a)).get(reverse("contacts:list"))
    assert response.status_code == 200
    assert b"Filipino Workers Association" in response.content
    assert b"Other agency" not in response.content


def test_other_organisation_gets_404_on_detail(login, make_user, org_b, contact_a):
    response = login(make_user(org_b, role=Role.COORDINATOR)).get(
        reverse("contacts:detail", args=[contact_a.pk])
    )
    assert response.status_code == 404


def test_viewing_channels_is_audited(login, make_user, org_a, contact_a):
    user = make_user(org_a, role=Role.OFFICER)
    response = login(user).get(reverse("contacts:detail", args=[contact_a.pk]))
    assert b"+962791234567" in response.content
    entry = AuditEntry.objects.get(action="view", object_id=str(contact_a.pk))
    assert entry.actor_id == user.pk and entry.fields == ["channels"]


def test_viewer_sees_masked_channels_and_no_audit(login, make_user, org_a, contact_a):
    response = login(make_user(org_a, role=Role.VIEWER)).get(reverse("contacts:detail", args=[contact_a.pk]))
    assert b"+962791234567" not in response.content
    assert b"Hidden" in response.content
    assert not AuditEntry.objects.filter(action="view").exists()


def test_channels_are_encrypted_at_rest(contact_a):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT channels FROM directory_keycontact WHERE id = %s", [contact_a.pk])
        raw = cursor.fetchone()[0]
    assert "+962791234567" not in raw and raw.startswith("gAAAA")


def test_create_with_bad_phone_shows_error_and_saves_nothing(login, make_user, org_a):
    client = login(make_user(org_a))
    response = client.post(
        reverse("contacts:create"),
        {
            "organisation": org_a.pk,
            "name": "New",
            "kind": "organisation",
            "category": "ngo",
            "channels": "phone:12",
            "trust_level": "unknown",
            "agreement_status": "none",
        },
    )
    assert response.status_code == 200
    assert b"is not a valid phone number" in response.content
    assert not KeyContact.objects.filter(name="New").exists()


def test_create_normalises_phone_and_audits(login, make_user, org_a, areas):
    client = login(make_user(org_a))
    response = client.post(
        reverse("contacts:create"),
        {
            "organisation": org_a.pk,
            "name": "Imam of the Sri Lankan mosque",
            "kind": "individual",
            "category": "faith",
            "languages": "si, ta",
            "channels": "whatsapp:+94 77 123 4567",
            "coverage_areas": [areas["amman"].pk],
            "trust_level": "high",
            "agreement_status": "informal",
        },
    )
    assert response.status_code == 302
    contact = KeyContact.objects.get(name="Imam of the Sri Lankan mosque")
    assert contact.channels == [{"type": "whatsapp", "value": "+94771234567"}]
    assert sorted(contact.languages.values_list("code", flat=True)) == ["si", "ta"]
    assert AuditEntry.objects.filter(action="create", object_id=str(contact.pk)).exists()


def test_viewer_cannot_create(login, make_user, org_a):
    response = login(make_user(org_a, role=Role.VIEWER)).get(reverse("contacts:create"))
    assert response.status_code == 403


def test_stale_contacts_are_listed_for_reverification(login, make_user, org_a, contact_a):
    import datetime

    KeyContact.objects.create(organisation=org_a, name="Fresh", last_verified=datetime.date.today())
    client = login(make_user(org_a))
    response = client.get(reverse("contacts:reverify"))
    assert b"Filipino Workers Association" in response.content and b"Fresh" not in response.content
    client.post(reverse("contacts:verified", args=[contact_a.pk]))
    contact_a.refresh_from_db()
    assert contact_a.last_verified == datetime.date.today()


def test_vcard_export_is_read_back_and_audited(login, make_user, org_a, contact_a):
    import vobject

    response = login(make_user(org_a, role=Role.COORDINATOR)).get(
        reverse("contacts:vcard", args=[contact_a.pk])
    )
    card = vobject.readOne(response.content.decode())
    assert card.fn.value == "Filipino Workers Association"
    assert card.tel.value == "+962791234567"
    assert "Lifeline" in card.prodid.value  # the deployment's name on every generated document
    assert AuditEntry.objects.filter(
        action="export", object_id=str(contact_a.pk), fields=["channels"]
    ).exists()


def test_filter_by_language_and_area(login, make_user, org_a, contact_a, areas):
    KeyContact.objects.create(organisation=org_a, name="Nepali Society")
    client = login(make_user(org_a))
    body = client.get(reverse("contacts:list"), {"language": "fil", "area": areas["amman"].pk}).content
    assert b"Filipino Workers" in body and b"Nepali Society" not in body


def test_messenger_numbers_are_links_a_phone_opens_named_in_the_readers_language(
    login, make_user, org_a, contact_a
):
    contact_a.channels = [
        {"type": "whatsapp", "value": "+962791234567"},
        {"type": "telegram", "value": "@fwa_amman"},
        {"type": "viber", "value": "+962791234568"},
        {"type": "signal", "value": "+962791234569"},
        {"type": "website", "value": "javascript:alert(1)"},
    ]
    contact_a.save()
    page = login(make_user(org_a, role=Role.OFFICER)).get(
        reverse("contacts:detail", args=[contact_a.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    html = page.content.decode()
    assert 'href="https://wa.me/962791234567"' in html
    assert 'href="https://t.me/fwa_amman"' in html
    assert 'href="viber://chat?number=%2B962791234568"' in html
    assert 'href="https://signal.me/#p/+962791234569"' in html
    assert "javascript:" not in html.split("<main", 1)[1].replace("javascript:alert(1)</span>", "")
    assert "whatsapp:" not in html  # the channel is named, not coded
    assert "واتساب" in html or "WhatsApp" in html
