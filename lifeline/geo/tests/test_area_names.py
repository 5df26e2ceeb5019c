"""An admin area is named in the reader's language (geo/names.area_name), everywhere it is shown."""

import pytest
from django.urls import reverse
from django.utils import translation

from lifeline.communities.models import CommunityProfile
from lifeline.geo.forms import AdminAreaField
from lifeline.geo.models import AdminArea
from lifeline.geo.names import area_label, area_name, local_language
from lifeline.geo.services import import_boundaries


@pytest.fixture
def zarqa(jordan):
    return AdminArea.objects.create(
        country=jordan,
        pcode="JO13",
        name="Zarqa",
        name_local="الزرقاء",
        names={"fr": "Zarka", "ru": "Эз-Зарка"},
    )


def test_the_local_name_is_in_the_countrys_language():
    assert local_language("JO") == "ar" and local_language("FR") == "fr"


@pytest.mark.parametrize(
    "wanted, expected",
    [
        ("ar", "الزرقاء"),
        ("ar-JO", "الزرقاء"),  # a regional variant takes the language's name
        ("fr", "Zarka"),
        ("fr-CA", "Zarka"),
        ("ru", "Эз-Зарка"),
        ("es", "Zarqa"),  # no Spanish name: the deployment's language, then the boundary file's name
        ("en", "Zarqa"),
        (["pt", "fr"], "Zarka"),  # the reader's languages in order
    ],
)
def test_each_reader_gets_the_name_in_their_language(zarqa, wanted, expected):
    assert area_name(zarqa, wanted) == expected


def test_the_page_language_is_the_default_reader(zarqa):
    with translation.override("ar"):
        assert area_name(zarqa) == "الزرقاء" and str(zarqa) == "الزرقاء (JO13)"
    with translation.override("fr"):
        assert zarqa.shown_name == "Zarka"


def test_an_area_without_other_names_keeps_its_name(areas):
    assert area_name(areas["amman"], "ar") == "Amman"
    assert area_name(None, "ar") == ""


def test_picker_labels_lead_with_the_readers_name(zarqa):
    assert area_label(zarqa, "en") == "Zarqa — الزرقاء (JO13)"
    assert area_label(zarqa, "ar") == "الزرقاء — Zarqa (JO13)"
    assert area_label(zarqa, "fr") == "Zarka — Zarqa (JO13)"


def test_the_picker_finds_an_area_by_any_of_its_names(zarqa):
    assert AdminAreaField.find("zarka") == "JO13"
    assert AdminAreaField.find("الزرقاء") == "JO13"
    assert AdminAreaField.find("Zarka — Zarqa (JO13)") == "JO13"
    assert AdminAreaField.find("Atlantis") is None


def test_boundary_files_bring_their_names_in_other_languages(jordan):
    feature = {
        "type": "Feature",
        "properties": {"ADM1_PCODE": "JO31", "ADM1_EN": "Al Karak", "ADM1_AR": "الكرك", "ADM1_FR": "Kerak"},
        "geometry": None,
    }
    import_boundaries({"type": "FeatureCollection", "features": [feature]}, jordan)
    area = AdminArea.objects.get(pcode="JO31")
    assert area.names == {"fr": "Kerak"} and area.name_local == "الكرك"
    assert area_name(area, "fr") == "Kerak" and area_name(area, "ar") == "الكرك"


@pytest.mark.parametrize(
    "language, expected, absent", [("ar", "الزرقاء", "Zarka"), ("fr", "Zarka", "الزرقاء")]
)
def test_staff_pages_name_areas_in_the_readers_language(
    login, make_user, org_a, zarqa, language, expected, absent
):
    profile = CommunityProfile.objects.create(organisation=org_a, name="Nepali workers")
    profile.areas.set([zarqa])
    client = login(make_user(org_a))
    for url in (reverse("communities:list"), reverse("communities:detail", args=[profile.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).text
        assert expected in page and absent not in page, url


def test_the_registration_form_lists_areas_in_the_readers_language(login, make_user, post_amman, zarqa):
    page = login(make_user(post_amman)).get(reverse("nationals:create"), HTTP_ACCEPT_LANGUAGE="fr").text
    assert f'<option value="{zarqa.pk}">Zarka</option>' in page
