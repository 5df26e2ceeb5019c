import pytest
from django.template import Context, Template
from django.utils import translation

from lifeline.core.phones import channel_href, channel_label


@pytest.mark.parametrize(
    ("kind", "value", "href"),
    [
        ("phone", "+962 79 123 4567", "tel:+962791234567"),
        ("sms", "+962791234567", "sms:+962791234567"),
        ("whatsapp", "+63 917 123 4567", "https://wa.me/639171234567"),
        ("telegram", "+639171234567", "https://t.me/+639171234567"),
        ("telegram", "@lifeline_ph", "https://t.me/lifeline_ph"),
        ("signal", "+639171234567", "https://signal.me/#p/+639171234567"),
        ("viber", "+639171234567", "viber://chat?number=%2B639171234567"),
        ("email", "desk@example.org", "mailto:desk@example.org"),
        ("website", "https://example.org/", "https://example.org/"),
        # Nothing a phone would open wrongly, nothing a crafted value turns into script.
        ("website", "javascript:alert(1)", ""),
        ("whatsapp", "0791234567", ""),
        ("telegram", "bad name<script>", ""),
        ("email", 'x@y.org"><script>', ""),
        ("radio", "FM 98.1", ""),
        ("phone", "", ""),
    ],
)
def test_each_channel_gets_the_link_its_app_opens(kind, value, href):
    assert channel_href(kind, value) == href


def test_channels_are_named_in_the_readers_language_and_masked_values_shown_once():
    template = Template("{% load links %}{% for c in items|channels %}[{% channel c %}]{% endfor %}")
    with translation.override("fr"):
        out = template.render(Context({"items": [{"type": "phone", "value": "+962791234567"}]}))
        assert out == f'[{channel_label("phone")}: <a href="tel:+962791234567" dir="ltr">+962791234567</a>]'
        assert str(channel_label("phone")) == "Téléphone"
    assert (
        Template("{% load links %}{% for c in items|channels %}[{% channel c %}]{% endfor %}").render(
            Context({"items": "•••"})
        )
        == '[<span dir="ltr">•••</span>]'
    )
