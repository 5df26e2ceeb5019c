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


def test_an_import_can_neither_see_nor_change_a_contact_hidden_from_the_importer(immigration, make_user):
    from lifeline.core.models import Role

    officer = make_user(immigration, role=Role.OFFICER)
    hidden = KeyContact.objects.create(
        organisation=immigration, name="Sita Gurung", kind="individual", category="community_leader"
    )
    assert not KeyContact.objects.for_user(officer).filter(pk=hidden.pk).exists()
    data = b"name,kind,category,notes\nSita Gurung,organisation,ngo,found you\n"

    dry = import_table(ContactSchema(), data, "c.csv", immigration, user=officer, dry_run=True)
    assert (dry.created, dry.updated) == (1, 0)  # the hidden record is not matched: nothing learnt

    report = import_table(ContactSchema(), data, "c.csv", immigration, user=officer)
    assert report.ok and (report.created, report.updated) == (1, 0)
    hidden.refresh_from_db()
    assert (hidden.kind, hidden.category, hidden.notes) == ("individual", "community_leader", "")
    new = KeyContact.objects.for_user(officer).get(name="Sita Gurung")
    assert new.pk != hidden.pk and new.notes == "found you"
