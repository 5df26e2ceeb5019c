"""The upgrade: answers' follow-ups become action items, contacts' agreement statuses become agreements.

Runs on PostgreSQL, whose schema changes are transactional: the test migrates back and forth inside
the test's transaction and leaves nothing behind. SQLite cannot change a schema inside a transaction
(and the audit log's append-only trigger forbids the flush a transactional test would need)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0002_shipped_checklists")]
AFTER = [("plans", "0003_actions_drills_coordination")]
# The models the test writes through, as they were (the directory is no ancestor of plans 0002).
STATE = [*BEFORE, ("directory", "0001_initial")]


def _migrate(nodes):
    with connection.cursor() as cursor:  # rows written in this transaction: check them now, not at commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(nodes)
    return executor


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="schema changes inside a transaction")
def test_follow_ups_and_agreements_are_carried_over():
    executor = _migrate(BEFORE)
    apps = executor.loader.project_state(STATE).apps
    Country = apps.get_model("geo", "Country")
    Organisation = apps.get_model("core", "Organisation")
    User = apps.get_model("auth", "User")
    StaffProfile = apps.get_model("core", "StaffProfile")
    Template = apps.get_model("plans", "ChecklistTemplate")
    Version = apps.get_model("plans", "TemplateVersion")
    Section = apps.get_model("plans", "Section")
    Item = apps.get_model("plans", "Item")
    Assessment = apps.get_model("plans", "Assessment")
    AnswerRecord = apps.get_model("plans", "AnswerRecord")
    KeyContact = apps.get_model("directory", "KeyContact")

    country, _ = Country.objects.get_or_create(code="JO", defaults={"iso3": "JOR"})
    org = Organisation.objects.create(name="Migration org", kind="civil_protection", country=country)
    user = User.objects.create(username="planner-mig", first_name="Rana", last_name="Haddad")
    StaffProfile.objects.create(user=user, organisation=org, role="officer", scope="own")
    template = Template.objects.create(key="migration-test", title={"en": "T"})
    version = Version.objects.create(template=template, number=1, state="draft")
    section = Section.objects.create(version=version, key="s", position=1, title={"en": "S"})
    first = Item.objects.create(section=section, key="a", position=1, text={"en": "A"})
    second = Item.objects.create(section=section, key="b", position=2, text={"en": "B"})
    third = Item.objects.create(section=section, key="c", position=3, text={"en": "C"})
    assessment = Assessment.objects.create(
        organisation=org, version=version, assessed_on=datetime.date(2026, 3, 1)
    )
    named = AnswerRecord.objects.create(
        assessment=assessment,
        item=first,
        answer="no",
        follow_up="Count the dormitories",
        owner="Rana Haddad",
        due=datetime.date(2026, 6, 1),
    )
    unit = AnswerRecord.objects.create(
        assessment=assessment, item=second, answer="partly", follow_up="Ask the NGO", owner="Planning unit"
    )
    AnswerRecord.objects.create(assessment=assessment, item=third, answer="yes")
    signed = KeyContact.objects.create(
        organisation=org,
        name="Red Crescent",
        channels=[],
        agreement_status="mou_signed",
        agreement_date=datetime.date(2025, 5, 5),
    )
    KeyContact.objects.create(organisation=org, name="Nobody", channels=[])

    executor = _migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    ActionItem = apps.get_model("plans", "ActionItem")
    Agreement = apps.get_model("plans", "Agreement")
    items = {i.source_id: i for i in ActionItem.objects.all()}
    assert set(items) == {named.pk, unit.pk}
    assert (items[named.pk].owner_user_id, items[named.pk].owner_organisation_id) == (user.pk, None)
    assert items[named.pk].text == "Count the dormitories"
    assert items[named.pk].due == datetime.date(2026, 6, 1)
    assert (items[unit.pk].owner_user_id, items[unit.pk].owner_organisation_id) == (None, org.pk)
    assert items[unit.pk].text == "Ask the NGO\n(owner named: Planning unit)"
    assert items[unit.pk].due == datetime.date(2026, 3, 1)  # no date: the assessment's, so it shows overdue
    assert {i.source_kind for i in items.values()} == {"checklist"}
    assert {i.source_type.model for i in items.values()} == {"answerrecord"}
    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.signed_on, agreement.organisation_id) == (
        "mou_signed",
        datetime.date(2025, 5, 5),
        org.pk,
    )
    assert list(agreement.contacts.values_list("pk", flat=True)) == [signed.pk]
    # And back: the answers get their follow-ups again.
    executor = _migrate(BEFORE)
    apps = executor.loader.project_state(STATE).apps
    back = apps.get_model("plans", "AnswerRecord").objects.get(pk=named.pk)
    assert (back.follow_up, back.owner, back.due) == (
        "Count the dormitories",
        "planner-mig",
        datetime.date(2026, 6, 1),
    )
    _migrate(executor.loader.graph.leaf_nodes())
