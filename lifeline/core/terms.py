"""The deployment's own word for a crisis ("emergency", "disaster"), in whole translated sentences.

Putting another word into translated sentences cannot work: Russian declines it (кризис → "по
чрезвычайной ситуации"), Arabic changes its article and agreement, French and Spanish agree
adjectives and articles with its gender ("une crise … close", "une urgence … close"). So a
deployment's word is an *overlay catalog*: for every text of the product that mentions a crisis, a
whole sentence per language written by a translator. ``LIFELINE_TERMS=emergency`` puts the overlay
``emergency`` first in ``LOCALE_PATHS`` (settings.py), so Django takes its sentences before the
shipped ones and every other text from the shipped catalogs.

An overlay is ``<dir>/<term>/locale/<lang>/LC_MESSAGES/django.po``. The product ships
``lifeline/terms/emergency``; a deployment's own live in ``LIFELINE_TERMS_DIR``, outside the code.
``manage.py term_overlay TERM`` starts or updates one (every text that mentions the crisis, in every
staff language, with the shipped sentence as a starting point marked fuzzy) and compiles it; the
``check`` framework (``lifeline.W201``) lists the texts an overlay in use still lacks.
"""

import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core import checks

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "terms"
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
# The word being replaced, in the English source texts; placeholders such as %(crisis)s are not it.
WORD = re.compile(r"\bcris[ie]s\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\([^)]*\)[a-zA-Z]|\{[^}]*\}")
DOMAIN = "django"
# The shipped word in each shipped language: a translation may name the crisis where the English
# does not ("Closed “%(name)s”." is "Кризис «%(name)s» закрыт."). Languages not listed are guided by
# the English source alone.
SHIPPED_WORDS = {
    "es": re.compile(r"\bcrisis\b", re.IGNORECASE),
    "fr": re.compile(r"\bcrises?\b", re.IGNORECASE),
    "pt": re.compile(r"\bcrises?\b", re.IGNORECASE),
    "ru": re.compile(r"кризис", re.IGNORECASE),
    "ar": re.compile(r"أزم"),
}


def overlay_dirs():
    """Where overlays are looked for, the deployment's own first."""
    own = settings.TERMS_DIR
    return ([Path(own)] if own else []) + [SHIPPED_DIR]


def locale_dir(term, places=None):
    """The locale directory of the overlay ``term``: the first of ``places`` that has it, else where
    a new one would be written (the deployment's own directory when it has one)."""
    places = list(places if places is not None else overlay_dirs())
    for place in places:
        if (place / term / "locale").is_dir():
            return place / term / "locale"
    return places[0] / term / "locale"


def mentions(msgid, msgid_plural=""):
    """Whether an English source text mentions the crisis (the word, not a placeholder)."""
    return bool(WORD.search(PLACEHOLDER.sub("", f"{msgid}\n{msgid_plural or ''}")))


def _po_path(root, language):
    return Path(root) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_catalog(language, overlay=None):
    """The catalog of ``language`` that the overlay stands in front of: the first in LOCALE_PATHS
    that is not an overlay (a deployment's added language, else the product's)."""
    import polib

    overlay = Path(overlay).resolve() if overlay else None
    for root in settings.LOCALE_PATHS:
        path = _po_path(root, language)
        if (overlay is None or Path(root).resolve() != overlay) and path.is_file():
            return polib.pofile(str(path))
    return None


def _key(entry):
    return (entry.msgctxt or "", entry.msgid)


def translated_mentions(entry, language):
    """Whether the shipped translation of ``entry`` in ``language`` names the crisis."""
    word = SHIPPED_WORDS.get(language)
    text = "\n".join([entry.msgstr, *entry.msgstr_plural.values()])
    return bool(word and word.search(PLACEHOLDER.sub("", text)))


def texts(catalog, language=""):
    """The entries of a shipped catalog that mention the crisis, in English or in its translation."""
    return [
        e
        for e in catalog
        if not e.obsolete
        and e.msgid
        and (mentions(e.msgid, e.msgid_plural) or translated_mentions(e, language))
    ]


def written(entry):
    """Whether an overlay entry holds a sentence a translator wrote (not empty, not fuzzy)."""
    if entry is None or entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def languages(root=None):
    """The staff languages, and any other language the overlay at ``root`` has a catalog for."""
    codes = [code for code, _name in settings.STAFF_LANGUAGES]
    if root is not None and Path(root).is_dir():
        codes += sorted(
            p.name for p in Path(root).iterdir() if _po_path(root, p.name).is_file() and p.name not in codes
        )
    return codes


