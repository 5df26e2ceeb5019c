"""``{{ value|web_link }}``: the value if it is an http(s) address, else "" (so it never becomes a link)."""

from django import template

from lifeline.core.http import web_link as _web_link

register = template.Library()


@register.filter
def web_link(value):
    return _web_link(value)


@register.inclusion_tag("core/channel.html")
def channel(item):
    """One contact channel ({"type": …, "value": …}): its name in the reader's language and, where a
    phone can open it, a link (core.phones.channel_href)."""
    from lifeline.core.phones import channel_href, channel_label

    kind = item.get("type", "") if hasattr(item, "get") else ""
    value = item.get("value", "") if hasattr(item, "get") else str(item)
    return {"label": channel_label(kind), "value": value, "href": channel_href(kind, value)}


@register.filter
def channels(value):
    """A stored list of channels as items for ``{% channel %}``; a masked value (a string) stays one item."""
    if isinstance(value, str):
        return [{"type": "", "value": value}] if value else []
    return [item for item in value or () if hasattr(item, "get")]
