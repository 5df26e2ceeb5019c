import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lifeline.core.models import AuditEntry
from lifeline.evacuation import services
from lifeline.evacuation.models import CHILD_SUBJECT, ChildChecklist
from lifeline.plans.models import AnswerRecord, Assessment, Item


@pytest.fixture
def checklists(crisis, people, point, areas):
    services.assign_area(crisis, areas["amman"], point)
    return {
        c.member.name if c.member else c.evacuee.registration.full_name: c
        for c in ChildChecklist.objects.select_related("member", "evacuee__registration")
    }


def test_the_summary_lists_unaccompanied_children_first(login, coordinator, crisis, checklists):
    page = login(coordinator).get(reverse("evacuation:children", args=[crisis.pk])).content.decode()
    assert page.index("Liza Reyes") < page.index("Ana Santos")
    assert page.index("Paolo Bautista") < page.index("Ana Santos")
    assert "0 of 16 done" in page


def test_every_childs_checklist_is_an_assessment_of_the_shipped_template(crisis, checklists):
    for checklist in checklists.values():
        assessment = checklist.assessment
        assert assessment.subject == CHILD_SUBJECT
        assert assessment.version.template.key == "evacuating-migrant-children"
        assert assessment.version.is_published
        assert assessment.organisation_id == crisis.organisation_id
    # The plans pages never list them: their scope is the evacuation's.
    assert not Assessment.objects.filter(subject="").exists()


