from lifeline.core.tabular import import_table
from lifeline.directory.models import KeyContact
from lifeline.directory.tabular import ContactSchema


def test_personal_columns_are_ignored_for_users_who_cannot_see_them(org_a):
    contact = KeyContact.objects.create(
        organisation=org_a, name="A", category="ngo", channels=[{"type": "email", "value": "a@example.org"}]
    )
    data = b"name,kind,category,channels\nA,organisation,ngo,email:evil@example.org\n"
    report = import_table(ContactSchema(), data, "c.csv", org_a, include_personal=False)
    assert report.ok
    contact.refresh_from_db()
    assert contact.channels == [{"type": "email", "value": "a@example.org"}]


def test_deleted_individuals_leave_no_name_in_the_audit_log(org_a):
    from lifeline.core.models import AuditEntry

    person = KeyContact.objects.create(organisation=org_a, name="Sita Gurung", kind="individual")
    pk = person.pk
    person.delete()
    assert not AuditEntry.objects.filter(object_repr__contains="Sita").exists()
    assert AuditEntry.objects.get(action="delete", object_id=str(pk)).object_repr == f"#{pk}"
