"""The one rule for which language a person gets and which way it is written (``lifeline.core.languages``)."""

import pytest

from lifeline.core import languages

# (the person's languages, the languages the texts are written in, the organisation's defaults, the one chosen)
CHOICES = [
    # 1a. the exact tag
    (["ar-JO"], ["ar", "ar-JO", "en"], None, "ar-JO"),
    (["fil"], ["en", "fil"], None, "fil"),
    (["tl"], ["en", "fil"], None, "fil"),  # tl and fil are one language (normalised)
    (["FIL_ph"], ["en", "fil-PH"], None, "fil-PH"),  # case and underscore do not matter
    # 1b. the base language or macrolanguage, or a regional variant
    (["ar-JO"], ["en", "ar"], None, "ar"),
    (["apd"], ["en", "ar"], None, "ar"),  # Sudanese Arabic reads Arabic
    (["arz"], ["en", "ar"], None, "ar"),  # Egyptian Arabic too
    (["prs"], ["en", "fa"], None, "fa"),  # Dari reads Persian
    (["pt"], ["en", "pt-BR"], None, "pt-BR"),
    (["fil-PH"], ["en", "fil"], None, "fil"),
    (["kmr"], ["en", "ku"], None, "ku"),  # Kurmanji is written ku once normalised
    # ... but not another script or another member of the macrolanguage
    (["ckb"], ["en", "ku"], None, "en"),  # Sorani (Arabic script) does not get Kurmanji (Latin)
    (["ku"], ["en", "ckb"], None, "en"),
    (["kmr"], ["en", "ckb"], None, "en"),
    (["ar"], ["en", "apd"], None, "en"),  # an Arabic reader does not get a dialect
    (["zh-Hant"], ["en", "zh-Hans"], None, "en"),
    (["hi"], ["en", "ur"], None, "en"),
    # 1. the person's other languages, in their order, before any default
    (["so", "ar", "en"], ["en", "ar"], None, "ar"),
    (["apd", "en"], ["en", "ar"], None, "ar"),  # the base of the first beats the exact second
    (["ne", "hi"], ["en", "hi", "ne"], None, "ne"),
    # 2. the organisation's defaults, then 3. English
    (["so"], ["fr", "en"], ["ar", "fr"], "fr"),
    (["so"], ["ar", "en"], None, "en"),
    (["so"], ["ar", "es"], ["es"], "es"),
    ([], ["ar", "en"], None, "en"),
    # nothing in the chain: None (``pick`` then gives the first text)
    (["so"], ["fr"], ["en"], None),
    (["so"], [], None, None),
    # what is not a language is passed over
    (["", None, "not a tag", "ar"], ["en", "ar"], None, "ar"),
]


@pytest.mark.parametrize(("wanted", "available", "defaults", "chosen"), CHOICES)
def test_choose_follows_the_fallback_chain(wanted, available, defaults, chosen, settings):
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    assert languages.choose(wanted, available, defaults) == chosen


def test_the_deployment_default_comes_before_english(settings):
    settings.MESSAGING_FALLBACK_LANGUAGES = ["ar"]
    assert languages.choose(["so"], ["en", "ar"]) == "ar"
    assert languages.chain(["so"]) == ["so", "ar", "en"]
    settings.MESSAGING_FALLBACK_LANGUAGES = []
    settings.LANGUAGE_CODE = "fr"
    assert languages.chain(["so"]) == ["so", "fr", "en"]


def test_pick_gives_the_first_text_when_nothing_in_the_chain_is_written(settings):
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    # A dict's keys are taken sorted: PostgreSQL's jsonb does not keep the order they were written in.
    assert languages.pick({"fil": "Ligtas ka ba?", "am": "ደህና ነህ?"}, ["so"]) == "ደህና ነህ?"
    assert languages.pick_language({"fil": "x", "am": "y"}, ["so"]) == "am"
    assert languages.pick({}, ["en"]) is None and languages.pick_language({}, ["en"]) is None
    assert languages.pick({"en": "", "ar": "عربي"}, ["en"]) == "عربي"  # an empty text is no text


def test_pick_reads_rows_with_a_language_and_people_with_languages(settings):
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]

    class Row:
        def __init__(self, language):
            self.language = language

    class Person:
        languages = ["apd", "en"]

    rows = [Row("en"), Row("ar")]
    assert languages.pick(rows, Person()).language == "ar"
    assert languages.pick(rows, "ar-JO").language == "ar"
    assert languages.text_for({"en": "Safe?", "ar": "بأمان؟"}, Person()) == "بأمان؟"
    assert languages.pick([Row("fil")], ["so"]).language == "fil"  # rows keep their order
    assert languages.pick_language(["fil", "ar"], ["so"]) == "fil"  # and so do lists of tags


# (tag, direction)
DIRECTIONS = [
    ("ar", "rtl"),
    ("ar-JO", "rtl"),
    ("apd", "rtl"),
    ("arz", "rtl"),
    ("fa", "rtl"),
    ("prs", "rtl"),
    ("he", "rtl"),
    ("iw", "rtl"),
    ("ur", "rtl"),
    ("ps", "rtl"),
    ("sd", "rtl"),
    ("ug", "rtl"),
    ("dv", "rtl"),
    ("yi", "rtl"),
    ("syr", "rtl"),
    ("ckb", "rtl"),  # Sorani: Arabic script
    ("ku-Arab", "rtl"),  # Kurdish written in Arabic script
    ("pa-Arab", "rtl"),  # Shahmukhi
    ("kmr", "ltr"),  # Kurmanji: Latin script
    ("ku", "ltr"),
    ("ku-Latn", "ltr"),
    ("pa", "ltr"),
    ("en", "ltr"),
    ("fil", "ltr"),
    ("bn", "ltr"),
    ("ne", "ltr"),
    ("si", "ltr"),
    ("hi", "ltr"),
    ("am", "ltr"),
    ("id", "ltr"),
    ("", "ltr"),
    (None, "ltr"),
    ("not a tag", "ltr"),
]


