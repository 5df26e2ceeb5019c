"""A post drafts the advice its ministry keeps for the countries it covers; the ministry approves.

A level change needs its summary reviewed; comparing versions ignores line endings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lifeline.advice import services
from lifeline.advice.models import AdviceVersion, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version
from lifeline.core import approval
from lifeline.core.models import Role, Scope

LEVEL_2 = "Exercise a high degree of caution in Jordan."


@pytest.fixture
def jordan_advice(ministry, jordan, make_user):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    add_version(advice, level=2, state=State.PUBLISHED, texts={"en": LEVEL_2, "fr": "Prudence accrue."})
    return advice


@pytest.fixture
def consul(make_user, post_amman):
    return make_user(post_amman, Role.OFFICER, Scope.OWN)


@pytest.fixture
def ministry_approver(make_user, ministry):
    return make_user(ministry, Role.COORDINATOR, Scope.CHILDREN)


def test_the_consul_in_amman_opens_and_drafts_jordan(jordan_advice, consul, login):
    client = login(consul)
    assert client.get(f"/advice/manage/{jordan_advice.pk}/").status_code == 200
    response = client.post(f"/advice/manage/{jordan_advice.pk}/draft/")
    draft = jordan_advice.versions.get(state=State.DRAFT)
    assert response.status_code == 302 and draft.author == consul
    assert client.get(f"/advice/manage/versions/{draft.pk}/edit/").status_code == 200


def test_a_post_reaches_no_advice_outside_its_countries(ministry, lebanon, consul, post_beirut, login):
    lebanon_ministry = TravelAdvice.objects.create(organisation=ministry, country=lebanon)
    beirut_own = TravelAdvice.objects.create(organisation=post_beirut, country=lebanon, region="North")
    assert not TravelAdvice.objects.for_user(consul).filter(pk__in=[lebanon_ministry.pk, beirut_own.pk])
    assert login(consul).get(f"/advice/manage/{lebanon_ministry.pk}/").status_code == 404


def test_the_ministry_approves_what_the_post_drafted_never_the_post(
    jordan_advice, consul, make_user, post_amman, ministry_approver
):
    draft = services.new_draft(jordan_advice, consul)
    services.submit(draft, consul)
    colleague = make_user(post_amman, Role.COORDINATOR, Scope.OWN)  # another person, but at the post
    assert not approval.may_approve(draft, colleague)
    with pytest.raises(PermissionDenied):
        services.approve(draft, colleague, notify=False)
    assert draft not in approval.waiting_for(colleague)
    assert draft in approval.waiting_for(ministry_approver)
    services.approve(draft, ministry_approver, notify=False)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approver == ministry_approver


def test_a_level_change_with_the_old_summary_is_refused(jordan_advice, consul):
    draft = services.new_draft(jordan_advice, consul)
    draft.level = 3
    draft.save()
    with pytest.raises(ValidationError, match="summary") as caught:
        services.submit(draft, consul)
    assert "en, fr" in caught.value.messages[0]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_level_change_is_sent_once_the_summary_is_rewritten_or_confirmed(jordan_advice, consul):
    draft = services.new_draft(jordan_advice, consul)
    draft.level = 3
    draft.save()
    draft.texts.filter(language="en").update(summary="Reconsider your need to travel to Jordan.")
    with pytest.raises(ValidationError, match="fr"):  # French still says level 2
        services.submit(draft, consul)
    draft.summary_confirmed = True
    draft.save()
    services.submit(draft, consul)
    assert AdviceVersion.objects.get(pk=draft.pk).state == State.AWAITING


def test_a_summary_differing_only_in_line_endings_counts_as_unchanged(jordan_advice, consul):
    draft = services.new_draft(jordan_advice, consul)
    draft.level = 3
    draft.save()
    draft.texts.filter(language="en").update(summary=LEVEL_2.replace(" in ", "\r\nin "))
    assert services.unchanged_summaries(draft, 3, {"en": LEVEL_2.replace(" in ", "\r\nin ")}) == ["en"]


def test_the_edit_page_asks_to_review_the_summary(jordan_advice, consul, login):
    client = login(consul)
    draft = services.new_draft(jordan_advice, consul)
    texts = list(draft.texts.order_by("language"))
    data = {
        "level": "3",
        "last_reviewed": "2026-12-01",
        "note": "Level raised",
        "texts-TOTAL_FORMS": str(len(texts) + 1),
        "texts-INITIAL_FORMS": str(len(texts)),
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "1000",
    }
    for index, text in enumerate(texts):
        data[f"texts-{index}-id"] = str(text.pk)
        data[f"texts-{index}-version"] = str(draft.pk)
        data[f"texts-{index}-language"] = text.language
        # A browser sends CRLF: the summary is still the level-2 one.
        data[f"texts-{index}-summary"] = text.summary.replace(" ", "\r\n", 1)
        data[f"texts-{index}-safety"] = text.safety
    response = client.post(f"/advice/manage/versions/{draft.pk}/edit/", data)
    assert response.status_code == 200
    assert "level 2" in response.context["form"].errors["summary_confirmed"][0]
    draft.refresh_from_db()
    assert draft.level == 2  # nothing saved
    data["summary_confirmed"] = "on"
    response = client.post(f"/advice/manage/versions/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.level == 3 and draft.summary_confirmed


def test_compare_ignores_line_endings(jordan_advice, consul):
    draft = services.new_draft(jordan_advice, consul)
    published = jordan_advice.versions.get(state=State.PUBLISHED)
    published.texts.filter(language="en").update(safety="Avoid the border.\nCarry your passport.")
    draft.texts.filter(language="en").update(safety="Avoid the border.\r\nCarry your passport.")
    rows = services.compare(published, draft, "en")
    safety = next(row for row in rows if row.label.startswith("Safety"))
    assert not safety.changed
    assert [op for op, _text in safety.segments] == ["same"]


def test_the_date_box_keeps_its_date_in_french(jordan_advice, consul):
    from django.utils import translation

    from lifeline.advice.forms import VersionForm

    draft = services.new_draft(jordan_advice, consul)
    with translation.override("fr"):
        html = str(VersionForm(instance=draft)["last_reviewed"])
    assert f'value="{draft.last_reviewed.isoformat()}"' in html  # a type=date box reads only ISO dates
