"""Plan documents: versions and their differences, the two-person approval, live blocks on known data (and
who sees phone numbers), frozen blocks, DOCX and PDF read back, the command, scopes, the pages."""

import datetime
import io

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from lifeline.core.models import AuditAction, AuditEntry, Language, Role, Scope
from lifeline.directory.models import KeyContact
from lifeline.plans import blocks as live
from lifeline.plans import builders
from lifeline.plans.builder_models import DocumentKind, DocumentState, FrozenBlock, PlanDocument, add_months
from lifeline.plans.document import Note, Table, Text

PHONE = "+962 79 555 0142"  # the sentinel: an individual's number


@pytest.fixture
def writer(make_user, org_a):
    return make_user(org_a, Role.COORDINATOR, Scope.CHILDREN)


@pytest.fixture
def approver(make_user, org_a):
    return make_user(org_a, Role.COORDINATOR, Scope.CHILDREN)


@pytest.fixture
def viewer(make_user, org_a):
    return make_user(org_a, Role.VIEWER)


@pytest.fixture
def contact(org_a, areas):
    person = KeyContact.objects.create(
        organisation=org_a,
        name="Samira Haddad",
        kind="individual",
        category="community",
        role_title="Community leader",
        channels=[{"type": "phone", "value": PHONE}],
        available_24_7=True,
    )
    person.coverage_areas.set([areas["amman"]])
    return person


@pytest.fixture
def sop(writer, org_a, jordan):
    return builders.create_document(writer, org_a, DocumentKind.SOP, "Amman SOP", "en", country=jordan)


def _table(blocks, caption=None):
    tables = [b for b in blocks if isinstance(b, Table) and (caption is None or b.caption == caption)]
    assert tables, blocks
    return tables[0]


# Writing and versions ------------------------------------------------------------------------------


def test_a_new_document_has_the_outline_of_its_kind_and_a_first_version(
    sop, writer, org_a, post_amman, make_user
):
    assert [s.key for s in sop.sections.all()][:3] == ["purpose", "legal-basis", "roles"]
    assert sop.sections.count() == 13
    assert sop.versions.get().number == 1
    consul = make_user(post_amman, Role.OFFICER)
    plan = builders.create_document(consul, post_amman, DocumentKind.CONSULAR, "Amman consular plan")
    keys = [s.key for s in plan.sections.all()]
    assert keys[7:11] == [
        "phase-precautionary",
        "phase-restriction",
        "phase-voluntary-return",
        "phase-mandatory-return",
    ]


def test_each_saved_change_is_a_version_and_two_versions_compare(sop, writer):
    builders.save_section(writer, sop, "purpose", "Reach every migrant.\n\nIn all areas.")
    builders.save_section(writer, sop, "purpose", "Reach every migrant.\n\nIn Amman only.")
    builders.save_section(writer, sop, "purpose", "Reach every migrant.\n\nIn Amman only.")  # unchanged
    assert list(sop.versions.values_list("number", flat=True)) == [3, 2, 1]
    v2, v3 = sop.versions.get(number=2), sop.versions.get(number=3)
    changes = builders.diff(sop, v2, v3)
    assert ("removed", "In all areas.") in changes
    assert ("added", "In Amman only.") in changes
    assert ("same", "Reach every migrant.") in changes
    assert builders.diff(sop, v3, v3) == []


