"""Every UI language has a complete catalog: nothing untranslated, nothing fuzzy,
and no string in the code that the catalogs do not carry."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "lifeline" / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def catalog(code):
    path = LOCALE / code / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing catalog {path}"
    return polib.pofile(str(path))


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_complete(code):
    po = catalog(code)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    empty_plurals = [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert not empty_plurals, f"{code}: plural forms missing for {empty_plurals[:5]}"


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_placeholders_survive_translation(code):
    import re

    pattern = re.compile(r"%\((\w+)\)s|\{\{ ?(\w+) ?\}\}")
    problems = []
    for entry in catalog(code).translated_entries():
        wanted = {m.group(0).replace(" ", "") for m in pattern.finditer(entry.msgid)}
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not text:
                continue
            got = {m.group(0).replace(" ", "") for m in pattern.finditer(text)}
            if not wanted <= got and not (entry.msgid_plural and wanted - got <= {"%(n)s", "{{n}}"}):
                problems.append((entry.msgid, text))
    assert not problems, problems[:5]


def test_catalogs_carry_every_string_in_the_code(tmp_path):
    """Extract the strings again into a scratch copy and compare with the committed catalogs."""
    copy = tmp_path / "src"
    shutil.copytree(
        Path(settings.BASE_DIR) / "lifeline",
        copy / "lifeline",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "tests"),
    )
    (copy / "lifeline" / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "es", "--no-obsolete", "--no-location"],
        cwd=copy / "lifeline",
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": str(copy)},
    )
    assert result.returncode == 0, result.stderr
    fresh = {
        e.msgid for e in polib.pofile(str(copy / "lifeline" / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    }
    known = {e.msgid for e in catalog("es")}
    missing = sorted(fresh - known)
    assert not missing, f"run `make catalogs`: {len(missing)} strings not in the catalogs, e.g. {missing[:5]}"
