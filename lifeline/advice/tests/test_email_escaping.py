"""Plain-text parts of emails (subjects, text bodies) are not HTML-escaped; the HTML part is, once."""

import pytest

from lifeline.advice import services
from lifeline.geo.models import Country


@pytest.fixture
def ivory_coast(db):
    return Country.objects.get_or_create(code="CI", defaults={"iso3": "CIV"})[0]


def test_a_country_with_an_apostrophe_reads_right_in_every_part(ivory_coast):
    context = {"country": ivory_coast, "url": "https://lifeline.example/advice/confirm/x/", "days": 7}
    message = services._email("confirm", context, "reader@example.org", "en")
    assert message.subject == "Confirm: travel advice updates for Côte d'Ivoire"
    assert "Côte d'Ivoire" in message.body
    html = message.alternatives[0][0]
    assert "Côte d&#x27;Ivoire" in html and "&amp;#x27;" not in html