def test_bad_input_is_refused_and_changes_nothing(sop, writer, make_user, org_b):
    with pytest.raises(ValidationError, match="Unknown live block"):
        builders.save_section(writer, sop, "roles", "Text\n{{block:nonsense}}\n")
    with pytest.raises(ValidationError):
        builders.save_section(writer, sop, "no-such-section", "Text")
    with pytest.raises(ValidationError):
        builders.create_document(writer, sop.organisation, DocumentKind.SOP, "  ")
    stranger = make_user(org_b, Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        builders.save_section(stranger, sop, "purpose", "Not mine.")
    assert sop.versions.count() == 1
    assert sop.sections.get(key="roles").text == ""


def test_phase_actions_are_stored_structured(writer, post_amman, make_user):
    consul = make_user(post_amman, Role.COORDINATOR)
    plan = builders.create_document(consul, post_amman, DocumentKind.CONSULAR, "Plan")
    actions = [
        {"text": "Call the wardens", "role": "Consul", "timing": "24 hours"},
        {"text": "", "role": "", "timing": ""},
    ]
    builders.save_section(consul, plan, "phase-precautionary", "Risk rising.", actions)
    section = plan.sections.get(key="phase-precautionary")
    assert section.actions == [{"text": "Call the wardens", "role": "Consul", "timing": "24 hours"}]
    with pytest.raises(ValidationError):
        builders.save_section(
            consul, plan, "phase-precautionary", "x", [{"text": "", "role": "Consul", "timing": ""}]
        )
    # Sections that are not phases keep no actions.
    builders.save_section(consul, plan, "objectives", "Reach all.", actions)
    assert plan.sections.get(key="objectives").actions == []


# The two-person approval ----------------------------------------------------------------------------


def test_approval_needs_someone_who_neither_wrote_nor_submitted(
    sop, writer, approver, org_a, make_user, login
):
    with pytest.raises(ValidationError):
        builders.submit(writer, sop)  # nothing written yet
    builders.save_section(writer, sop, "purpose", "Reach every migrant.")
    builders.submit(writer, sop)
    assert sop.state == DocumentState.AWAITING
    assert b"Amman SOP" in login(approver).get(reverse("approvals")).content  # the approvals inbox
    assert b"Amman SOP" not in login(writer).get(reverse("approvals")).content
    with pytest.raises(ValidationError):
        builders.approve(writer, sop)
    # An edit by the would-be approver withdraws the submission and makes them a contributor.
    builders.save_section(approver, sop, "purpose", "Reach every migrant, in their language.")
    sop.refresh_from_db()
    assert sop.state == DocumentState.DRAFT
    builders.submit(writer, sop)
    with pytest.raises(ValidationError):
        builders.approve(approver, sop)
    third = make_user(org_a, Role.COORDINATOR, Scope.CHILDREN)
    builders.approve(third, sop)
    sop.refresh_from_db()
    assert sop.state == DocumentState.PUBLISHED
    assert sop.approved_by == third
    assert sop.approved_version == sop.versions.order_by("-number").first()
    assert sop.review_due == add_months(timezone.localdate(sop.published_at), 12)


def test_approval_freezes_the_blocks_and_an_export_of_the_approved_version_shows_them(
    sop, writer, approver, contact, org_a
):
    builders.save_section(writer, sop, "roles", "Who leads.\n\n{{block:contacts}}\n")
    builders.submit(writer, sop)
    builders.approve(approver, sop)
    frozen = FrozenBlock.objects.get(version=sop.approved_version, key="contacts")
    assert set(frozen.tables) == {"en", "es", "fr", "ar", "ru", "pt"}
    KeyContact.objects.create(organisation=org_a, name="Added after approval", channels=[])
    approved = builders.build(writer, sop, "en", builders.FROZEN)
    names = [row[0] for row in _table(approved.blocks, "Key contacts").rows]
    assert names == ["Samira Haddad"]
    assert "Approved version" in approved.footer
    current = builders.build(writer, sop, "en", builders.LIVE)
    assert {row[0] for row in _table(current.blocks, "Key contacts").rows} == {
        "Samira Haddad",
        "Added after approval",
    }
    assert "Data refreshed at export" in current.footer
    # Editing the approved plan reopens it; the approved version stays what the approved export prints.
    builders.save_section(writer, sop, "roles", "Who leads now.\n\n{{block:contacts}}\n")
    sop.refresh_from_db()
    assert sop.state == DocumentState.DRAFT and sop.approved_version is not None
    texts = [
        b.markdown for b in builders.build(writer, sop, "en", builders.FROZEN).blocks if isinstance(b, Text)
    ]
    assert "Who leads.\n\n" in texts and not any("now" in t for t in texts)


def test_due_for_review_after_the_review_period_and_on_the_home(sop, writer, approver, login):
    builders.save_section(writer, sop, "purpose", "Reach every migrant.")
    builders.submit(writer, sop)
    builders.approve(approver, sop)
    assert builders.due_for_review(writer) == []
    PlanDocument.objects.filter(pk=sop.pk).update(published_at=timezone.now() - datetime.timedelta(days=400))
    assert builders.due_for_review(writer) == [sop]
    page = login(writer).get(reverse("home"))
    assert b'id="home-plans-due"' in page.content


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 12) == datetime.date(2027, 11, 15)