def test_opening_a_childs_checklist_is_audited(login, viewer, checklists):
    checklist = checklists["Ana Santos"]
    response = login(viewer).get(reverse("evacuation:checklist", args=[checklist.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    # A viewer may not see people's details (nationals/disclosure.py): the child is not named.
    assert "Ana Santos" not in page and "Counted at boarding" in page and "After the evacuation" in page
    assert "Brothers and sisters travel together." in page  # the template's guidance
    assert '<form method="post">' not in page  # a viewer reads only
    entry = AuditEntry.objects.get(action="view", object_type="evacuation.childchecklist")
    assert entry.object_id == str(checklist.pk) and entry.actor_id == viewer.pk
    assert entry.fields == ["items"]


def test_ticking_an_item_records_who_and_when_and_is_audited(login, coordinator, crisis, checklists):
    client = login(coordinator)
    checklist = checklists["Liza Reyes"]
    response = client.post(
        reverse("evacuation:checklist", args=[checklist.pk]),
        {"key": "guardian", "answer": "yes", "note": "Uncle Ramon, ID copied"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#item-guardian")
    item = AnswerRecord.objects.get(assessment=checklist.assessment, item__key="guardian")
    assert item.answer == "yes" and item.answered_by == coordinator
    assert item.private_note == "Uncle Ramon, ID copied"
    # The note is about a child: stored encrypted.
    raw = AnswerRecord.objects.filter(pk=item.pk).values_list("private_note", flat=True)
    assert "Ramon" not in str(raw.query) and "Ramon" not in _raw_note(item.pk)
    assert AuditEntry.objects.filter(
        object_type="plans.answerrecord", action="create", object_id=str(item.pk)
    ).exists()
    client.post(
        reverse("evacuation:checklist", args=[checklist.pk]),
        {"key": "guardian", "answer": "", "note": "Uncle Ramon, ID copied"},
    )
    item.refresh_from_db()
    assert item.answer == ""
    assert AuditEntry.objects.filter(
        object_type="plans.answerrecord", action="update", object_id=str(item.pk)
    ).exists()
    page = client.get(reverse("evacuation:checklist", args=[checklist.pk])).content.decode()
    assert "by coordinator" in page


def _raw_note(pk):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT private_note FROM plans_answerrecord WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_checklist_with_every_item_done_or_not_applicable_is_complete(coordinator, crisis, checklists):
    checklist = checklists["Ana Santos"]
    keys = list(
        Item.objects.filter(section__version=checklist.assessment.version).values_list("key", flat=True)
    )
    assert len(keys) == 16
    for key in keys:
        services.answer_item(coordinator, checklist, key, "na" if key == "best_interests" else "yes")
    summary = services.children_summary(crisis)
    assert summary["complete"] == 1
    ana = next(r for r in summary["rows"] if r["name"] == "Ana Santos")
    assert ana["complete"] and ana["done"] == ana["total"] == 16
    # The engine's section scores read the same answers: every section at 100 %.
    from lifeline.plans.services import section_scores

    assert [s.percent for s in section_scores(checklist.assessment)] == [100, 100, 100]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"key": "flying", "answer": "yes"}, "Choose an item of the checklist."),
        ({"key": "photo", "answer": "maybe"}, "Select a valid choice."),
        ({"key": "photo", "note": "x" * 1001}, "Ensure this value has at most 1000 characters"),
        ({"key": "photo", "note": "bad\x00note"}, "Null characters are not allowed."),
    ],
)
def test_bad_checklist_input_changes_nothing(login, coordinator, checklists, data, message):
    checklist = checklists["Ana Santos"]
    response = login(coordinator).post(
        reverse("evacuation:checklist", args=[checklist.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AnswerRecord.objects.exists()


def test_another_post_cannot_open_or_tick(login, beirut_officer, checklists):
    checklist = checklists["Ana Santos"]
    client = login(beirut_officer)
    assert client.get(reverse("evacuation:checklist", args=[checklist.pk])).status_code == 404
    assert (
        client.post(
            reverse("evacuation:checklist", args=[checklist.pk]), {"key": "photo", "answer": "yes"}
        ).status_code
        == 404
    )
    assert not AnswerRecord.objects.exists()
    assert not AuditEntry.objects.filter(object_type="evacuation.childchecklist", action="view").exists()


def test_reading_the_childrens_list_is_audited_per_household(
    login, viewer, coordinator, crisis, people, checklists
):
    masked = login(viewer).get(reverse("evacuation:children", args=[crisis.pk]))
    assert masked.status_code == 200 and "Liza Reyes" not in masked.content.decode()
    assert not AuditEntry.objects.filter(action="view", object_type="nationals.registration").exists()
    response = login(coordinator).get(reverse("evacuation:children", args=[crisis.pk]))
    assert response.status_code == 200 and "Liza Reyes" in response.content.decode()
    shown = AuditEntry.objects.filter(
        action="view", object_type="nationals.registration", actor_id=coordinator.pk
    )
    households = {str(people[k].pk) for k in ("family", "uncle", "teen")}
    assert set(shown.values_list("object_id", flat=True)) == households
    assert all("children" in entry.reason for entry in shown)


def test_a_childs_assessment_is_never_reached_through_the_plans_pages(login, coordinator, crisis, checklists):
    from lifeline.plans import services as plans_services

    checklist = checklists["Liza Reyes"]
    services.answer_item(coordinator, checklist, "guardian", "yes", "Uncle Ramon")
    client = login(coordinator)
    pk = checklist.assessment_id
    for url in (
        reverse("plans:assessment", args=[pk]),
        reverse("plans:section", args=[pk, 1]),
        reverse("plans:export", args=[pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert f"/plans/assessments/{pk}/" not in client.get(reverse("plans:index")).content.decode()
    # Nor started for an organisation: it is answered per child.
    version = checklist.assessment.version
    with pytest.raises(plans_services.ValidationError):
        plans_services.start_assessment(coordinator, crisis.organisation, version)
    start = client.get(reverse("plans:start")).content.decode()
    assert "Evacuating migrant children" not in start


def test_leaving_the_evacuation_takes_the_childs_assessment_and_answers_with_it(coordinator, checklists):
    checklist = checklists["Ana Santos"]
    services.answer_item(coordinator, checklist, "photo", "no", "Parents refused")
    assessment_id = checklist.assessment_id
    checklist.evacuee.delete()
    assert not Assessment.objects.filter(pk=assessment_id).exists()
    assert not AnswerRecord.objects.filter(assessment_id=assessment_id).exists()


def test_another_post_cannot_answer_through_the_engine_either(beirut_officer, checklists):
    checklist = checklists["Ana Santos"]
    with pytest.raises(PermissionDenied):
        services.answer_item(beirut_officer, checklist, "photo", "yes")
    assert not AnswerRecord.objects.exists()
