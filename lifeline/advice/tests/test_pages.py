import datetime

import pytest
from django.urls import reverse
from django.utils.http import http_date

from lifeline.advice.models import AdviceText, AdviceVersion, Briefing, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version
from lifeline.core.models import Role, Scope


@pytest.fixture
def published(make_advice, jordan, lebanon, kuwait, post_amman):
    jo = make_advice(
        jordan, 2, {"en": "Take care in Jordan.", "ar": "توخَّ الحذر في الأردن.", "fil": "Mag-ingat sa Jordan."}
    )
    lb = make_advice(lebanon, 3, {"en": "Reconsider travel to Lebanon."})
    make_advice(lebanon, 4, {"en": "Do not go near the border."}, region="Southern border areas")
    make_advice(kuwait, 1, {"en": "Normal caution."})
    return {"jo": jo, "lb": lb}


# Public pages


def test_the_list_shows_every_country_with_its_level_without_login(client, published):
    response = client.get(reverse("advice:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Level 2: Exercise a high degree of caution" in page
        and "Level 3: Reconsider your need to travel" in page
    )
    assert "Southern border areas" in page and "Level 4: Do not travel" in page
    assert 'class="icon" aria-hidden="true">✖' in page  # a shape as well as the colour


def test_the_list_filters_by_level_and_name(client, published):
    page = client.get(reverse("advice:index"), {"level": "1"}).content.decode()
    assert "Kuwait" in page and "Lebanon" not in page
    page = client.get(reverse("advice:index"), {"q": "leb"}).content.decode()
    assert "Lebanon" in page and "Kuwait" not in page
    response = client.get(reverse("advice:index"), {"level": "9"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_drafts_are_not_public(client, ministry, philippines):
    advice = TravelAdvice.objects.create(organisation=ministry, country=philippines)
    add_version(advice, level=4, texts={"en": "Secret draft"})
    assert "Secret draft" not in client.get(reverse("advice:index")).content.decode()
    assert client.get(reverse("advice:country", args=["ph"])).status_code == 404


def test_the_country_page_in_the_readers_language_with_rtl(client, published):
    response = client.get(reverse("advice:country", args=["jo"]), {"lang": "ar"})
    page = response.content.decode()
    assert '<article class="advice-text" lang="ar" dir="rtl">' in page
    assert "توخَّ الحذر في الأردن." in page
    assert "Last reviewed" in page and 'datetime="2026-11-01"' in page
    assert 'hreflang="fil"' in page  # the switcher offers the other languages
    assert "Embassy in Amman" in page  # where to get help


def test_a_missing_language_falls_back_visibly(client, published):
    page = client.get(reverse("advice:country", args=["lb"]), {"lang": "fr"}).content.decode()
    assert "Reconsider travel to Lebanon." in page and "not written in your language" in page
    assert "Do not go near the border." in page


def test_public_pages_are_cacheable_and_answer_304(client, published):
    url = reverse("advice:country", args=["jo"])
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Last-Modified"]
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    stale = http_date((datetime.datetime.now() - datetime.timedelta(days=3)).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=stale).status_code == 200


def test_a_signed_in_reader_gets_a_private_copy(client, published, login, make_user, ministry):
    login(make_user(ministry, Role.VIEWER))
    assert "private" in client.get(reverse("advice:index"))["Cache-Control"]


def test_unknown_countries_are_404(client, published):
    assert client.get("/advice/zz/").status_code == 404
    assert client.get("/advice/zz/briefing/").status_code == 404
    assert client.get("/advice/jo/", {"lang": "\x00" * 40}).status_code == 200


def test_the_briefing_page_has_the_checklist(client, jordan_briefing, post_amman):
    page = client.get(reverse("advice:briefing", args=["jo"])).content.decode()
    assert (
        "Be ready in Jordan" in page
        and "<li>Water for three days</li>" in page
        and "Embassy in Amman" in page
    )
    arabic = client.get(reverse("advice:briefing", args=["jo"]), {"lang": "ar"}).content.decode()
    assert 'lang="ar" dir="rtl"' in arabic and "كن مستعداً في الأردن" in arabic


def test_an_unpublished_briefing_is_not_public(client, jordan_briefing):
    Briefing.objects.filter(pk=jordan_briefing.pk).update(published=False)
    assert client.get(reverse("advice:briefing", args=["jo"])).status_code == 404


# Staff pages


def test_staff_create_advice_and_its_first_draft(client, login, writer, ministry, jordan, areas):
    login(writer)
    response = client.post(
        reverse("advice:create"),
        {"organisation": ministry.pk, "country": jordan.pk, "area": areas["irbid"].pk},
    )
    advice = TravelAdvice.objects.get()
    draft = advice.versions.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "advice:version_edit", args=[draft.pk]
    )
    assert draft.author == writer and draft.state == State.DRAFT


def test_an_area_outside_the_country_is_refused(client, login, writer, ministry, lebanon, areas):
    login(writer)
    response = client.post(
        reverse("advice:create"),
        {"organisation": ministry.pk, "country": lebanon.pk, "area": areas["irbid"].pk},
    )
    assert response.status_code == 200 and "not in the chosen country" in response.content.decode()
    assert not TravelAdvice.objects.exists()


def _text_form(version, language="en", summary="Be careful.", **extra):
    data = {
        "level": "3",
        "last_reviewed": "2026-11-20",
        "note": "Floods",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-language": language,
        "texts-0-summary": summary,
    }
    data.update(extra)
    return data


def test_editing_a_draft_saves_level_and_texts(client, login, writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    draft = AdviceVersion.objects.create(
        advice=advice, number=1, author=writer, last_reviewed=datetime.date(2026, 1, 1)
    )
    login(writer)
    response = client.post(
        reverse("advice:version_edit", args=[draft.pk]), _text_form(draft, "tl", "Mag-ingat.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.level == 3 and draft.texts.get().language == "fil"


def test_a_bad_language_code_is_a_form_error(client, login, writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    draft = AdviceVersion.objects.create(
        advice=advice, number=1, author=writer, last_reviewed=datetime.date(2026, 1, 1)
    )
    login(writer)
    response = client.post(reverse("advice:version_edit", args=[draft.pk]), _text_form(draft, "xx-nonsense!"))
    assert response.status_code == 200 and "is not a language we know" in response.content.decode()
    assert not AdviceText.objects.exists()
    response = client.post(
        reverse("advice:version_edit", args=[draft.pk]), _text_form(draft, level="9") | {"level": "9"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_a_second_text_in_a_language_already_written_is_a_form_error(client, login, writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    draft = AdviceVersion.objects.create(
        advice=advice, number=1, author=writer, last_reviewed=datetime.date(2026, 1, 1)
    )
    AdviceText.objects.create(version=draft, language="fil", summary="Mag-ingat.")
    login(writer)
    # A stale or crafted form that does not carry the saved Filipino text adds another one.
    response = client.post(reverse("advice:version_edit", args=[draft.pk]), _text_form(draft, "Tagalog"))
    assert (
        response.status_code == 200 and "Each language may be written only once." in response.content.decode()
    )
    assert list(draft.texts.values_list("summary", flat=True)) == ["Mag-ingat."]


def test_a_published_version_cannot_be_edited(client, login, writer, make_advice, jordan):
    version = make_advice(jordan).versions.get()
    login(writer)
    response = client.post(
        reverse("advice:version_edit", args=[version.pk]), _text_form(version, summary="Changed")
    )
    assert response.status_code == 302
    assert not version.texts.filter(summary="Changed").exists()


def test_the_author_cannot_approve_through_the_page(client, login, writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    version = add_version(advice, author=writer, state=State.AWAITING)
    login(writer)
    response = client.post(reverse("advice:version_action", args=[version.pk, "approve"]), follow=True)
    assert "someone else must approve it" in response.content.decode()
    assert AdviceVersion.objects.get(pk=version.pk).state == State.AWAITING


def test_another_user_approves_through_the_page(client, login, writer, approver, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    version = add_version(advice, author=writer, state=State.AWAITING)
    login(approver)
    client.post(reverse("advice:version_action", args=[version.pk, "approve"]))
    assert AdviceVersion.objects.get(pk=version.pk).state == State.PUBLISHED


def test_a_viewer_cannot_change(client, login, make_user, ministry, jordan, writer):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    version = add_version(advice, author=writer)
    login(make_user(ministry, Role.VIEWER))
    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 200
    assert client.get(reverse("advice:version_edit", args=[version.pk])).status_code == 403
    assert client.post(reverse("advice:version_action", args=[version.pk, "submit"])).status_code == 403
    assert client.post(reverse("advice:draft", args=[advice.pk])).status_code == 403
    assert AdviceVersion.objects.get(pk=version.pk).state == State.DRAFT


def test_another_organisation_cannot_see_drafts(
    client, login, make_user, other_ministry, ministry, jordan, writer
):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    version = add_version(advice, author=writer)
    login(make_user(other_ministry, Role.COORDINATOR))
    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 404
    assert client.get(reverse("advice:version", args=[version.pk])).status_code == 404
    assert client.post(reverse("advice:version_action", args=[version.pk, "submit"])).status_code == 404
    assert str(advice) not in client.get(reverse("advice:manage")).content.decode()


def test_immigration_cannot_see_the_ministrys_drafts(
    client, login, make_user, immigration, ministry, jordan, writer
):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    add_version(advice, author=writer)
    login(make_user(immigration, Role.COORDINATOR, Scope.OWN))
    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 404


def test_the_compare_page_shows_insertions_and_deletions(client, login, writer, ministry, jordan):
    advice = TravelAdvice.objects.create(organisation=ministry, country=jordan)
    add_version(advice, level=1, state=State.SUPERSEDED, texts={"en": "Floods are possible."})
    add_version(advice, level=2, state=State.PUBLISHED, texts={"en": "Floods are likely."})
    login(writer)
    page = client.get(reverse("advice:compare", args=[advice.pk])).content.decode()
    assert "possible.</del>" in page and "likely.</ins>" in page
    assert client.get(reverse("advice:compare", args=[advice.pk]), {"a": "x", "b": "99"}).status_code == 200


def test_staff_write_a_briefing(client, login, writer, ministry, jordan):
    login(writer)
    data = {
        "organisation": ministry.pk,
        "country": jordan.pk,
        "last_reviewed": "2026-11-20",
        "published": "on",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-language": "en",
        "texts-0-title": "Ready",
        "texts-0-hazards": "Floods",
        "texts-0-kit": "Water\nTorch",
    }
    assert client.post(reverse("advice:briefing_create"), data).status_code == 302
    assert Briefing.objects.get().texts.get().checklist()[0][2] == ["Water", "Torch"]
    data["texts-0-hazards"] = ""
    response = client.post(reverse("advice:briefing_create"), data)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert Briefing.objects.count() == 1


def test_an_area_briefing_is_chosen_by_p_code(client, jordan_briefing, ministry, jordan, areas):
    from lifeline.advice.models import BriefingText

    irbid = Briefing.objects.create(
        organisation=ministry, country=jordan, area=areas["irbid"], published=True, last_reviewed="2026-11-03"
    )
    BriefingText.objects.create(
        briefing=irbid, language="en", title="Be ready in Irbid", hazards="Cold winters."
    )
    assert (
        "Be ready in Irbid"
        in client.get(reverse("advice:briefing", args=["jo"]), {"area": "JO21"}).content.decode()
    )
    assert "Be ready in Jordan" in client.get(reverse("advice:briefing", args=["jo"])).content.decode()
    assert (
        "Be ready in Jordan"
        in client.get(reverse("advice:briefing", args=["jo"]), {"area": "JO99"}).content.decode()
    )
    assert client.get("/api/app/advice/jo/briefing", {"area": "JO21"}).json()["title"] == "Be ready in Irbid"