# Live blocks on known data -------------------------------------------------------------------------


def test_contacts_block_lists_by_role_and_area_without_phones(sop, writer, contact, org_b):
    KeyContact.objects.create(organisation=org_b, name="Another organisation's contact", channels=[])
    blocks = live.render("contacts", writer, sop, "en")
    table = _table(blocks)
    assert [row[0] for row in table.rows] == ["Samira Haddad"]
    assert table.rows[0][1] == "Community leader" and table.rows[0][4] == "Amman"
    assert PHONE not in repr(blocks)


def test_phones_only_in_the_restricted_annex_for_roles_that_may_see_them(sop, writer, viewer, contact):
    shown = live.render("contact-phones", writer, sop, "en")
    assert PHONE in repr(shown)
    assert AuditEntry.objects.filter(object_type="directory.keycontact", object_id=str(contact.pk)).exists()
    hidden = live.render("contact-phones", viewer, sop, "en")
    assert PHONE not in repr(hidden) and isinstance(hidden[0], Note)
    # Frozen with the approver's rights, the annex is still withheld from a role that may not see it.
    builders.save_section(writer, sop, "annexes", "{{block:contact-phones}}")
    frozen = FrozenBlock(version=sop.versions.first(), key="contact-phones")
    frozen.tables = {"en": live.dump(shown)}
    frozen.data_as_of = timezone.now()
    frozen.save()
    PlanDocument.objects.filter(pk=sop.pk).update(approved_version=sop.versions.first())
    sop.refresh_from_db()
    assert PHONE in repr(builders.build(writer, sop, "en", builders.FROZEN).blocks)
    assert PHONE not in repr(builders.build(viewer, sop, "en", builders.FROZEN).blocks)


def test_interpreters_block_by_language(sop, writer, org_a, areas):
    from lifeline.interpreters.models import Interpreter, LanguagePair

    person = Interpreter.objects.create(
        organisation=org_a,
        full_name="Rosa Cruz",
        home_area=areas["amman"],
        phone="+962790001111",
        consent_stored=True,
    )
    LanguagePair.objects.create(
        interpreter=person, source=Language.lookup("tl"), target=Language.lookup("ar")
    )
    table = _table(live.render("interpreters", writer, sop, "en"))
    assert table.rows == [["Filipino ↔ Arabic", "Rosa Cruz", "Amman", "No"]]
    assert "+962790001111" not in repr(table)


def test_communities_block(sop, writer, org_a, areas, philippines):
    from lifeline.communities.models import CommunityProfile

    profile = CommunityProfile.objects.create(
        organisation=org_a, name="Filipino domestic workers", estimated_size=4200
    )
    profile.areas.set([areas["amman"]])
    profile.origin_countries.set([philippines])
    table = _table(live.render("communities", writer, sop, "en"))
    assert table.rows == [["Filipino domestic workers", "Philippines", "—", "4 200", "Amman"]]


def test_posts_block(sop, writer, post_amman, post_beirut):
    rows = _table(live.render("posts", writer, sop, "en")).rows
    assert rows == [["Embassy in Amman", "Foreign Ministry", "Jordan", "Jordan"]]


def test_nationals_block_counts_only(post_amman, make_user, make_registration, areas):
    consul = make_user(post_amman, Role.OFFICER)
    plan = builders.create_document(
        consul, post_amman, DocumentKind.CONSULAR, "Plan", country=post_amman.country
    )
    make_registration(post_amman, area=areas["amman"], stay_type="resident_worker", primary_language="fil")
    make_registration(post_amman, area=areas["amman"], stay_type="resident_worker", primary_language="fil")
    make_registration(
        post_amman, area=areas["irbid"], stay_type="tourist", languages=["en"], primary_language="en"
    )
    blocks = live.render("nationals", consul, plan, "en")
    assert _table(blocks, "Nationals by area").rows == [["Amman", 2], ["Irbid", 1]]
    assert sorted(_table(blocks, "Nationals by language").rows) == [["English", 1], ["Filipino", 2]]
    assert "Maria" not in repr(blocks) and "+96279" not in repr(blocks)


