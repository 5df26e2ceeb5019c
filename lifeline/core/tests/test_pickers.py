"""People pick languages and countries by name, in their own language; codes still work."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lifeline.core.forms import CountryField, LanguageField, split_entries
from lifeline.core.models import Language
from lifeline.core.names import country_options, find_country, find_language, language_options


@pytest.mark.parametrize(
    "typed, code",
    [
        ("Tagalog", "fil"),
        ("tl", "fil"),
        ("Filipino (fil)", "fil"),
        ("Sudanese Arabic", "apd"),
        ("apd", "apd"),
        ("árabe", "ar"),
        ("العربية", "ar"),
        ("Бенгальский", "bn"),
        ("  sorani ", "ckb"),
        ("es-MX", "es-MX"),
    ],
)
def test_a_language_is_found_by_code_or_by_name_in_any_language(typed, code):
    assert find_language(typed) == code


@pytest.mark.parametrize("typed", ["", "qqq", "no such tongue", "xx"])
def test_nonsense_is_not_a_language(typed):
    assert find_language(typed) is None


@pytest.mark.parametrize(
    "typed, code",
    [
        ("JO", "JO"),
        ("jor", "JO"),
        ("Jordan", "JO"),
        ("Jordanie", "JO"),
        ("الأردن", "JO"),
        ("Filipinas (PH)", "PH"),
    ],
)
def test_a_country_is_found_by_code_or_by_name_in_a_staff_language(typed, code):
    assert find_country(typed) == code


def test_pickers_list_names_in_the_readers_language_sorted_with_own_countries_first():
    with translation.override("fr"):
        names = [name for name, _code in language_options()]
        assert "allemand" in names and names == sorted(names, key=str.casefold)
    ordered = country_options("ar", first={"JO", "PH"})
    assert [code for _name, code in ordered[:2]] == ["JO", "PH"]
    assert ordered[0][0] == "الأردن"


def test_entries_split_on_semicolons_so_names_may_hold_commas():
    assert split_entries("Congo, the Democratic Republic of the (CD); Jordan") == [
        "Congo, the Democratic Republic of the (CD)",
        "Jordan",
    ]
    assert split_entries("ar, fil") == ["ar", "fil"]


@pytest.mark.django_db
def test_language_field_takes_names_and_shows_names_back():
    field = LanguageField(multiple=True, model=True)
    languages = field.clean("Tagalog; Sudanese Arabic; ar")
    assert [language.code for language in languages] == ["fil", "apd", "ar"]
    assert all(isinstance(language, Language) for language in languages)
    with translation.override("es"):
        shown = field.prepare_value(languages)
    assert shown.startswith("filipino (fil); ") and shown.endswith("(apd); árabe (ar)")


@pytest.mark.django_db
def test_an_unknown_entry_is_named_in_the_readers_language_and_nothing_is_returned():
    field = LanguageField(multiple=True)
    with translation.override("fr"), pytest.raises(ValidationError) as raised:
        field.clean("Tagalog; Zzyzxian")
    message = " ".join(raised.value.messages)
    assert "Zzyzxian" in message and "Tagalog" not in message
    assert "is not a language" not in message  # in French, not English


@pytest.mark.django_db
def test_country_field_returns_rows_of_the_deployment(jordan):
    field = CountryField(model=True)
    assert field.clean("Jordanie") == jordan
    with pytest.raises(ValidationError):
        field.clean("Narnia")


@pytest.mark.django_db
def test_the_widget_renders_a_searchable_list_of_names(jordan):
    html = CountryField(multiple=True).widget.render("countries", "JO", attrs={"id": "id_countries"})
    assert 'list="id_countries-options"' in html and 'data-picker="multiple"' in html
    assert '<option value="Jordan (JO)">' in html
    with translation.override("ar"):
        html = LanguageField().widget.render("language", "", attrs={"id": "id_language"})
    assert '<option value="العربية (ar)">' in html


@pytest.mark.django_db
def test_a_name_typed_is_shown_back_as_it_was_understood():
    with translation.override("es"):
        assert LanguageField().prepare_value("tagalo") == "filipino (fil)"
        assert LanguageField().prepare_value("Zzyzxian") == "Zzyzxian"
        assert CountryField().prepare_value("Jordania") == "Jordania (JO)"
