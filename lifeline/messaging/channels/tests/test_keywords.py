import pytest

from lifeline.messaging.channels import keywords


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SAFE", ("safe", "en")),
        ("  safe, all of us at home", ("safe", "en")),
        ("Help!", ("help", "en")),
        ("stop", ("stop", "en")),
        ("START", ("start", "en")),
        ("Ayúda por favor", ("help", "es")),
        ("AYUDA", ("help", "es")),
        ("sauvé", ("safe", "fr")),
        ("Arrêt", ("stop", "fr")),
        ("آمن", ("safe", "ar")),
        ("أمان", ("safe", "ar")),
        ("مساعدة عاجلة", ("help", "ar")),
        ("مساعده", ("help", "ar")),  # teh marbuta typed as heh
        ("توقف", ("stop", "ar")),
        ("помогите", ("help", "ru")),
        ("СТОП", ("stop", "ru")),
        ("Ajuda", ("help", "pt")),
        ("começar", ("start", "pt")),
        ("ligtas po kami", ("safe", "tl")),
        ("TULONG", ("help", "tl")),
    ],
)
def test_it_reads_the_first_word_in_each_language(text, expected):
    assert keywords.match(text) == expected


def test_a_word_shared_by_languages_gives_the_keyword_but_no_language():
    assert keywords.match("seguro") == ("safe", "")
    assert keywords.match("socorro") == ("help", "")


@pytest.mark.parametrize("text", ["", "   ", "hello", "I am safe", "!!!", "unsafe"])
def test_other_texts_are_no_keyword(text):
    assert keywords.match(text) == ("", "")


def test_every_language_has_all_four_keywords():
    for language, table in keywords.KEYWORDS.items():
        assert set(table) == {"safe", "help", "stop", "start"}, language