def test_evacuation_advice_and_hazard_blocks(post_amman, make_user, jordan, ministry):
    from lifeline.advice.models import AdviceVersion, State, TravelAdvice
    from lifeline.alerts.models import Alert, AlertArea, InfoBlock
    from lifeline.crises.models import Crisis
    from lifeline.evacuation.models import AssemblyPoint, Transport

    consul = make_user(post_amman, Role.OFFICER)
    plan = builders.create_document(consul, post_amman, DocumentKind.CONSULAR, "Plan", country=jordan)
    crisis = Crisis.objects.create(organisation=post_amman, name="Floods", country=jordan)
    point = AssemblyPoint.objects.create(
        crisis=crisis, name="Sports City gate 3", capacity=90, address="Amman"
    )
    Transport.objects.create(
        crisis=crisis, kind="bus", name="Coach 14", capacity=50, assembly_point=point, destination="Aqaba"
    )
    blocks = live.render("evacuation", consul, plan, "en")
    assert _table(blocks, "Assembly points").rows == [["Sports City gate 3", "Amman", 90]]
    assert _table(blocks, "Transports").rows[0][0] == "Coach 14"
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    AdviceVersion.objects.create(
        advice=advice, number=1, level=3, state=State.PUBLISHED, last_reviewed=datetime.date(2026, 11, 1)
    )
    rows = _table(live.render("advice", consul, plan, "en")).rows
    assert rows == [["Jordan", "3 · Reconsider your need to travel", "2026-11-01"]]
    alert = Alert.objects.create(
        organisation=post_amman, sender="met.example.org", state="published", sent=timezone.now()
    )
    info = InfoBlock.objects.create(
        alert=alert,
        language="en",
        categories=["Met"],
        event="Flash flood",
        urgency="Immediate",
        severity="Severe",
        certainty="Likely",
    )
    AlertArea.objects.create(info=info, area_desc="Downtown Amman")
    rows = _table(live.render("hazards", consul, plan, "en")).rows
    assert rows[0][:3] == ["Flash flood", "Severe", "Downtown Amman"]


# Exports read back --------------------------------------------------------------------------------


def _written(writer, sop, contact):
    builders.save_section(writer, sop, "purpose", "Reach **every** migrant.\n\n- warn\n- shelter")
    builders.save_section(writer, sop, "roles", "Who leads.\n\n{{block:contacts}}\n")
    return sop


def test_docx_export_reads_back_with_headings_tables_and_arabic(sop, writer, contact):
    _written(writer, sop, contact)
    content, name = builders.export(writer, sop, "ar", "docx")
    assert name.endswith(".docx")
    read = docx.Document(io.BytesIO(content))
    texts = [p.text for p in read.paragraphs]
    assert "الغرض والنطاق" in texts  # "Purpose and scope" in Arabic
    assert any("every" in t for t in texts)
    cells = [c.text for t in read.tables for row in t.rows for c in row.cells]
    assert "Samira Haddad" in cells and "الاسم" in cells
    footer = read.sections[0].footer.paragraphs[0].text
    assert "بيانات محدّثة عند التصدير" in footer  # "data refreshed at export", on every page
    assert read.paragraphs[0]._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is not None
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="plans.plandocument").latest(
        "pk"
    )
    assert entry.object_id == str(sop.pk) and "docx ar" in entry.reason


