"""The writes of travel advice (``advice/services.save_advice`` for a new place, ``save_draft`` for
a draft's level and texts) that the pages and the API both call: the same rules and messages, the
same audit entries and contributors, nothing saved when refused, a version its author did not see
refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lifeline.advice import services
from lifeline.advice.models import AdviceText, AdviceVersion, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version
from lifeline.core.errors import Invalid
from lifeline.core.models import AuditEntry, Role
from lifeline.core.versions import ChangedMeanwhile, fingerprint

TODAY = datetime.date(2026, 12, 1)


def _draft_values(level=2, **extra):
    return {"level": level, "last_reviewed": TODAY, "note": "", "summary_confirmed": False, **extra}


@pytest.fixture
def spy(monkeypatch):
    """Every call of ``save_draft``, from the page or the API."""
    calls, real = [], services.save_draft

    def recording(*args, **kwargs):
        calls.append((args[0].pk, args[1].pk))  # who, which draft
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "save_draft", recording)
    return calls


def test_a_new_place_gets_its_first_draft_audited_as_the_actor(writer, ministry, jordan):
    draft = services.save_advice(writer, {"organisation": ministry, "country": jordan, "region": "North"})
    assert draft.state == State.DRAFT and draft.author == writer and draft.advice.region == "North"
    entry = AuditEntry.objects.get(action="create", object_type="advice.traveladvice")
    assert entry.actor_id == writer.pk


def test_a_place_refused_names_its_fields_and_saves_nothing(writer, ministry, jordan, lebanon, areas):
    with pytest.raises(Invalid) as refused:
        services.save_advice(
            writer, {"organisation": ministry, "country": lebanon, "area": areas["amman"], "region": "x"}
        )
    assert refused.value.errors == {
        "area": ["This admin area is not in the chosen country."],
        "region": ["Choose an admin area or name a region, not both."],
    }
    TravelAdvice.objects.create(organisation=ministry, country=jordan)
    with pytest.raises(Invalid) as twin:
        services.save_advice(writer, {"organisation": ministry, "country": jordan})
    assert twin.value.errors["__all__"][0].startswith("There is already advice for this place")
    assert TravelAdvice.objects.count() == 1 and not AdviceVersion.objects.exists()


def test_a_role_that_may_not_write_advice_is_refused(make_user, ministry, jordan):
    with pytest.raises(PermissionDenied):
        services.save_advice(make_user(ministry, Role.VIEWER), {"organisation": ministry, "country": jordan})
    assert not TravelAdvice.objects.exists()


def test_a_draft_refused_names_every_text_and_changes_nothing(writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    add_version(advice, level=2, state=State.PUBLISHED, texts={"en": "Take care."})
    draft = services.new_draft(advice, writer)
    texts = [{"language": "en", "summary": "Take care."}, {"language": "en", "summary": ""}]
    with pytest.raises(Invalid) as refused:
        services.save_draft(writer, draft, _draft_values(level=3), texts)
    errors = refused.value.errors
    assert errors["texts[1].language"] == ["Each language may be written only once."]
    assert errors["texts[1].summary"] == ["This field is required."]
    assert "level 2" in errors["summary_confirmed"][0]  # a new level with the old summary
    draft.refresh_from_db()
    assert draft.level == 2 and list(draft.texts.values_list("summary", flat=True)) == ["Take care."]


def test_a_change_over_a_version_its_author_did_not_see_is_refused(writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    draft = services.new_draft(advice, writer)
    seen = fingerprint(draft)
    services.save_draft(writer, draft, _draft_values(note="first"), [{"language": "en", "summary": "A."}])
    with pytest.raises(ChangedMeanwhile):
        services.save_draft(
            writer,
            AdviceVersion.objects.get(pk=draft.pk),
            _draft_values(note="second"),
            [{"language": "fr", "summary": "B."}],
            version=seen,
        )
    kept = AdviceVersion.objects.get(pk=draft.pk)
    assert kept.note == "first" and list(kept.texts.values_list("language", flat=True)) == ["en"]


def test_the_page_and_the_api_write_through_it_with_the_same_answers(login, api, writer, jordan, spy):
    api_client = api(writer)
    refused = api_client.post(
        "/api/advice/drafts",
        {"country": "JO", "level": 2, "texts": [{"language": "en", "summary": " "}]},
        content_type="application/json",
    )
    assert refused.status_code == 422 and not TravelAdvice.objects.exists()
    created = api_client.post(
        "/api/advice/drafts",
        {"country": "JO", "level": 2, "texts": [{"language": "en", "summary": "Take care."}]},
        content_type="application/json",
    )
    assert created.status_code == 201
    draft = AdviceVersion.objects.get(pk=created.json()["id"])
    page = login(writer)
    data = {
        "level": "2",
        "last_reviewed": "2026-12-01",
        "note": "",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "1",
        "texts-0-id": str(draft.texts.get().pk),
        "texts-0-version": str(draft.pk),
        "texts-0-language": "en",
        "texts-0-summary": " ",
    }
    response = page.post(reverse("advice:version_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    page_message = response.context["texts"].forms[0].errors["summary"]
    assert page_message == refused.json()["errors"]["texts[0].summary"]  # one rule, one message
    assert draft.texts.get().summary == "Take care."

    data["texts-0-summary"] = "Take great care."
    assert page.post(reverse("advice:version_edit", args=[draft.pk]), data).status_code == 302
    # The API's refused and saved drafts (the refused one rolled back with its place), the page's save.
    assert [who for who, _draft in spy] == [writer.pk] * 3 and spy[-2:] == [(writer.pk, draft.pk)] * 2
    assert AdviceText.objects.get(version=draft).summary == "Take great care."
    entries = AuditEntry.objects.filter(object_type="advice.advicetext", action="update")
    assert [e.actor_id for e in entries] == [writer.pk]


def test_a_stale_edit_page_is_refused(login, writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    draft = services.new_draft(advice, writer)
    client = login(writer)
    opened = (
        client.get(reverse("advice:version_edit", args=[draft.pk])).context["form"]["edit_version"].value()
    )
    AdviceVersion.objects.filter(pk=draft.pk).update(note="changed meanwhile")
    data = {
        "level": "3",
        "last_reviewed": "2026-12-01",
        "note": "mine",
        "edit_version": opened,
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-0-language": "en",
        "texts-0-summary": "Reconsider travel.",
    }
    response = client.post(reverse("advice:version_edit", args=[draft.pk]), data)
    assert response.status_code == 200 and "changed this record" in response.content.decode().replace(
        "\n", " "
    )
    assert AdviceVersion.objects.get(pk=draft.pk).note == "changed meanwhile" and not draft.texts.exists()
