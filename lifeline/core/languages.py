"""Which language a person gets, and which way it is written: the one place that decides.

Every path that shows a person a text written in several languages (a check-in by SMS,
by email or in the app, an alert, travel advice, a message, office hours) and every page,
PDF or email that needs ``dir="rtl"`` asks this module.

Tags are normalised once (``normalise``): BCP 47, with ISO 639-3 codes that have a
two-letter code shortened and individual languages the CLDR replaces by their macrolanguage
(``tl`` → ``fil``, ``kmr`` → ``ku``, ``arb`` → ``ar``).

The fallback chain (``chain``, ``choose``, ``pick``), for a person whose languages are
``wanted`` (in their order) and texts written in ``available`` languages:

1. each of the person's languages in order, and for each of them first
   a. the exact tag (``ar-JO`` takes ``ar-JO``), then
   b. the closest text of the same language: its base or macrolanguage, or a regional
      variant (``ar-JO`` and ``apd`` take ``ar``, ``pt`` takes ``pt-BR``, ``prs`` takes ``fa``),
      by the CLDR's language-matching distance (below ``MATCH_DISTANCE``). A different script
      or a different language of a macrolanguage does not match: Sorani (``ckb``, Arabic
      script) and Kurmanji (``ku``, Latin script) never stand in for each other, nor
      ``zh-Hant`` for ``zh-Hans``;
2. the organisation's default languages (given by the caller: a send's fallback languages),
   else the deployment's (``MESSAGING_FALLBACK_LANGUAGES``, then ``LANGUAGE_CODE``);
3. English;
4. if the texts have none of these (``pick`` only): the first text (a dict's keys sorted,
   since PostgreSQL's ``jsonb`` does not keep the order they were written in), so that a
   person is never left with nothing.

Direction: a tag is right-to-left when its script is (``RTL_SCRIPTS``): the script written in
the tag (``ku-Arab``, ``pa-Arab``), else the language's likely script in the CLDR (``ar``,
``ckb``, ``ur``, ``fa``, ``ps``, ``sd``, ``ug``, ``dv``, ``he``, ``yi``, ``apd`` …). So ``ckb``
is right-to-left and Kurmanji (``kmr``, ``ku``) left-to-right. Django's ``LANGUAGES_BIDI``
is set from the same rule (``settings.py``), so ``get_language_bidi`` agrees.
"""

from functools import lru_cache

import langcodes

ENGLISH = "en"
# Scripts written right to left (ISO 15924).
RTL_SCRIPTS = frozenset({"Adlm", "Arab", "Hebr", "Mand", "Nkoo", "Rohg", "Samr", "Syrc", "Thaa", "Yezi"})
# The CLDR's distance below which a text in one tag serves a reader of another (langcodes' own default).
MATCH_DISTANCE = 25


# Tags --------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def normalise(code):
    """The normalised BCP 47 tag for ``code`` (``tl`` → ``fil``, ``ar_JO`` → ``ar-JO``), or None if it names no language."""
    code = str(code or "").strip().replace("_", "-")
    if not code or len(code) > 35 or not langcodes.tag_is_valid(code):
        return None
    tag = langcodes.standardize_tag(code, macro=True)
    if langcodes.Language.get(tag).display_name("en").startswith("Unknown language"):
        return None
    return tag


def base(code):
    """The primary language subtag: ``ar-JO`` → ``ar``."""
    return (normalise(code) or str(code or "")).split("-")[0].lower()


# Direction ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _script(tag):
    try:
        return langcodes.Language.get(tag).maximize().script or ""
    except Exception:  # pragma: no cover - langcodes raises on unusual tags
        return ""


def is_rtl(code):
    """Whether text in ``code`` is written right to left (see the module's docstring)."""
    tag = normalise(code)
    return bool(tag) and _script(tag) in RTL_SCRIPTS


def direction(code):
    """``"rtl"`` or ``"ltr"``: the value of a ``dir`` attribute for text in ``code``."""
    return "rtl" if is_rtl(code) else "ltr"