def update(term, codes=None, places=None):
    """Start or bring up to date the overlay ``term`` for ``codes`` (default: ``languages``) and
    compile it. New texts get the shipped sentence as a starting point, marked fuzzy, so that they
    show the shipped words until a translator rewrites them. Returns {language: texts to write}."""
    import polib

    if not NAME.match(term):
        raise ValueError(term)
    root = locale_dir(term, places)
    own = settings.TERMS_DIR
    if places is None and own and root == SHIPPED_DIR / term / "locale":
        # A deployment extends a shipped overlay in its own directory, never inside the code.
        shutil.copytree(root, Path(own) / term / "locale", ignore=shutil.ignore_patterns("*.mo"))
        root = Path(own) / term / "locale"
    waiting = {}
    for code in codes or languages(root):
        shipped = shipped_catalog(code, overlay=root)
        if shipped is None:
            continue
        path = _po_path(root, code)
        overlay = polib.pofile(str(path)) if path.is_file() else polib.POFile(wrapwidth=0)
        if not path.is_file():
            overlay.metadata = {
                "Project-Id-Version": f"lifeline terms {term}",
                "Language": code,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": shipped.metadata.get("Plural-Forms", "nplurals=2; plural=(n != 1);"),
            }
            overlay.header = (
                f"The deployment's word '{term}' in {code}: rewrite each whole sentence (see "
                "docs/operators/words.md), then remove its fuzzy flag.\nReviewed by: "
            )
        have = {_key(e): e for e in overlay}
        wanted = texts(shipped, code)
        for source in wanted:
            entry = have.get(_key(source))
            if entry is None:
                entry = polib.POEntry(
                    msgctxt=source.msgctxt,
                    msgid=source.msgid,
                    msgid_plural=source.msgid_plural,
                    msgstr=source.msgstr,
                    msgstr_plural=dict(source.msgstr_plural),
                    flags=["fuzzy"] + [f for f in source.flags if f != "fuzzy"],
                )
                overlay.append(entry)
            elif entry.obsolete:
                entry.obsolete = False
                entry.flags = list(dict.fromkeys(["fuzzy", *entry.flags]))
        keys = {_key(s) for s in wanted}
        for entry in overlay:
            if _key(entry) not in keys:
                entry.obsolete = True
        path.parent.mkdir(parents=True, exist_ok=True)
        overlay.save(str(path))
        overlay.save_as_mofile(str(path.with_suffix(".mo")))
        waiting[code] = sum(1 for e in overlay if not e.obsolete and not written(e))
    return waiting


def missing(term, places=None):
    """{language: [source texts]} that mention the crisis and have no written sentence in the overlay."""
    import polib

    root = locale_dir(term, places)
    found = {}
    for code in languages(root):
        shipped = shipped_catalog(code, overlay=root)
        if shipped is None:
            continue
        path = _po_path(root, code)
        overlay = {_key(e): e for e in polib.pofile(str(path))} if path.is_file() else {}
        lacking = [s.msgid for s in texts(shipped, code) if not written(overlay.get(_key(s)))]
        if lacking:
            found[code] = lacking
    return found


def check_overlay(app_configs=None, **kwargs):
    """``check``: the overlay in use exists, is compiled, and has a sentence for every text."""
    term = settings.TERMS
    if not term:
        return []
    if not NAME.match(term):
        return [
            checks.Error(
                f"LIFELINE_TERMS={term!r} is not the name of an overlay.",
                hint="A name of lower-case letters, digits, '-' or '_', such as 'emergency'.",
                id="lifeline.E201",
            )
        ]
    root = locale_dir(term)
    if not root.is_dir():
        return [
            checks.Error(
                f"LIFELINE_TERMS={term!r} but there is no overlay {root}.",
                hint=f"Run `manage.py term_overlay {term}` and have it translated (docs/operators/words.md).",
                id="lifeline.E202",
            )
        ]
    found = []
    for code, lacking in missing(term).items():
        shown = "; ".join(repr(m) for m in lacking[:5]) + (" …" if len(lacking) > 5 else "")
        found.append(
            checks.Warning(
                f"The overlay '{term}' has no {code} sentence for {len(lacking)} text(s) that mention "
                f"a crisis, which show the shipped words: {shown}",
                hint=f"Write them in {_po_path(root, code)}, then run `manage.py term_overlay {term}`.",
                id="lifeline.W201",
            )
        )
    stale = [
        code
        for code in languages(root)
        if _po_path(root, code).is_file()
        and (
            not _po_path(root, code).with_suffix(".mo").is_file()
            or _po_path(root, code).with_suffix(".mo").stat().st_mtime < _po_path(root, code).stat().st_mtime
        )
    ]
    if stale:
        found.append(
            checks.Warning(
                f"The overlay '{term}' is not compiled for: {', '.join(stale)}.",
                hint=f"Run `manage.py term_overlay {term}` (or compilemessages).",
                id="lifeline.W202",
            )
        )
    return found
