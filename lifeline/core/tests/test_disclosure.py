"""The disclosure policies (core/disclosure.py): what is masked, for whom, and what is audited."""

from lifeline.core import disclosure
from lifeline.core.models import Action, Area, AuditAction, AuditEntry, Role, RolePermission
from lifeline.nationals.models import Registration


def test_every_app_declares_its_policies():
    labels = set(disclosure.policies())
    assert {
        "nationals.registration",
        "nationals.householdmember",
        "cases.case",
        "directory.keycontact",
        "interpreters.interpreter",
        "messaging.alertsubscriber",
    } <= labels
    # The API once masked the date of birth and the pages the names differently: one list now.
    registration = disclosure.policy_for(Registration)
    assert {"given_names", "family_name", "date_of_birth", "phone", "document_number"} <= set(
        registration.personal
    )


def test_a_role_without_the_right_reads_masks_and_writes_no_audit(post_amman, make_user, make_registration):
    person = make_registration(post_amman, given_names="Visible", document_number="P1234567")
    RolePermission.objects.filter(role=Role.OFFICER, area=Area.NATIONALS, action=Action.PERSONAL).update(
        allowed=False
    )
    officer = make_user(post_amman, role=Role.OFFICER)
    see = disclosure.to(officer, person)
    assert not see.allowed
    masked = see.wrap(person)
    assert masked.full_name == disclosure.MASK and masked.document_number == disclosure.MASK
    assert str(masked) == disclosure.MASK
    assert masked.organisation_id == post_amman.pk  # what is not personal passes through
    assert see.masked({"given_names": "Visible", "country": "JO"}) == {"given_names": None, "country": "JO"}
    before = AuditEntry.objects.count()
    see.audit(person)
    see.audit_listing([person])
    assert AuditEntry.objects.count() == before


def test_a_role_with_the_right_sees_and_a_listing_is_one_entry_per_person(
    post_amman, make_user, make_registration
):
    people = [make_registration(post_amman) for _ in range(3)]
    officer = make_user(post_amman, role=Role.OFFICER)
    see = disclosure.to(officer, Registration)
    assert see.allowed and see.wrap(people[0]) is people[0]
    before = AuditEntry.objects.count()
    see.audit_listing(people, reason="test", fields=("given_names",))
    entries = AuditEntry.objects.order_by("-id")[:3]
    assert AuditEntry.objects.count() == before + 3
    assert {e.object_id for e in entries} == {str(p.pk) for p in people}
    assert all(e.action == AuditAction.VIEW and e.fields == ["given_names"] for e in entries)
    # One entry for one record, naming only the fields that held something.
    entry = see.audit(people[0])
    assert "phone" in entry.fields and "document_number" not in entry.fields
