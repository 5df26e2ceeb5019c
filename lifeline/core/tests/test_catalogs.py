"""Every language has a complete, sound catalog: nothing untranslated or fuzzy, nothing left in
English, placeholders intact, as many plural forms as the header says, a reviewer named; the staff
catalogs carry every string in the code and the migrant catalogs exactly the texts migrants read."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from lifeline.core import catalogs

LOCALE = Path(settings.BASE_DIR) / "lifeline" / "locale"
STAFF = [code for code, _name in settings.BASE_LANGUAGES]
MIGRANT = [code for code, _name in settings.MIGRANT_LANGUAGES if catalogs.catalog_path(code).exists()]
ALL = STAFF + MIGRANT

# A translation may equal its source where the source is a name or a code, in any language...
SAME_EVERYWHERE = {
    "Atom", "RSS", "CAP XML", "SMS", "WhatsApp", "Telegram", "Signal", "Viber", "Facebook", "24/7",
    "ISO 3166 alpha-2", "ISO 3166 alpha-3", "P-code", "%(km)s km",
}  # fmt: skip
# ...and where the word is the same in that language (checked by reading each one).
SAME_IN = {
    "es": {
        "Plan", "plan", "Error", "Feed", "Normal", "No", "no", "crisis", "Radio", "Crisis", "Local", "Capital",
        "Regional", "Tsunami",
    },
    "fr": {
        "version", "Documents", "Contacts", "Plan", "documents", "contacts", "plan", "Versions", "Version",
        "Version %(n)s", "Test", "Public", "Future", "Possible", "restriction", "codes", "source", "note",
        "incidents", "description", "contact", "altitude", "Note", "Actions", "Contact", "Message", "Type",
        "photo", "message", "messages", "Photo", "Source", "Construction", "Agriculture",
        "Questionnaire (XLSForm)", "Action", "Organisation", "type", "organisation", "organisations", "action",
        "via", "logo", "Organisations", "Accident", "Restriction", "phase", "crises", "Phase", "Description",
        "Crises", "Radio", "notes", "Notes", "Section", "Bus", "Train", "destination", "transport", "transports",
        "Transports", "Psychosocial", "certification", "date", "Certification", "Date", "Messages", "Code",
        "document", "Parent", "latitude", "longitude", "Document", "Pages", "Signature", "Menu", "Administration",
        "Orange", "Sources", "Dates", "Tsunami", "zone (GeoJSON)",
        "Participants", "participants", "Parties", "Coordination", "Parties (organisations)",
        "parties (organisations)", "Destination", "actions", "Activation", "Annexes", "Format",
        "Session", "session", "Consultation", "National", "Local", "places", "participant",
        "Participants (XLSX)",
    },
    "pt": {
        "altitude", "Feed", "App", "Normal", "via", "crises", "Crises", "item", "latitude", "longitude", "Menu", "Local",
        "Capital", "Workshop", "Regional", "Tsunami",
    },
}  # fmt: skip

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{ ?\w+ ?\}\}|\{\w*\}")
PERCENT = re.compile(r"%(?!\(\w+\)[sd]|[sd%])")


def catalog(code):
    path = catalogs.catalog_path(code)
    assert path.exists(), f"missing catalog {path}"
    return polib.pofile(str(path))


def placeholders(text):
    return sorted(m.group(0).replace(" ", "") for m in PLACEHOLDER.finditer(text))


def nplurals(po):
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


@pytest.fixture(scope="module")
def extracted():
    """The strings of the code, extracted again (with where each is written)."""
    return catalogs.extract()


@pytest.mark.parametrize("code", ALL)
def test_catalog_is_complete(code):
    po = catalog(code)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    empty_plurals = [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert not empty_plurals, f"{code}: plural forms missing for {empty_plurals[:5]}"


@pytest.mark.parametrize("code", [c for c in ALL if c != "en"])
def test_nothing_is_left_in_the_source_language(code):
    allowed = SAME_EVERYWHERE | SAME_IN.get(code, set())
    left = [
        e.msgid
        for e in catalog(code)
        if e.msgstr == e.msgid
        and e.msgid not in allowed
        and re.search(r"[A-Za-z]", PLACEHOLDER.sub("", e.msgid))
    ]
    assert not left, f"{code}: {len(left)} left as in English, e.g. {left[:8]}"


@pytest.mark.parametrize("code", [c for c in ALL if c != "en"])
def test_placeholders_survive_translation(code):
    problems = []
    for entry in catalog(code).translated_entries():
        wanted = placeholders(entry.msgid)
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in forms:
            got = placeholders(text)
            # A plural form may leave the number out ("one day"), nothing else.
            if entry.msgid_plural and set(got) <= set(wanted) and len(set(wanted) - set(got)) <= 1:
                continue
            if got != wanted:
                problems.append(("changed", entry.msgid, text))
            if "python-format" in entry.flags and PERCENT.search(text):
                problems.append(("broken", entry.msgid, text))
    assert not problems, problems[:5]


@pytest.mark.parametrize("code", ALL)
def test_no_translation_shows_double_spaces_or_stray_blanks(code):
    """Texts are read in emails, SMS and plain-text exports, where spaces are not collapsed."""
    problems = []
    for entry in catalog(code).translated_entries():
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in forms:
            if ("  " in text and "  " not in entry.msgid) or (
                text != text.strip() and entry.msgid == entry.msgid.strip()
            ):
                problems.append((entry.msgid, text))
    assert not problems, problems[:5]


@pytest.mark.parametrize("code", ALL)
def test_plural_forms_match_the_header(code):
    po = catalog(code)
    n = nplurals(po)
    wrong = [(e.msgid, len(e.msgstr_plural)) for e in po if e.msgid_plural and len(e.msgstr_plural) != n]
    assert not wrong, f"{code}: the header says {n} plural forms; {wrong[:5]}"


@pytest.mark.parametrize("code", ALL)
def test_header_says_who_reviewed_it(code):
    header = catalog(code).header
    assert re.search(r"^Reviewed by: .+", header, re.M), f"{code}: the header must say who reviewed it"
    if code != "en" and "nobody" in header.lower():
        assert "machine translation, not reviewed by a native speaker" in header.lower()


def test_catalogs_carry_every_string_in_the_code(extracted):
    fresh = {e.msgid for e in extracted}
    known = {e.msgid for e in catalog("es")}
    missing = sorted(fresh - known)
    assert not missing, f"run `make catalogs`: {len(missing)} strings not in the catalogs, e.g. {missing[:5]}"


@pytest.mark.parametrize("code", MIGRANT)
def test_migrant_catalog_has_exactly_what_migrants_read(code, extracted):
    wanted = {catalogs.key(e) for e in catalogs.migrant_entries(extracted)}
    have = {catalogs.key(e) for e in catalog(code)}
    assert not wanted - have, f"run `make catalogs`: {code} lacks {sorted(wanted - have)[:5]}"
    assert not have - wanted, f"run `make catalogs`: {code} carries staff texts {sorted(have - wanted)[:5]}"


def test_every_migrant_language_has_its_catalog_and_locale_data():
    from django.utils.translation import get_language_info

    for code in catalogs.PLURAL_FORMS:  # the migrant languages the product ships
        assert code in dict(settings.MIGRANT_LANGUAGES), code
        assert catalogs.catalog_path(code).exists(), code
        assert get_language_info(code)["name_local"]
    assert get_language_info("ur")["bidi"] is True
    assert get_language_info("fil")["bidi"] is False


def test_the_template_matches_the_migrant_texts(extracted):
    wanted = {catalogs.key(e) for e in catalogs.migrant_entries(extracted)}
    assert {catalogs.key(e) for e in polib.pofile(str(catalogs.TEMPLATE))} == wanted
