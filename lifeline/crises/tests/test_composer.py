"""The check-in composer starts from the languages of the people inside, counted as the send counts them."""

import pytest
from django.urls import reverse

from lifeline.crises import services
from lifeline.crises.models import CheckInCampaign
from lifeline.crises.tests.conftest import INSIDE, OUTSIDE
from lifeline.messaging.models import Delivery
from lifeline.messaging.tests import channels
from lifeline.nationals.models import Consent, Purpose


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.MESSAGING_CHANNEL_CLASSES = {
        name: f"lifeline.messaging.tests.channels.{name.capitalize()}" for name in ("push", "sms", "email")
    }
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    channels.OUTBOX.clear()
    return channels.OUTBOX


@pytest.fixture
def inside(make_registration, post_amman, areas):
    """Inside the area: three Arabic readers, two Nepali, one Tagalog (as "tl"), one with no language,
    one who refused crisis messages; and one Arabic reader in Irbid, outside."""

    def person(languages, consent=True, location=INSIDE):
        found = make_registration(post_amman, location=location, area=areas["amman"], languages=languages)
        if consent:
            Consent.objects.create(registration=found, purpose=Purpose.CRISIS_MESSAGES)
        return found

    people = [person(["ar"]), person(["ar-JO", "en"]), person(["ar"]), person(["ne"]), person(["ne", "en"])]
    people += [person(["fil"]), person([]), person(["bn"], consent=False), person(["ar"], location=OUTSIDE)]
    return people


def _rows(rows):
    return {row["code"]: (row["people"], row["has_text"], row["fallback"], row["gets"]) for row in rows}


def test_the_languages_are_listed_by_name_with_how_many_read_each(make_crisis, inside):
    crisis = make_crisis()
    rows, totals = services.composer_languages(crisis, {"ar": "هل أنت بأمان؟"})
    assert _rows(rows) == {
        "ar": (2, True, 0, "Arabic"),
        "ar-JO": (1, True, 0, "Arabic"),  # the Jordanian Arabic reader is served by the Arabic text
        # No English text either: they would get the only text there is (languages.pick, rule 4).
        "ne": (2, False, 2, "Arabic"),
        "fil": (1, False, 1, "Arabic"),
        "": (1, False, 1, "Arabic"),
    }
    assert rows[0]["name"] == "Arabic" and rows[-1]["code"] == ""
    assert totals == {"people": 7, "fallback": 4}
    # With an English text, the Nepali reader who also reads English gets it: no fallback for them.
    rows, totals = services.composer_languages(crisis, {"ar": "هل أنت بأمان؟", "en": "Are you safe?"})
    assert _rows(rows)["ne"] == (2, False, 1, "English") and totals["fallback"] == 3


def test_the_counts_equal_what_the_send_reaches(
    make_crisis, inside, officer, django_capture_on_commit_callbacks
):
    crisis = make_crisis()
    texts = {"ar": "هل أنت بأمان؟", "en": "Are you safe?", "ne": "के तपाईं सुरक्षित हुनुहुन्छ?"}
    rows, totals = services.composer_languages(crisis, texts)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(crisis, texts, officer)
    deliveries = Delivery.objects.filter(send__source=f"campaign:{campaign.pk}")
    assert deliveries.count() == totals["people"] == sum(row["people"] for row in rows) == 7
    # Those who get a fallback are exactly those delivered a language none of theirs matches.
    by_key = {d.recipient_key: d.language for d in deliveries}
    fell_back = 0
    for person in inside[:7]:
        language = by_key[f"registration:{person.pk:012d}"]
        fell_back += not any(services.languages.match(code, [language]) for code in person.languages)
    assert fell_back == totals["fallback"] == 2  # the Filipino reader and the one with no language


def test_the_page_pre_creates_a_box_per_language_and_flags_those_without_text(
    login, officer, make_crisis, inside
):
    crisis = make_crisis()
    page = login(officer).get(reverse("crises:detail", args=[crisis.pk]))
    form = page.context["composer"]["form"]
    assert [box["code"] for box in form.boxes] == ["ar", "ne", "ar-JO", "fil"]
    html = page.content.decode()
    assert 'name="text_ar"' in html and 'name="text_fil"' in html and 'dir="rtl"' in html
    assert "data-sms-count" in html and "smscount.js" in html
    assert "code: message" not in html
    # Nothing written yet (no campaign, and the catalogs have the question in Arabic only of these):
    # the Arabic boxes start with it, the others are flagged.
    assert form["text_ar"].value() == "هل أنت بأمان؟ يُرجى الإجابة في التطبيق أو الرد بكلمة SAFE أو HELP."
    assert not form["text_ne"].value() and not form["text_fil"].value()
    assert page.context["composer"]["totals"] == {"people": 7, "fallback": 4}
    assert "no text yet" in html and "would get Arabic instead" in html


def test_checking_recounts_without_sending_and_sending_keeps_each_language(
    login, officer, make_crisis, inside
):
    crisis = make_crisis()
    client = login(officer)
    url = reverse("crises:campaign_start", args=[crisis.pk])
    data = {"text_ar": "هل أنت بأمان؟", "text_ne": "", "text_fil": "Ligtas ka ba?", "check": "1"}
    page = client.post(url, data)
    assert page.status_code == 200 and not CheckInCampaign.objects.exists()
    composer = page.context["composer"]
    assert composer["totals"]["fallback"] == 3  # the two Nepali readers (no English text), and no language
    assert {row["code"]: row["has_text"] for row in composer["rows"]}["fil"] is True
    del data["check"]
    data.update(language="Amharic", message="ደህና ነህ?")
    response = client.post(url, data)
    assert response.status_code == 302
    assert CheckInCampaign.objects.get().messages == {
        "ar": "هل أنت بأمان؟",
        "fil": "Ligtas ka ba?",
        "am": "ደህና ነህ?",
    }
    # The next composer starts from the texts saved with that campaign, the added language included.
    page = client.get(reverse("crises:detail", args=[crisis.pk]))
    form = page.context["composer"]["form"]
    assert form["text_am"].value() == "ደህና ነህ?" and form["text_fil"].value() == "Ligtas ka ba?"


def test_a_message_without_its_language_is_refused_and_nothing_is_sent(login, officer, make_crisis, inside):
    crisis = make_crisis()
    response = login(officer).post(
        reverse("crises:campaign_start", args=[crisis.pk]), {"text_ar": "هل أنت بأمان؟", "message": "Safe?"}
    )
    assert response.status_code == 400 and not CheckInCampaign.objects.exists()
    assert "Choose the language of this message." in response.content.decode()


def test_no_text_at_all_is_refused(login, officer, make_crisis, inside):
    response = login(officer).post(
        reverse("crises:campaign_start", args=[make_crisis().pk]), {"text_ar": " "}
    )
    assert response.status_code == 400 and not CheckInCampaign.objects.exists()
    assert "Write the message in at least one language." in response.content.decode()
