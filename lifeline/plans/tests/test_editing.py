"""Editing checklist templates: drafts, sections and questions per language, order, publishing, rights."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lifeline.core.models import AuditEntry, Role, Scope
from lifeline.plans import editing, services
from lifeline.plans.models import (
    Answer,
    AnswerRecord,
    Assessment,
    ChecklistTemplate,
    Frozen,
    Item,
    Section,
    TemplateVersion,
    VersionState,
)

KEY = "contingency-plan-accounts-for-migrants"


@pytest.fixture
def template(db):
    return ChecklistTemplate.objects.get(key=KEY)


@pytest.fixture
def admin(make_user, org_a):
    return make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT)


@pytest.fixture
def coordinator(make_user, org_a):
    return make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)


@pytest.fixture
def own_template(org_a):
    """An organisation's own checklist, with one published version."""
    template = ChecklistTemplate.objects.create(
        key="own-list", organisation=org_a, title={"en": "Our own list"}
    )
    version = TemplateVersion.objects.create(template=template, number=1)
    section = Section.objects.create(version=version, key="s", position=1, title={"en": "Section"})
    Item.objects.create(section=section, key="i", position=1, text={"en": "Question"})
    TemplateVersion.objects.filter(pk=version.pk).update(
        state=VersionState.PUBLISHED, published_at=timezone.now()
    )
    return template


def test_only_an_administrator_edits_a_shipped_checklist_and_coordinators_their_own(
    template, own_template, admin, coordinator, make_user, org_b
):
    assert editing.may_edit(admin, template) and not editing.may_edit(coordinator, template)
    assert editing.may_edit(coordinator, own_template)
    outsider = make_user(org_b, role=Role.COORDINATOR)
    assert not editing.may_edit(outsider, own_template)
    viewer = make_user(own_template.organisation, role=Role.VIEWER)
    assert not editing.may_edit(viewer, own_template)
    with pytest.raises(services.PermissionDenied):
        services.new_draft(outsider, own_template)
    draft = services.new_draft(coordinator, own_template)
    assert draft.number == 2 and draft.sections.get().items.count() == 1


def test_editing_a_draft_in_spanish_keeps_the_other_languages_and_falls_back_visibly(template, admin):
    draft = services.new_draft(admin, template)
    section = draft.sections.get(key="presence")
    before = dict(section.title)
    editing.save_section(admin, draft, "es", "¿Quiénes están aquí?", "", section)
    section.refresh_from_db()
    assert section.title["es"] == "¿Quiénes están aquí?"
    assert {k: v for k, v in section.title.items() if k != "es"} == {
        k: v for k, v in before.items() if k != "es"
    }
    assert section.guidance.get("es") is None and section.guidance.get("en")  # emptied in Spanish only
    shown = services.shown(section.guidance, "es")
    assert shown.fallback and shown.language == "en"
    added = editing.save_item(admin, section, "es", "¿Hay intérpretes en la lista?", "Guía", None)
    assert added.text == {"es": "¿Hay intérpretes en la lista?"} and added.position == section.items.count()
    assert added.key == "hay-interpretes-en-la-lista"
    shown = services.shown(added.text, "fr")
    assert shown.fallback and shown.text == "¿Hay intérpretes en la lista?" and shown.language == "es"
    entries = AuditEntry.objects.filter(object_type="plans.templateversion", object_id=str(draft.pk))
    assert entries.filter(action="create", reason="checklist question").exists()
    assert entries.filter(action="update", reason="checklist section").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Question: write it in at least one language."),
        ("x" * 2001, "Question: at most 2,000 characters."),
        ("bad\x00text", "The text holds a character that cannot be stored."),
    ],
)
def test_bad_texts_change_nothing(template, admin, text, message):
    draft = services.new_draft(admin, template)
    section = draft.sections.first()
    count = Item.objects.filter(section=section).count()
    with pytest.raises(services.ValidationError) as exc:
        editing.save_item(admin, section, "es", text, "", None)
    assert message in exc.value.messages
    assert Item.objects.filter(section=section).count() == count


def test_order_add_and_remove_sections_and_questions(template, admin):
    draft = services.new_draft(admin, template)
    keys = list(draft.sections.values_list("key", flat=True))
    second = draft.sections.get(key=keys[1])
    editing.move_section(admin, second, "up")
    assert list(draft.sections.values_list("key", flat=True))[:2] == [keys[1], keys[0]]
    editing.move_section(admin, second, "up")  # already first: nothing moves
    assert list(draft.sections.values_list("key", flat=True))[0] == keys[1]
    with pytest.raises(services.ValidationError):
        editing.move_section(admin, second, "sideways")
    items = list(second.items.order_by("position"))
    editing.move_item(admin, items[0], "down")
    assert list(second.items.order_by("position")) == [items[1], items[0], *items[2:]]
    editing.remove_item(admin, items[1])
    assert list(second.items.values_list("position", flat=True)) == list(range(1, len(items)))
    new = editing.save_section(admin, draft, "en", "Recovery", "After the emergency.")
    assert new.key == "recovery" and new.position == len(keys) + 1
    with pytest.raises(services.ValidationError):  # a section with no question is not published
        services.publish(admin, draft)
    editing.remove_section(admin, new)
    editing.remove_section(admin, draft.sections.get(key=keys[0]))
    assert list(draft.sections.values_list("position", flat=True)) == list(range(1, len(keys)))
    services.publish(admin, draft)
    assert template.published() == draft


