"""Checklists: shipped template, frozen versions, scores, progress, fallback languages, pages, export."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from lifeline.core.models import AuditAction, AuditEntry, Role, Scope
from lifeline.plans import services
from lifeline.plans.models import (
    Answer,
    AnswerRecord,
    Assessment,
    ChecklistTemplate,
    Frozen,
    Item,
    Plan,
    Section,
    TemplateVersion,
    VersionState,
)

KEY = "contingency-plan-accounts-for-migrants"
STAFF_LANGUAGES = ("en", "es", "fr", "ar", "ru", "pt")


@pytest.fixture
def version(db):
    return ChecklistTemplate.objects.get(key=KEY).published()


@pytest.fixture
def planner(make_user, org_a):
    return make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _answer_all(assessment, answers):
    items = {i.key: i for i in Item.objects.filter(section__version=assessment.version)}
    for key, value in answers.items():
        AnswerRecord.objects.create(assessment=assessment, item=items[key], answer=value)


# The shipped template ----------------------------------------------------------------------------


def test_the_shipped_checklist_is_there_in_the_six_staff_languages(version):
    assert version.number == 1 and version.is_published
    sections = list(version.sections.all())
    assert [s.key for s in sections] == [
        "presence",
        "moving-and-sheltering",
        "communication",
        "health",
        "particular-needs",
        "participation",
        "employers",
        "tested",
    ]
    items = Item.objects.filter(section__version=version)
    assert items.count() == 19
    texts = [version.template.title, version.template.summary]
    texts += [s.title for s in sections] + [i.text for i in items]
    texts += [s.guidance for s in sections if s.guidance] + [i.guidance for i in items if i.guidance]
    for text in texts:
        assert sorted(text) == sorted(STAFF_LANGUAGES), text
        assert all(value.strip() for value in text.values())


def test_loading_again_changes_nothing_and_a_changed_text_makes_a_new_version(version, monkeypatch, tmp_path):
    assert services.load_shipped() == []
    assert TemplateVersion.objects.filter(template=version.template).count() == 1
    data = (services.SHIPPED / "contingency-plan-migrants.json").read_text(encoding="utf-8")
    (tmp_path / "t.json").write_text(data.replace("roughly how many", "about how many"), encoding="utf-8")
    monkeypatch.setattr(services, "SHIPPED", tmp_path)
    assert services.load_shipped() == [KEY]
    newest = version.template.published()
    assert newest.number == 2
    # The first version is as it was.
    first = Item.objects.get(section__version=version, key="presence-recorded")
    assert "roughly how many" in first.text["en"]
    assert "about how many" in Item.objects.get(section__version=newest, key="presence-recorded").text["en"]


def test_a_published_version_refuses_every_change(version):
    section = version.sections.first()
    item = section.items.first()
    section.title = {"en": "Changed"}
    with pytest.raises(Frozen):
        section.save()
    item.text = {"en": "Changed"}
    with pytest.raises(Frozen):
        item.save()
    with pytest.raises(Frozen):
        item.delete()
    with pytest.raises(Frozen):
        Section.objects.create(version=version, key="new", position=99, title={"en": "New"})
    version.note = "changed"
    with pytest.raises(Frozen):
        version.save()
    assert Item.objects.get(pk=item.pk).text != {"en": "Changed"}


def test_a_draft_copies_the_newest_version_and_publishing_freezes_it(version, make_user, org_a):
    admin = make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT)
    officer = make_user(org_a, role=Role.OFFICER)
    with pytest.raises(services.PermissionDenied):
        services.new_draft(officer, version.template)  # a shipped template is the administrators'
    draft = services.new_draft(admin, version.template)
    assert draft.number == 2 and draft.state == VersionState.DRAFT
    assert Item.objects.filter(section__version=draft).count() == 19
    item = Item.objects.filter(section__version=draft).first()
    item.text = {**item.text, "en": "Edited in the draft"}
    item.save()
    with pytest.raises(services.ValidationError):
        services.new_draft(admin, version.template)
    services.publish(admin, draft)
    assert version.template.published() == draft
    with pytest.raises(Frozen):
        item.save()


# Scores and progress -------------------------------------------------------------------------------


def test_a_section_scores_yes_one_partly_half_no_nothing_and_leaves_out_not_applicable(version, org_a):
    assessment = Assessment.objects.create(
        organisation=org_a, version=version, assessed_on=timezone.localdate()
    )
    _answer_all(
        assessment,
        {
            "presence-recorded": Answer.YES,
            "needs-recorded": Answer.PARTLY,
            "capacities-recorded": Answer.NOT_APPLICABLE,
            "evacuation-reaches-migrants": Answer.NO,
            "relocation-planned": Answer.NO,
            "shelter-open-to-all": Answer.PARTLY,
        },
    )
    scores = {s.key: s for s in services.section_scores(assessment)}
    assert scores["presence"].percent == 75 and scores["presence"].not_applicable == 1
    assert scores["moving-and-sheltering"].percent == round(100 * 0.5 / 3)
    assert scores["communication"].score is None and scores["communication"].unanswered == 3
    # Overall: every counted item weighs the same (1 + 0.5 + 0 + 0 + 0.5 over 5).
    assert services.overall(list(scores.values())) == 40


def test_progress_compares_with_the_assessment_before_of_the_same_subject(version, org_a, org_b):
    plan = Plan.objects.create(organisation=org_a, title="Flood plan")
    today = timezone.localdate()
    earlier = Assessment.objects.create(
        organisation=org_a, version=version, plan=plan, assessed_on=today - datetime.timedelta(days=90)
    )
    _answer_all(earlier, {"presence-recorded": Answer.NO, "needs-recorded": Answer.NO})
    # Neither the organisation as a whole nor another organisation counts as "before" for the plan.
    Assessment.objects.create(
        organisation=org_a, version=version, assessed_on=today - datetime.timedelta(days=10)
    )
    Assessment.objects.create(
        organisation=org_b, version=version, assessed_on=today - datetime.timedelta(days=5)
    )
    now = Assessment.objects.create(organisation=org_a, version=version, plan=plan, assessed_on=today)
    _answer_all(now, {"presence-recorded": Answer.YES, "needs-recorded": Answer.PARTLY})
    assert services.previous(now) == earlier
    assert services.previous(earlier) is None
    rows = services.progress(now, earlier)
    assert (rows[0].before, rows[0].now, rows[0].change) == (0, 75, 75)
    assert rows[1].before is None and rows[1].change is None


# Languages ------------------------------------------------------------------------------------------


def test_a_text_not_written_in_the_readers_language_says_which_language_it_is_in():
    with translation.override("fr"):
        text = services.shown({"en": "Who is here", "ar": "من يوجد هنا"})
        assert (text.text, text.language, text.fallback) == ("Who is here", "en", True)
        assert services.shown({"en": "Who is here", "fr": "Qui est présent"}).fallback is False
    arabic = services.shown({"ar": "من يوجد هنا"}, "ru")
    assert arabic.fallback and arabic.dir == "rtl"


def test_the_page_marks_a_fallback_text(client, login, planner, org_a):
    template = ChecklistTemplate.objects.create(
        key="own", organisation=org_a, title={"en": "Our own checklist"}
    )
    login(planner)
    page = client.get(f"/plans/checklists/{template.pk}/", HTTP_ACCEPT_LANGUAGE="es")
    body = page.content.decode()
    assert page.status_code == 200
    assert '<span lang="en" dir="ltr">Our own checklist</span> <span class="tag"' in body
    shipped = client.get(
        f"/plans/checklists/{ChecklistTemplate.objects.get(key=KEY).pk}/", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "¿Tiene en cuenta nuestro plan" in shipped.content.decode()
    assert 'class="tag" title=' not in shipped.content.decode()


# Pages ---------------------------------------------------------------------------------------------


def test_a_planner_starts_an_assessment_answers_a_section_and_sees_its_score(
    client, login, planner, org_a, version
):
    login(planner)
    response = client.post(
        "/plans/assessments/new/",
        {"version": version.pk, "organisation": org_a.pk, "assessed_on": timezone.localdate().isoformat()},
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/plans/assessments/{assessment.pk}/sections/1/"
    items = list(version.sections.first().items.all())
    data = {f"answer-{items[0].pk}": "yes", f"answer-{items[1].pk}": "partly", f"answer-{items[2].pk}": "na"}
    response = client.post(f"/plans/assessments/{assessment.pk}/sections/1/", data)
    assert response["Location"] == f"/plans/assessments/{assessment.pk}/sections/2/"
    page = client.get(f"/plans/assessments/{assessment.pk}/").content.decode()
    assert "75 %" in page
    entries = AuditEntry.objects.filter(object_type="plans.answerrecord", action=AuditAction.CREATE)
    assert entries.count() == 3 and entries.first().actor_id == planner.pk


def test_a_follow_up_without_owner_and_date_is_refused_and_nothing_of_the_section_is_saved(
    client, login, planner, org_a, version
):
    assessment = services.start_assessment(planner, org_a, version)
    items = list(version.sections.first().items.all())
    login(planner)
    response = client.post(
        f"/plans/assessments/{assessment.pk}/sections/1/",
        {
            f"answer-{items[0].pk}": "yes",
            f"answer-{items[1].pk}": "no",
            f"follow-{items[1].pk}": "Ask the NGO",
        },
    )
    assert response.status_code == 400
    assert "A follow-up action needs an owner and a due date." in response.content.decode()
    assert not AnswerRecord.objects.exists()
    response = client.post(
        f"/plans/assessments/{assessment.pk}/sections/1/",
        {f"answer-{items[0].pk}": "yes", f"answer-{items[1].pk}": "maybe"},
    )
    assert response.status_code == 400 and not AnswerRecord.objects.exists()


def test_evidence_files_are_checked_and_served_only_through_the_assessment(
    client, login, planner, make_user, org_a, org_b, version
):
    assessment = services.start_assessment(planner, org_a, version)
    item = version.sections.first().items.first()
    login(planner)
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        f"/plans/assessments/{assessment.pk}/sections/1/",
        {f"answer-{item.pk}": "yes", f"file-{item.pk}": bad},
    )
    assert response.status_code == 400 and not AnswerRecord.objects.exists()
    good = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    client.post(
        f"/plans/assessments/{assessment.pk}/sections/1/",
        {f"answer-{item.pk}": "yes", f"file-{item.pk}": good},
    )
    record = AnswerRecord.objects.get()
    download = client.get(f"/plans/assessments/{assessment.pk}/evidence/{record.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    other = make_user(org_b, role=Role.COORDINATOR)
    login(other)
    assert client.get(f"/plans/assessments/{assessment.pk}/evidence/{record.pk}/").status_code == 404
    assert client.get(f"/plans/assessments/{assessment.pk}/").status_code == 404


def test_a_completed_assessment_keeps_its_answers(client, login, planner, org_a, version):
    assessment = services.start_assessment(planner, org_a, version)
    item = version.sections.first().items.first()
    services.save_answer(planner, assessment, item, Answer.NO)
    services.complete(planner, assessment)
    login(planner)
    response = client.post(f"/plans/assessments/{assessment.pk}/sections/1/", {f"answer-{item.pk}": "yes"})
    assert response.status_code == 302
    assert AnswerRecord.objects.get().answer == Answer.NO
    with pytest.raises(services.ValidationError):
        services.save_answer(planner, assessment, item, Answer.YES)


def test_start_refuses_a_plan_of_another_organisation_a_future_date_and_a_draft(
    planner, org_a, org_b, version
):
    plan_b = Plan.objects.create(organisation=org_b, title="Their plan")
    with pytest.raises(services.ValidationError):
        services.start_assessment(planner, org_a, version, plan=plan_b)
    with pytest.raises(services.ValidationError):
        services.start_assessment(
            planner, org_a, version, assessed_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    draft = TemplateVersion.objects.create(template=version.template, number=2)
    with pytest.raises(services.ValidationError):
        services.start_assessment(planner, org_a, draft)
    with pytest.raises(services.PermissionDenied):
        services.start_assessment(planner, org_b, version)
    assert not Assessment.objects.exists()


def test_a_viewer_reads_but_does_not_answer(client, login, make_user, planner, org_a, version):
    assessment = services.start_assessment(planner, org_a, version)
    viewer = make_user(org_a, role=Role.VIEWER)
    login(viewer)
    assert client.get(f"/plans/assessments/{assessment.pk}/sections/1/").status_code == 200
    item = version.sections.first().items.first()
    assert (
        client.post(
            f"/plans/assessments/{assessment.pk}/sections/1/", {f"answer-{item.pk}": "yes"}
        ).status_code
        == 403
    )
    assert client.get("/plans/assessments/new/").status_code == 403
    assert client.get(f"/plans/assessments/{assessment.pk}/export/").status_code == 403


def test_the_export_is_an_xlsx_of_scores_and_answers_and_is_audited(client, login, planner, org_a, version):
    assessment = services.start_assessment(planner, org_a, version)
    _answer_all(assessment, {"presence-recorded": Answer.YES, "needs-recorded": Answer.NO})
    needs_item = Item.objects.get(section__version=version, key="needs-recorded")
    services.save_answer(
        planner,
        assessment,
        needs_item,
        Answer.NO,
        follow_up="=HYPERLINK(1)",
        owner_organisation=org_a,
        due=datetime.date(2030, 1, 1),
    )
    login(planner)
    response = client.get(f"/plans/assessments/{assessment.pk}/export/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    scores, answers = book.worksheets
    rows = list(scores.iter_rows(values_only=True))
    assert rows[2][:2] == ("Section", "Note (%)")
    assert ("Qui est présent", 50, 2, 0, 1) in rows
    answer_rows = list(answers.iter_rows(values_only=True))
    needs = next(r for r in answer_rows if r[2] == "Non")
    assert needs[6:9] == (org_a.name, "2030-01-01", "'=HYPERLINK(1)")
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="plans.assessment").count() == 1


# The plans register --------------------------------------------------------------------------------


def test_the_register_keeps_a_plan_with_its_areas_and_another_organisation_does_not_see_it(
    client, login, planner, make_user, org_a, org_b, areas
):
    login(planner)
    response = client.post(
        "/plans/register/new/",
        {
            "organisation": org_a.pk,
            "title": "Irbid heatwave plan",
            "kind": "contingency",
            "areas": [areas["irbid"].pk],
            "last_revised": "2026-03-01",
            "owner": "Planning unit",
            "link": "https://example.org/plan",
        },
    )
    plan = Plan.objects.get()
    assert response["Location"] == f"/plans/register/{plan.pk}/"
    assert list(plan.areas.all()) == [areas["irbid"]] and plan.last_revised == datetime.date(2026, 3, 1)
    assert AuditEntry.objects.filter(object_type="plans.plan", action=AuditAction.CREATE).exists()
    assert "Irbid heatwave plan" in client.get("/plans/register/").content.decode()
    login(make_user(org_b, role=Role.COORDINATOR))
    assert "Irbid heatwave plan" not in client.get("/plans/register/").content.decode()
    assert client.get(f"/plans/register/{plan.pk}/").status_code == 404
    response = client.post(f"/plans/register/{plan.pk}/edit/", {"title": "Taken over", "kind": "other"})
    assert response.status_code == 404 and Plan.objects.get().title == "Irbid heatwave plan"


def test_the_load_command_says_when_nothing_changed(version):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_checklists", stdout=out)
    assert "none changed" in out.getvalue()
    assert TemplateVersion.objects.filter(template=version.template).count() == 1


def test_the_list_reads_every_score_in_one_query(
    client, login, planner, org_a, version, django_assert_max_num_queries
):
    today = timezone.localdate()
    for days in range(5):
        assessment = Assessment.objects.create(
            organisation=org_a, version=version, assessed_on=today - datetime.timedelta(days=days)
        )
        _answer_all(assessment, {"presence-recorded": Answer.YES, "needs-recorded": Answer.PARTLY})
    assert set(services.overall_scores(Assessment.objects.all()).values()) == {75}
    login(planner)
    client.get("/plans/")  # warm the caches (permissions, languages)
    # 21: the approvals badge counts each kind of item under approval (plan documents are one).
    with django_assert_max_num_queries(21):
        page = client.get("/plans/")
    assert page.content.decode().count("75 %") == 5
