"""The writes of key contacts (``directory/services``) that the pages and the API both call."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lifeline.core.models import AuditEntry, Language, Role
from lifeline.core.versions import ChangedMeanwhile, fingerprint
from lifeline.directory import services
from lifeline.directory.models import KeyContact


def _values(org, areas, **extra):
    return {
        "organisation": org,
        "name": "Sri Lankan Workers Union",
        "category": "migrant_association",
        "languages": [Language.lookup("si")],
        "channels": [{"type": "phone", "value": "079 111 2222"}],
        "coverage_areas": [areas["amman"]],
        **extra,
    }


def test_create_normalises_in_the_keepers_country_and_is_audited_as_the_actor(make_user, org_a, areas):
    user = make_user(org_a)
    contact = services.save_contact(user, None, _values(org_a, areas))
    contact.refresh_from_db()
    assert contact.channels == [{"type": "phone", "value": "+962791112222"}]  # read as dialled in Jordan
    assert list(contact.languages.values_list("code", flat=True)) == ["si"]
    assert list(contact.coverage_areas.all()) == [areas["amman"]]
    entry = AuditEntry.objects.get(action="create", object_id=str(contact.pk))
    assert entry.actor_id == user.pk


def test_refused_input_names_every_field_and_saves_nothing(make_user, org_a, org_b, areas):
    user = make_user(org_a)
    with pytest.raises(services.Invalid) as refused:
        services.save_contact(
            user,
            None,
            _values(
                org_b, areas, name=" ", channels=[{"type": "phone", "value": "12"}], trust_level="nonsense"
            ),
        )
    assert list(refused.value.errors) == ["organisation", "name", "channels", "trust_level"]
    assert KeyContact.objects.count() == 0


def test_a_role_that_may_not_change_contacts_is_refused(make_user, org_a, areas):
    with pytest.raises(PermissionDenied):
        services.save_contact(make_user(org_a, role=Role.VIEWER), None, _values(org_a, areas))
    assert KeyContact.objects.count() == 0


def test_a_contact_kept_elsewhere_is_neither_changed_nor_deleted(make_user, org_a, org_b, areas):
    other = KeyContact.objects.create(organisation=org_b, name="B's")
    user = make_user(org_a)
    with pytest.raises(PermissionDenied):
        services.save_contact(user, other, _values(org_a, areas))
    with pytest.raises(PermissionDenied):
        services.delete_contact(user, other)
    with pytest.raises(PermissionDenied):
        services.mark_verified(user, other)
    other.refresh_from_db()
    assert other.name == "B's" and other.organisation == org_b and other.last_verified is None


def test_a_change_over_a_version_its_author_did_not_see_is_refused(make_user, org_a, areas):
    user = make_user(org_a)
    contact = services.save_contact(user, None, _values(org_a, areas))
    seen = fingerprint(contact)
    services.save_contact(user, KeyContact.objects.get(pk=contact.pk), _values(org_a, areas, notes="first"))
    with pytest.raises(ChangedMeanwhile):
        services.save_contact(
            user, KeyContact.objects.get(pk=contact.pk), _values(org_a, areas, notes="second"), version=seen
        )
    assert KeyContact.objects.get(pk=contact.pk).notes == "first"


def test_verified_and_deleted_as_the_actor(make_user, org_a, areas):
    user = make_user(org_a)
    contact = services.save_contact(user, None, _values(org_a, areas))
    services.mark_verified(user, contact)
    assert KeyContact.objects.get(pk=contact.pk).last_verified == timezone.localdate()
    pk = contact.pk
    services.delete_contact(user, contact)
    assert not KeyContact.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.get(action="delete", object_id=str(pk)).actor_id == user.pk
