"""A briefing in each migrant language prints every character with a font that has its glyph.

Each character the PDF draws is mapped back to text by its font's ToUnicode table; the installed
font the embedded subset was cut from (found by its PostScript name) must have that character in its
cmap. A character drawn
with a font that lacks it is a missing glyph (an empty box on paper)."""

import datetime
import functools
import io
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lifeline.advice.models import Briefing, BriefingText

pytestmark = pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig is not installed")

# The font family each script must come from (Debian's fonts-noto-core).
EXPECTED_FONT = {
    "fil": "NotoSans",
    "id": "NotoSans",
    "bn": "NotoSansBengali",
    "ne": "NotoSansDevanagari",
    "hi": "NotoSansDevanagari",
    "si": "NotoSansSinhala",
    "am": "NotoSansEthiopic",
    "ur": "NotoNastaliqUrdu",
}


@functools.cache
def cmap_of(postscript_name):
    found = subprocess.run(
        ["fc-list", f":postscriptname={postscript_name}", "file"], capture_output=True, text=True
    ).stdout.split(":")[0]
    assert found, f"no font file for {postscript_name}"
    font = TTFont(found, fontNumber=0, lazy=True)
    return set(font.getBestCmap())


def drawn_characters(pdf):
    """(font PostScript name, characters drawn with it) for each font of the PDF."""
    result = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            name = embedded["name"].getDebugName(6)  # the PostScript name of the font it was cut from
            data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            chars = set()
            for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
                for _glyph, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    chars |= set(bytes.fromhex(text).decode("utf-16-be"))
            for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
                for low, high, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                    first = ord(bytes.fromhex(start).decode("utf-16-be"))
                    chars |= {chr(first + i) for i in range(int(high, 16) - int(low, 16) + 1)}
            result.append((name, chars))
    return result


def briefing_in(code, country, organisation):
    with translation.override(code):
        words = {
            "title": translation.gettext("Before you go and when you arrive"),
            "hazards": translation.gettext("Natural hazards")
            + ": "
            + translation.gettext("Where to get help"),
            "kit": translation.gettext("Emergency contacts")
            + "\n"
            + translation.gettext("Tell us what happened"),
            "documents": translation.gettext("Your embassy asks: are you safe?"),
            "during_alerts": translation.gettext("Thank you. Your embassy now knows that you are safe."),
            "emergency_numbers": translation.gettext("Embassy emergency phone: %(phone)s")
            % {"phone": "+962 6 000"},
        }
    briefing = Briefing.objects.create(
        organisation=organisation, country=country, published=True, last_reviewed=datetime.date(2026, 11, 2)
    )
    BriefingText.objects.create(briefing=briefing, language=code, **words)
    return words


@pytest.mark.parametrize(
    "code", [code for code, _name in settings.MIGRANT_LANGUAGES if code in EXPECTED_FONT]
)
def test_a_briefing_in_each_migrant_language_has_every_glyph(client, ministry, jordan, code):
    words = briefing_in(code, jordan, ministry)
    assert words["title"] != "Before you go and when you arrive"  # the catalog translated it
    response = client.get(reverse("advice:briefing_pdf", args=["jo"]), {"lang": code})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    fonts = drawn_characters(response.content)
    missing = {
        (name, char)
        for name, chars in fonts
        for char in chars
        if not char.isspace() and ord(char) not in cmap_of(name)
    }
    assert not missing, f"{code}: glyphs missing from their fonts: {sorted(missing)[:10]}"
    drawn = set().union(*(chars for _name, chars in fonts))
    letters = {c for c in words["title"] + words["documents"] if c.isalpha()}
    # The text is there: its letters are drawn (a Nastaliq ligature may map back to part of its
    # cluster only, so one letter in ten may be unaccounted for).
    assert len(letters - drawn) <= len(letters) // 10, f"{code}: not drawn: {sorted(letters - drawn)}"
    assert any(name.startswith(EXPECTED_FONT[code]) for name, _chars in fonts), [n for n, _c in fonts]


def test_the_check_sees_a_missing_glyph():
    from weasyprint import HTML

    pdf = HTML(string="<p style=\"font-family: 'Noto Sans'\">A \U0010fffd</p>").write_pdf()
    missing = [c for name, chars in drawn_characters(pdf) for c in chars if ord(c) not in cmap_of(name)]
    assert missing == ["\U0010fffd"]