@pytest.mark.parametrize(("tag", "expected"), DIRECTIONS)
def test_direction_follows_the_script(tag, expected):
    assert languages.direction(tag) == expected
    assert languages.is_rtl(tag) is (expected == "rtl")


@pytest.mark.parametrize(
    ("code", "tag"),
    [
        ("tl", "fil"),
        ("ar_JO", "ar-JO"),
        ("AR-jo", "ar-JO"),
        ("kmr", "ku"),
        ("ckb", "ckb"),
        ("iw", "he"),
        ("arb", "ar"),
        (" en ", "en"),
        ("", None),
        (None, None),
        ("xx", None),
        ("not a tag", None),
        ("a" * 40, None),
    ],
)
def test_normalise(code, tag):
    assert languages.normalise(code) == tag


def test_the_interface_language_is_one_the_product_speaks(settings):
    settings.LANGUAGES = [("en", "English"), ("ar", "العربية"), ("es", "Español")]
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    assert languages.ui_language(["apd"]) == "ar"
    assert languages.ui_language(["es-MX", "ar"]) == "es"
    assert languages.ui_language(["fil", "ar"]) == "ar"
    assert languages.ui_language(["fil"]) == "en"
    assert languages.ui_language([]) == "en"


def test_request_languages_are_the_lang_parameter_then_accept_language(rf):
    request = rf.get("/", {"lang": "ckb"}, HTTP_ACCEPT_LANGUAGE="ar-JO,en;q=0.5,*;q=0.1")
    assert languages.request_languages(request) == ["ckb", "ar-jo", "en"]
    assert languages.request_languages(rf.get("/")) == []
    assert languages.request_languages(None) == []


# Sorani (ckb) is right to left and Kurmanji (kmr, normalised ku) left to right on every path --------------

KURDISH = [("ckb", "rtl"), ("kmr", "ltr"), ("ku", "ltr"), ("ur", "rtl")]


@pytest.mark.parametrize(("tag", "expected"), KURDISH)
def test_kurdish_direction_in_page_chrome_and_django(tag, expected, rf, db):
    from django.template import Context, Template
    from django.utils import translation

    from lifeline.core.context_processors import deployment

    with translation.override(tag):
        assert translation.get_language_bidi() is (expected == "rtl")  # Django's own (LANGUAGES_BIDI)
        assert deployment(rf.get("/"))["LANGUAGE_BIDI"] is (expected == "rtl")  # base.html, the app's shell
    rendered = Template("{% load text_direction %}{{ code|direction }}").render(Context({"code": tag}))
    assert rendered == expected  # templates: advice pages, PDFs


@pytest.mark.parametrize(("tag", "expected"), KURDISH)
def test_kurdish_direction_in_alerts_advice_email_and_the_app(tag, expected):
    from lifeline.advice.app_api import _text_out
    from lifeline.alerts.models import InfoBlock
    from lifeline.messaging.channels.base import OutboundMessage
    from lifeline.messaging.channels.email import build_message

    assert InfoBlock(language=tag).direction == expected  # alert pages, the app's alerts
    text = type("Text", (), {"language": tag, "summary": "", "sections": lambda self: []})()
    assert _text_out(text)["rtl"] is (
        expected == "rtl"
    )  # advice in the app (the web pages and PDF use is_rtl)
    message = OutboundMessage(
        delivery_id=1,
        address="a@example.org",
        language=tag,
        subject="S",
        body="B",
        short="B",
        unsubscribe_url="",
    )
    email = build_message(message, "from@example.org")
    html = email.alternatives[0][0]
    assert f'dir="{expected}"' in html  # messages by email


def test_no_other_list_of_right_to_left_languages_is_left():
    """The direction is decided in ``lifeline.core.languages`` only."""
    import pathlib
    import re

    root = pathlib.Path(languages.__file__).resolve().parents[1]
    pattern = re.compile(r"RTL\w* = \{|get_language_bidi\(|\[\"bidi\"\]")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert found == []


def test_a_multilingual_field_reads_as_texts_with_the_one_accessor(post_beirut, settings):
    """``MultilingualField`` (check-ins, message parts, office hours): stored as JSON, read through ``text_for``."""
    from lifeline.core.fields import MultilingualField, Texts
    from lifeline.nationals.models import PostDetails

    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    details = PostDetails.objects.create(
        organisation=post_beirut, office_hours={"en": "Mon–Fri", "ar": "الاثنين"}
    )
    assert isinstance(details.office_hours, Texts)  # as assigned ...
    details = PostDetails.objects.get(pk=details.pk)
    assert isinstance(details.office_hours, Texts) and details.office_hours == {
        "en": "Mon–Fri",
        "ar": "الاثنين",
    }
    assert details.office_hours.text_for(["apd"]) == "الاثنين" == details.hours_in("ar-LB")  # ... and as read
    assert (
        details.office_hours.text_for(["ckb"]) == "Mon–Fri"
        and details.office_hours.language_for("so") == "en"
    )
    # Stored as a JSONField: moving a field to it needs no migration.
    assert MultilingualField("x").deconstruct()[1] == "django.db.models.JSONField"
