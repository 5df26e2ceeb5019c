"""The shipped checklists: all four there, published, in the six staff languages, with the streams they serve."""

import pytest

from lifeline.plans import services
from lifeline.plans.models import ChecklistTemplate, Item

STAFF_LANGUAGES = ["ar", "en", "es", "fr", "pt", "ru"]
SHIPPED = {
    "contingency-plan-accounts-for-migrants": ("host", 8),
    "migrant-inclusive-trainings": ("host", 4),
    "evacuating-migrant-children": ("home", 3),
    "consular-post-preparedness": ("home", 5),
}


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_a_shipped_checklist_is_published_in_the_six_staff_languages(db, key):
    stream, sections = SHIPPED[key]
    template = ChecklistTemplate.objects.get(key=key)
    assert template.organisation_id is None and template.stream == stream
    version = template.published()
    assert version is not None and version.number == 1
    assert version.sections.count() == sections
    items = Item.objects.filter(section__version=version)
    assert items.count() >= 2 * sections
    texts = [template.title, template.summary] + [s.title for s in version.sections.all()]
    texts += [i.text for i in items] + [s.guidance for s in version.sections.all() if s.guidance]
    texts += [i.guidance for i in items if i.guidance]
    for text in texts:
        assert sorted(text) == STAFF_LANGUAGES, text
        assert all(value.strip() for value in text.values()), text
    # Guidance is there to help: most questions of the new checklists carry some.
    if key != "contingency-plan-accounts-for-migrants":
        assert sum(1 for i in items if i.guidance) * 2 >= items.count()


def test_the_shipped_files_are_the_loaded_checklists(db):
    assert sorted(p.stem for p in services.SHIPPED.glob("*.json")) == [
        "consular-post-preparedness",
        "contingency-plan-migrants",
        "evacuating-migrant-children",
        "migrant-inclusive-trainings",
    ]
    assert services.load_shipped() == []  # the migrations loaded them all


def test_the_childrens_checklist_keeps_the_evacuation_items(db):
    """The evacuation's old items (migration 0002 of evacuation maps them by key) are all there."""
    version = ChecklistTemplate.objects.get(key="evacuating-migrant-children").published()
    keys = set(Item.objects.filter(section__version=version).values_list("key", flat=True))
    old = {
        "documents",
        "tracing",
        "guardian",
        "medical",
        "photo",
        "together",
        "count_boarding",
        "count_arrival",
        "not_separated",
        "handover",
        "reunified",
        "follow_up",
    }
    assert old <= keys
    assert list(version.sections.values_list("key", flat=True)) == ["before", "during", "after"]
