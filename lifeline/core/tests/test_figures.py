"""Figures on staff pages are grouped by the reader's locale (``floatformat:"g"``, lifeline/formats)."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from lifeline.communities.models import CommunityProfile
from lifeline.core.models import Language, Role, Scope

NBSP = "\xa0"
GROUPED = {
    "en": "1,234,567",
    "ar": "1,234,567",  # Django's Arabic does not group at all: lifeline/formats/ar
    "ru": f"1{NBSP}234{NBSP}567",
    "fr": f"1{NBSP}234{NBSP}567",
    "es": f"1{NBSP}234{NBSP}567",
    "pt": "1.234.567",
}


@pytest.mark.parametrize("language, expected", sorted(GROUPED.items()))
def test_a_figure_is_grouped_by_the_readers_locale(language, expected):
    with translation.override(language):
        assert Template('{{ n|floatformat:"g" }}').render(Context({"n": 1234567})) == expected


def test_small_figures_and_missing_ones_stay_plain():
    with translation.override("ru"):
        render = Template('{{ n|floatformat:"g" }}').render
        assert render(Context({"n": 0})) == "0" and render(Context({"n": 999})) == "999"
        assert render(Context({"n": None})) == ""


@pytest.fixture
def big_community(org_a, areas):
    profile = CommunityProfile.objects.create(
        organisation=org_a, name="Filipino domestic workers", estimated_size=1234567
    )
    profile.languages.set([Language.lookup("fil")])
    profile.areas.set([areas["amman"]])
    return profile


@pytest.mark.parametrize("language", ["ar", "ru", "fr", "es"])
def test_community_pages_group_the_estimated_size(login, make_user, org_a, big_community, language):
    client = login(make_user(org_a))
    for url in (reverse("communities:list"), reverse("communities:detail", args=[big_community.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).text
        assert GROUPED[language] in page and "1234567" not in page, url


@pytest.mark.parametrize("language", ["ar", "ru", "fr", "es"])
def test_the_planners_home_groups_people_by_language(login, make_user, org_a, big_community, language):
    planner = make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)
    page = login(planner).get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).text
    assert f"<td>{GROUPED[language]}</td>" in page  # languages spoken with no interpreter


SENTENCE = Template(
    '{% load i18n %}{% blocktranslate count c=x with n=x|floatformat:"g" %}'
    "{{ n }} profile{% plural %}{{ n }} profiles{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    "language, x, expected",
    [
        ("en", 1234567, "1,234,567 profiles"),
        ("ru", 1234562, f"1{NBSP}234{NBSP}562 профиля"),  # the plural form follows the number, not its text
        ("ru", 1234567, f"1{NBSP}234{NBSP}567 профилей"),
        ("fr", 1234567, f"1{NBSP}234{NBSP}567 profils"),
        ("ar", 1234567, "1,234,567 ملفًا تعريفيًا"),
        ("ar", 1234500, "1,234,500 ملف تعريفي"),
        ("ar", 1, "ملف تعريفي واحد"),
    ],
)
def test_sentences_with_a_count_keep_their_plural_and_group_the_figure(language, x, expected):
    with translation.override(language):
        assert SENTENCE.render(Context({"x": x})) == expected


def test_the_alert_reach_preview_groups_its_figures():
    from django.template.loader import render_to_string

    preview = {
        "total": 12345,
        "reachable": 12000,
        "by_language": {"ar": 10000},
        "by_channel": {"sms": 12000},
        "missing_languages": {"fil": 2345},
    }
    with translation.override("ru"):
        page = render_to_string("messaging/includes/preview.html", {"preview": preview})
    for figure in ("12 345", "12 000", "10 000", "2 345"):
        assert figure.replace(" ", NBSP) in page, figure


def test_an_english_short_date_cannot_be_misread_as_another_day():
    import datetime

    from django.utils import formats, translation

    with translation.override("en"):
        assert formats.date_format(datetime.date(2026, 7, 12), "SHORT_DATE_FORMAT") == "2026-07-12"
    with translation.override("fr"):
        assert formats.date_format(datetime.date(2026, 7, 12), "SHORT_DATE_FORMAT") == "12/07/2026"
