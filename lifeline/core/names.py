"""Names of countries and languages in the reader's language.

ISO 3166 names come from pycountry's translations, ISO 639 / BCP 47 names from
langcodes; both are cached. Codes are normalised once, here, so that ``tl`` and
``fil`` are the same language everywhere in the product.
"""

import gettext
from functools import lru_cache

import langcodes
import pycountry
from django.utils.translation import get_language

from lifeline.core.languages import normalise


def _ui_language(lang=None):
    return (lang or get_language() or "en").split("-")[0]


@lru_cache(maxsize=16)
def _country_catalog(lang):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=4096)
def _country_name(code, lang):
    record = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if record is None:
        return code or ""
    name = getattr(record, "common_name", None) or record.name
    return _country_catalog(lang).gettext(record.name) if lang != "en" else name


def country_name(code, lang=None):
    return _country_name(code or "", _ui_language(lang))


def normalise_language(code):
    """Return the normalised BCP 47 tag for ``code``, or None (``lifeline.core.languages.normalise``)."""
    return normalise(code)


@lru_cache(maxsize=8192)
def _language_name(tag, lang):
    try:
        return langcodes.Language.get(tag).display_name(lang)
    except Exception:  # pragma: no cover - langcodes raises on unusual tags
        return tag


def language_name(code, lang=None):
    tag = normalise_language(code) or code
    return _language_name(tag, _ui_language(lang))


@lru_cache(maxsize=1)
def country_codes():
    return sorted(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=8192)
def find_language(text):
    """A language typed by a person → its normalised tag, or None.

    Accepts an ISO 639 / BCP 47 code (``tl``, ``apd``, ``ar-SD``) or a name in any
    language that CLDR knows (``Tagalog``, ``Sudanese Arabic``, ``árabe``,
    ``العربية``), and the "Name (code)" form the pickers offer. This is the one
    parser for languages that people type, in forms, imports and the API.
    """
    text = " ".join((text or "").split())
    if not text:
        return None
    if text.endswith(")") and "(" in text:
        code = normalise_language(text[text.rindex("(") + 1 : -1])
        if code:
            return code
    code = normalise_language(text) if len(text) <= 12 and " " not in text else None
    if code:
        return code
    try:
        return normalise_language(str(langcodes.find(text)))
    except LookupError:
        return None


def _iso639_1_codes():
    return [record.alpha_2 for record in pycountry.languages if getattr(record, "alpha_2", None)]


# Languages migrants in the region often speak that have no two-letter code, offered by name too.
EXTRA_LANGUAGE_CODES = ("apd", "ckb", "fil", "kmr", "prs", "rhg", "tpi", "yue")


@lru_cache(maxsize=64)
def _language_options(lang, extra):
    codes = {normalise_language(code) for code in (*_iso639_1_codes(), *EXTRA_LANGUAGE_CODES, *extra)}
    options = {(language_name(code, lang), code) for code in codes if code}
    return sorted(options, key=lambda item: (item[0].casefold(), item[1]))


def language_options(lang=None, extra=()):
    """(name in the reader's language, code) for every language a picker offers, sorted by name."""
    return _language_options(_ui_language(lang), tuple(sorted(set(extra))))


def language_label(code, lang=None):
    """How a picker shows a chosen language: its name, with the code to tell dialects apart."""
    tag = normalise_language(code) or code
    return f"{language_name(tag, lang)} ({tag})" if tag else ""


@lru_cache(maxsize=4096)
def _find_country(text):
    upper = text.upper()
    if len(text) in (2, 3):
        record = pycountry.countries.get(alpha_2=upper) if len(text) == 2 else None
        record = record or (pycountry.countries.get(alpha_3=upper) if len(text) == 3 else None)
        if record:
            return record.alpha_2
    if text.endswith(")") and "(" in text:
        found = _find_country(text[text.rindex("(") + 1 : -1].strip())
        if found:
            return found
    folded = text.casefold()
    for lang in _NAME_LANGUAGES:
        for code in country_codes():
            if country_name(code, lang).casefold() == folded:
                return code
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


# The staff languages whose country names a person may type.
_NAME_LANGUAGES = ("en", "es", "fr", "ar", "ru", "pt")


def find_country(text):
    """A country typed by a person (ISO 3166 alpha-2 or alpha-3 code, or its name in a staff
    language, or the "Name (code)" form the pickers offer) → its alpha-2 code, or None."""
    text = " ".join((text or "").split())
    return _find_country(text) if text else None


def country_label(code, lang=None):
    return f"{country_name(code, lang)} ({code})" if code else ""


def country_options(lang=None, first=()):
    """(name in the reader's language, code) for every country, sorted by that name, with the
    deployment's own countries (``first``) at the top in the same order."""
    lang = _ui_language(lang)
    named = sorted(
        ((country_name(code, lang), code) for code in country_codes()), key=lambda i: i[0].casefold()
    )
    first = set(first)
    return [item for item in named if item[1] in first] + [item for item in named if item[1] not in first]
