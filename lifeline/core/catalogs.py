"""Which texts migrants read, and the catalogs of the migrant languages that carry exactly those.

The staff languages (settings.STAFF_LANGUAGES) translate every text of the product. The migrant
languages (settings.MIGRANT_LANGUAGES) translate only what migrants read: the nationals' app, the
public alert, advice and subscription pages, briefings, and the emails and SMS sent to them. A text
is migrant-facing when it is written in one of MIGRANT_SOURCES, or when a comment just above it in
the source begins ``Translators: migrants read this`` (for the few such texts in modules that staff
pages share: choice labels, public forms).

``python manage.py migrant_catalogs`` (part of ``make catalogs``) extracts the texts again and brings
each migrant catalog and the template ``lifeline/locale/migrant.pot`` up to date; the catalog test
extracts them the same way and checks that each migrant catalog has exactly them, all translated.
"""

import fnmatch
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

LIFELINE = Path(settings.BASE_DIR) / "lifeline"
LOCALE = LIFELINE / "locale"
TEMPLATE = LOCALE / "migrant.pot"

# Paths inside lifeline/, as shell patterns.
MIGRANT_SOURCES = [
    # The nationals' app: its shell, its words, the answers of its API.
    "pwa/strings.py",
    "pwa/views.py",
    "pwa/app_api.py",
    "pwa/templates/pwa/*.html",
    "nationals/app_api.py",
    "crises/app_api.py",
    "api/urls.py",  # the API's error messages, which the app shows
    # Public pages: the frame, errors, travel advice, briefings, alerts, subscriptions, registration.
    "templates/base.html",
    "templates/error_base.html",
    "templates/40?.html",
    "templates/403_csrf.html",
    "templates/500.html",
    "templates/includes/form.html",
    "advice/templates/advice/index.html",
    "advice/templates/advice/country.html",
    "advice/templates/advice/level.html",
    "advice/templates/advice/langs.html",
    "advice/templates/advice/posts.html",
    "advice/templates/advice/briefing.html",
    "advice/templates/advice/briefing_body.html",
    "advice/templates/advice/briefing_pdf.html",
    "advice/templates/advice/subscribe.html",
    "advice/templates/advice/subscribed.html",
    "advice/templates/advice/unsubscribe.html",
    "alerts/templates/alerts/public.html",
    "alerts/templates/alerts/public_index.html",
    "messaging/templates/messaging/public_message.html",
    "messaging/templates/messaging/subscribe.html",
    "messaging/templates/messaging/confirm.html",
    "messaging/templates/messaging/unsubscribe.html",
    "messaging/templates/messaging/change.html",
    "crises/templates/crises/register.html",
    "crises/templates/crises/registered.html",
    # What is sent to them: advice emails (the wording around alerts by email and SMS is marked).
    "advice/templates/advice/email/*",
]
MARK = "migrants read this"

# Plural-Forms of the shipped migrant languages (CLDR's rules, in gettext's notation).
PLURAL_FORMS = {
    "fil": "nplurals=2; plural=(n != 1 && n != 2 && n != 3 && (n % 10 == 4 || n % 10 == 6 || n % 10 == 9));",
    "bn": "nplurals=2; plural=(n > 1);",
    "ne": "nplurals=2; plural=(n != 1);",
    "si": "nplurals=2; plural=(n > 1);",
    "hi": "nplurals=2; plural=(n > 1);",
    "ur": "nplurals=2; plural=(n != 1);",
    "am": "nplurals=2; plural=(n > 1);",
    "id": "nplurals=1; plural=0;",
}


def is_migrant_source(path):
    return any(fnmatch.fnmatch(path, pattern) for pattern in MIGRANT_SOURCES)


def extract():
    """Every translatable text of the code, with where it is written (a polib catalog)."""
    import polib

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "lifeline"
        shutil.copytree(LIFELINE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "tests"))
        (copy / "locale").mkdir()
        result = subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "xx", "--no-wrap"],
            cwd=copy,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": scratch},
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return polib.pofile(str(copy / "locale" / "xx" / "LC_MESSAGES" / "django.po"))


def migrant_entries(po):
    """The entries of an extracted catalog that migrants read."""
    return [
        entry
        for entry in po
        if MARK in (entry.comment or "") or any(is_migrant_source(path) for path, _line in entry.occurrences)
    ]


def catalog_path(code):
    return LOCALE / code / "LC_MESSAGES" / "django.po"


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def update(codes=None):
    """Write the template and bring each migrant catalog to exactly the migrant texts; returns the
    number of texts and, per language, how many wait for a translation."""
    import polib

    wanted = migrant_entries(extract())
    template = polib.POFile(wrapwidth=0)
    template.metadata = {
        "Project-Id-Version": "Lifeline",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    template.header = "The texts migrants read: the template of a migrant language's catalog."
    for entry in wanted:
        template.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr="",
                msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
                flags=[f for f in entry.flags if f.endswith("-format")],
            )
        )
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    template.save(str(TEMPLATE))
    waiting = {}
    for code in codes or [c for c, _name in settings.MIGRANT_LANGUAGES if catalog_path(c).exists()]:
        path = catalog_path(code)
        old = polib.pofile(str(path), wrapwidth=0) if path.exists() else None
        known = {key(e): e for e in old} if old else {}
        po = polib.POFile(wrapwidth=0)
        po.header = (
            old.header if old else f"Lifeline: the texts migrants read, in {code}.\nReviewed by: nobody yet."
        )
        po.metadata = dict(template.metadata, Language=code, **{"Plural-Forms": PLURAL_FORMS.get(code, "")})
        if old:
            po.metadata.update(old.metadata)
        nplurals = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0] or 2)
        for entry in template:
            previous = known.get(key(entry))
            new = polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                flags=list(entry.flags),
            )
            if entry.msgid_plural:
                new.msgstr_plural = {
                    i: (previous.msgstr_plural.get(i, "") if previous else "") for i in range(nplurals)
                }
            else:
                new.msgstr = previous.msgstr if previous else ""
            po.append(new)
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
        waiting[code] = len(po.untranslated_entries())
    return len(template), waiting