def test_pdf_export_reads_back(sop, writer, contact):
    _written(writer, sop, contact)
    content, _name = builders.export(writer, sop, "en", "pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Purpose and scope" in text and "Samira Haddad" in text
    assert "Data refreshed at export" in text


def test_export_needs_the_right_and_the_scope(sop, viewer, make_user, org_b):
    with pytest.raises(PermissionDenied):
        builders.export(viewer, sop, "en", "docx")
    with pytest.raises(PermissionDenied):
        builders.export(make_user(org_b, Role.COORDINATOR), sop, "en", "docx")


def test_the_command_exports_one_or_all(sop, writer, approver, tmp_path, contact):
    _written(writer, sop, contact)
    with pytest.raises(CommandError, match="no approved version"):
        call_command("plan_export", str(sop.pk), "--format", "docx", "-o", str(tmp_path / "x.docx"))
    call_command(
        "plan_export", str(sop.pk), "--format", "pdf", "-o", str(tmp_path / "x.pdf"), "--as", writer.username
    )
    assert pypdf.PdfReader(tmp_path / "x.pdf").pages
    builders.submit(writer, sop)
    builders.approve(approver, sop)
    call_command("plan_export", "--all", "--format", "docx", "--lang", "fr", "-o", str(tmp_path / "all"))
    read = docx.Document(tmp_path / "all" / f"plan-{sop.pk}-fr.docx")
    assert "Objet et champ d'application" in [p.text for p in read.paragraphs]
    with pytest.raises(CommandError, match="Unknown language"):
        call_command(
            "plan_export", str(sop.pk), "--format", "docx", "--lang", "xx", "-o", str(tmp_path / "y.docx")
        )
    with pytest.raises(CommandError, match="No plan document"):
        call_command("plan_export", "999999", "--format", "docx", "-o", str(tmp_path / "z.docx"))


# Pages --------------------------------------------------------------------------------------------


def test_pages_write_insert_preview_and_another_organisation_sees_nothing(
    sop, writer, contact, login, make_user, org_b
):
    client = login(writer)
    url = reverse("plans:document_section", args=[sop.pk, "roles"])
    inserted = client.post(url, {"text": "Who leads.", "block": "contacts", "insert": "1"})
    assert b"{{block:contacts}}" in inserted.content
    # Browsers end a textarea's lines with CRLF: the marker is still a line of its own.
    preview = client.post(url, {"text": "Who leads.\r\n\r\n{{block:contacts}}\r\n", "preview": "1"})
    assert b"Samira Haddad" in preview.content
    assert sop.versions.count() == 1  # neither inserting nor previewing saves
    saved = client.post(url, {"text": "Who leads.\n\n{{block:contacts}}", "save": "1"})
    assert saved.status_code == 302 and sop.versions.count() == 2
    bad = client.post(url, {"text": "{{block:nope}}", "save": "1"})
    assert bad.status_code == 400 and sop.versions.count() == 2
    assert client.get(reverse("plans:document_versions", args=[sop.pk])).status_code == 200
    assert b"Amman SOP" in client.get(reverse("plans:documents")).content
    export = client.get(reverse("plans:document_export", args=[sop.pk]), {"format": "docx", "lang": "ru"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    other = login(make_user(org_b, Role.COORDINATOR))
    assert b"Amman SOP" not in other.get(reverse("plans:documents")).content
    assert other.get(reverse("plans:document", args=[sop.pk])).status_code == 404


def test_create_page_refuses_bad_input(writer, login, org_a):
    client = login(writer)
    response = client.post(
        reverse("plans:document_create"),
        {"organisation": org_a.pk, "kind": "nonsense", "title": "", "language": "en", "review_months": 12},
    )
    assert response.status_code == 400 and not PlanDocument.objects.exists()
    response = client.post(
        reverse("plans:document_create"),
        {"organisation": org_a.pk, "kind": "sop", "title": "SOP", "language": "ar", "review_months": 12},
    )
    assert response.status_code == 302 and PlanDocument.objects.get().language == "ar"


def test_review_reminders_go_once_per_review_date_in_each_persons_language(
    sop, writer, approver, viewer, mailoutbox
):
    writer.profile.language = "fr"
    writer.profile.save()
    builders.save_section(writer, sop, "purpose", "Reach every migrant.")
    builders.submit(writer, sop)
    builders.approve(approver, sop)
    assert builders.send_review_reminders() == 0  # not due yet
    PlanDocument.objects.filter(pk=sop.pk).update(published_at=timezone.now() - datetime.timedelta(days=400))
    assert builders.send_review_reminders() == 2  # the writer and the approver; the viewer may not change it
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects[writer.email] == "À réviser : Amman SOP"
    assert subjects[approver.email] == "Due for review: Amman SOP"
    assert viewer.email not in subjects
    assert f"/plans/documents/{sop.pk}/" in mailoutbox[0].body
    assert builders.send_review_reminders() == 0  # once per review date
