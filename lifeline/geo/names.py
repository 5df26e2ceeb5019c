"""Which name of an admin area a reader sees: the one place that decides.

An area has its name as the boundary file gives it (``name``, usually the romanised name of
OCHA's common operational datasets), its name in the country's own language (``name_local``,
the language the CLDR gives as the country's likely one: Arabic for Jordan) and names in other
languages (``names``: ``{"fr": "Zarka"}``). The reader gets the one in their language by the
fallback chain of ``core/languages`` (their language, its close variants, the deployment's
default languages, English); ``name`` stands for English and anything else missing.
"""

from functools import lru_cache

import langcodes
from django.utils.translation import get_language

from lifeline.core import languages


@lru_cache(maxsize=512)
def local_language(country_code):
    """The language ``name_local`` is written in: the CLDR's likely language of the country ("JO" → "ar")."""
    try:
        return langcodes.Language.get(f"und-{country_code}").maximize().language or ""
    except Exception:  # pragma: no cover - langcodes raises on unusual codes
        return ""


def names_of(area):
    """Every name of ``area`` as {language: name}; ``name`` under English unless another one is given."""
    found = {languages.ENGLISH: area.name}
    local = local_language(area.country.code) if area.name_local else ""
    if local:
        found[local] = area.name_local
    for code, text in (area.names or {}).items():
        tag = languages.normalise(code)
        if tag and str(text or "").strip():
            found[tag] = str(text).strip()
    return found


def area_name(area, wanted=None):
    """The name of ``area`` for a reader of ``wanted`` (a tag, tags or a person; default: the page's language)."""
    if area is None:
        return ""
    return languages.pick(names_of(area), wanted or get_language() or languages.ENGLISH) or area.name


def area_label(area, wanted=None):
    """“Amman — عمان (JO11)” for an English reader, “عمان — Amman (JO11)” for an Arabic one:
    the reader's name, the area's other best-known name when it differs, and the P-code."""
    shown = area_name(area, wanted)
    other = area.name if shown != area.name else area.name_local
    other = f" — {other}" if other and other != shown else ""
    return f"{shown}{other} ({area.pcode})"