def rtl_codes(codes):
    """Those of ``codes`` written right to left (for Django's ``LANGUAGES_BIDI``)."""
    return [code for code in codes if is_rtl(code)]


# Choice ------------------------------------------------------------------------------


def deployment_defaults():
    """The deployment's default languages: ``MESSAGING_FALLBACK_LANGUAGES``, then ``LANGUAGE_CODE``."""
    from django.conf import settings

    return [*settings.MESSAGING_FALLBACK_LANGUAGES, settings.LANGUAGE_CODE]


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    languages = getattr(value, "languages", None)  # a person: a registration, a subscriber, a recipient
    if languages is not None and not callable(languages):
        return list(languages or [])
    return list(value)


def chain(wanted, defaults=None):
    """The normalised tags to try, in order: the person's, the organisation's (else the deployment's), English."""
    tags = []
    given = _as_list(defaults) if defaults else deployment_defaults()
    for code in [*_as_list(wanted), *given, ENGLISH]:
        tag = normalise(code)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


@lru_cache(maxsize=16384)
def _distance(wanted, have):
    try:
        return langcodes.tag_distance(wanted, have)
    except Exception:  # pragma: no cover - langcodes raises on unusual tags
        return 1000


def match(wanted, available):
    """The one of ``available`` that serves a reader of ``wanted`` (rule 1: exact, else closest), or None."""
    tag = normalise(wanted)
    if not tag:
        return None
    keyed = [(normalise(code) or str(code), code) for code in available]
    for norm, code in keyed:
        if norm.casefold() == tag.casefold():
            return code
    close = [(_distance(tag, norm), index, code) for index, (norm, code) in enumerate(keyed)]
    close = [item for item in close if item[0] < MATCH_DISTANCE]
    return min(close)[2] if close else None


def choose(wanted, available, defaults=None):
    """The language of ``available`` to give a person whose languages are ``wanted`` (rules 1–3), or None.

    ``wanted`` is a list of tags, one tag, or a person with ``languages``; ``defaults`` the
    organisation's default languages (else the deployment's). Returns the key as given in ``available``.
    """
    available = list(available)
    for tag in chain(wanted, defaults):
        found = match(tag, available)
        if found is not None:
            return found
    return None


def _texts(texts):
    """(language, text) pairs from a {language: text} dict, from objects with a ``language``, or from tags."""
    if isinstance(texts, dict):
        return [(code, texts[code]) for code in sorted(texts) if texts[code]]
    return [(text, text) if isinstance(text, str) else (text.language, text) for text in texts]


def pick(texts, wanted, defaults=None):
    """The text to give a person (rules 1–4): from a {language: text} dict or rows with ``language``; None if none."""
    pairs = _texts(texts)
    if not pairs:
        return None
    code = choose(wanted, [language for language, _text in pairs], defaults)
    by_language = dict(pairs)
    return by_language[code] if code is not None else pairs[0][1]


def pick_language(texts, wanted, defaults=None):
    """The language of the text ``pick`` gives (rules 1–4), or None if there are no texts."""
    pairs = _texts(texts)
    if not pairs:
        return None
    return choose(wanted, [language for language, _text in pairs], defaults) or pairs[0][0]


def text_for(texts, wanted, defaults=None):
    """Alias of ``pick`` for {language: text} fields: ``text_for(campaign.messages, registration)``."""
    return pick(texts, wanted, defaults)


# The interface (gettext catalogs) ----------------------------------------------------


def interface_codes():
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


def ui_language(wanted, defaults=None):
    """The interface language (one of ``settings.LANGUAGES``) to speak to a person whose languages are ``wanted``."""
    from django.conf import settings

    return choose(wanted, interface_codes(), defaults) or settings.LANGUAGE_CODE


def request_languages(request):
    """The languages a request names itself: its ``lang`` parameter, then its Accept-Language, in order."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    if request is None:
        return []
    wanted = [request.GET.get("lang", "")[:35]]
    wanted += [
        code for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:500])
    ]
    return [code for code in wanted if code and code != "*"]
