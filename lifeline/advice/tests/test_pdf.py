"""The briefing as PDF: it opens, and holds the text, in English and in Arabic."""

import io
import unicodedata

from django.urls import reverse
from pypdf import PdfReader


def _text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def test_the_english_briefing_pdf_holds_its_text(client, jordan_briefing, post_amman):
    text = _text(client.get(reverse("advice:briefing_pdf", args=["jo"]), {"lang": "en"}))
    for expected in (
        "Be ready in Jordan",
        "Flash floods in wadis.",
        "Water for three days",
        "Embassy in Amman",
        "Police: 911",
    ):
        assert expected in text


def test_the_arabic_briefing_pdf_holds_arabic_text(client, jordan_briefing):
    response = client.get(reverse("advice:briefing_pdf", args=["jo"]), {"lang": "ar"})
    text = _text(response)
    words = ["الأردن", "سيول", "مفاجئة", "الأودية"]
    # Extractors give right-to-left runs in visual or logical order: accept either.
    found = [w for w in words if w in text or w[::-1] in text]
    assert found == words, text
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Arabic" in name for name in fonts), fonts  # a font that carries Arabic


def test_no_briefing_no_pdf(client, jordan):
    assert client.get(reverse("advice:briefing_pdf", args=["jo"])).status_code == 404
