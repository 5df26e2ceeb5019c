"""``{{ text.language|direction }}``: the ``dir`` attribute for text in a language (``lifeline.core.languages``)."""

from django import template

from lifeline.core import languages

register = template.Library()


@register.filter
def direction(code):
    return languages.direction(code)
