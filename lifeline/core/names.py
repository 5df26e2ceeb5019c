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


@lru_cache(maxsize=8192)
def normalise_language(code):
    """Return the normalised BCP 47 tag for ``code``, or None if it names no language."""
    code = (code or "").strip().replace("_", "-")
    if not code or not langcodes.tag_is_valid(code):
        return None
    tag = langcodes.standardize_tag(code, macro=True)
    if langcodes.Language.get(tag).display_name("en").startswith("Unknown language"):
        return None
    return tag


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
