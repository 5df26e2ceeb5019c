"""``{{ value|web_link }}``: the value if it is an http(s) address, else "" (so it never becomes a link)."""

from django import template

from lifeline.core.http import web_link as _web_link

register = template.Library()


@register.filter
def web_link(value):
    return _web_link(value)