def test_a_published_version_is_frozen_for_every_edit(template, admin):
    version = template.published()
    section = version.sections.first()
    item = section.items.first()
    for call in (
        lambda: editing.save_item(admin, section, "es", "Nuevo", "", None),
        lambda: editing.save_item(admin, section, "es", "Nuevo", "", item),
        lambda: editing.save_section(admin, version, "en", "New", ""),
        lambda: editing.move_item(admin, item, "down"),
        lambda: editing.remove_item(admin, item),
        lambda: editing.remove_section(admin, section),
        lambda: editing.discard(admin, version),
    ):
        with pytest.raises((services.ValidationError, Frozen)):
            call()
    assert Item.objects.filter(section=section).count() == section.items.count()
    assert TemplateVersion.objects.filter(pk=version.pk, state=VersionState.PUBLISHED).exists()


def test_editing_and_publishing_never_rewrite_past_assessments_or_their_scores(template, admin, org_a):
    version = template.published()
    past = Assessment.objects.create(organisation=org_a, version=version, assessed_on=timezone.localdate())
    items = list(Item.objects.filter(section__version=version).order_by("section__position", "position"))
    for item, value in zip(items, [Answer.YES, Answer.PARTLY, Answer.NO, Answer.YES]):
        AnswerRecord.objects.create(assessment=past, item=item, answer=value)
    before = [(s.key, s.percent, s.total) for s in services.section_scores(past)]
    texts_before = [dict(i.text) for i in items]
    draft = services.new_draft(admin, template)
    first = draft.sections.order_by("position").first()
    for item in list(first.items.all()):
        editing.remove_item(admin, item)
    editing.save_item(admin, first, "es", "Una sola pregunta nueva", "", None)
    editing.move_section(admin, first, "down")
    services.publish(admin, draft)
    past.refresh_from_db()
    assert past.version == version
    assert [(s.key, s.percent, s.total) for s in services.section_scores(past)] == before
    assert [
        dict(i.text)
        for i in Item.objects.filter(pk__in=[i.pk for i in items]).order_by("section__position", "position")
    ] == texts_before
    # Loading the shipped files again leaves the administrator's version the newest.
    assert services.load_shipped() == []
    assert template.published() == draft


# Pages ----------------------------------------------------------------------------------------------


def test_an_administrator_adds_a_question_in_spanish_and_publishes(client, login, template, admin):
    login(admin)
    page = client.get(reverse("plans:template", args=[template.pk])).content.decode()
    assert "Make a new version" in page
    response = client.post(reverse("plans:new_draft", args=[template.pk]))
    draft = TemplateVersion.objects.get(template=template, state=VersionState.DRAFT)
    assert response["Location"] == reverse("plans:version", args=[draft.pk])
    section = draft.sections.get(key="presence")
    editor = client.get(reverse("plans:version", args=[draft.pk]) + "?lang=español").content.decode()
    assert "You are writing in" in editor and "?lang=es" in editor
    url = reverse("plans:item_create", args=[section.pk]) + "?lang=es"
    response = client.post(
        url,
        {"lang": "es", "text": "¿Hay un punto de encuentro para trabajadoras domésticas?", "guidance": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("?lang=es")
    added = section.items.order_by("position").last()
    assert added.text == {"es": "¿Hay un punto de encuentro para trabajadoras domésticas?"}
    # Read in English, the new question says it is written in Spanish.
    editor = client.get(reverse("plans:version", args=[draft.pk]) + "?lang=en").content.decode()
    assert 'lang="es"' in editor and "in Spanish" in editor
    bad = client.post(url, {"lang": "es", "text": "", "guidance": "x"})
    assert bad.status_code == 400 and "Question: write it in at least one language." in bad.content.decode()
    response = client.post(
        reverse("plans:publish", args=[draft.pk]), {"lang": "es", "note": "Punto de encuentro"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.note == "Punto de encuentro"
    # Frozen: the editor of a published version sends back to the checklist, and changes are refused.
    assert client.get(reverse("plans:version", args=[draft.pk]))["Location"].endswith(
        f"?version={draft.number}"
    )
    client.post(reverse("plans:item_remove", args=[added.pk]))
    assert Item.objects.filter(pk=added.pk).exists()


def test_a_coordinator_cannot_edit_a_shipped_checklist(client, login, template, coordinator, admin):
    draft = services.new_draft(admin, template)
    section = draft.sections.first()
    login(coordinator)
    assert (
        "Make a new version" not in client.get(reverse("plans:template", args=[template.pk])).content.decode()
    )
    assert client.post(reverse("plans:new_draft", args=[template.pk])).status_code == 403
    assert client.get(reverse("plans:version", args=[draft.pk])).status_code == 403
    count = section.items.count()
    assert client.post(reverse("plans:item_create", args=[section.pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("plans:publish", args=[draft.pk])).status_code == 403
    assert section.items.count() == count and not TemplateVersion.objects.get(pk=draft.pk).is_published
