"""Phone numbers: the one parser every form, import, API and channel calls.

A number is written in international form (+962 79 123 4567) or as it is dialled
in the country of the organisation that holds it (079 123 4567 in Jordan); it is
stored and sent in E.164 (+962791234567). Where no organisation is known (a public
subscription page, an inbound SMS) the deployment's ``SMS_DEFAULT_REGION`` is the
country assumed, and without it only international numbers are accepted.
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


def default_region(organisation=None):
    """The ISO 3166 code a local number is read in: the organisation's country, else the
    deployment's default, else None (international numbers only)."""
    country = getattr(organisation, "country", None) if organisation is not None else None
    code = getattr(country, "code", "") or settings.SMS_DEFAULT_REGION or ""
    return code.strip().upper() or None


def to_e164(value, region=None):
    """``value`` in E.164, "" for a blank value, or ValidationError with a translated reason."""
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number.") % {"value": value}, code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164_or_none(value, region=None):
    """``value`` in E.164, or None if it is blank or not a valid number (for inbound messages)."""
    try:
        return to_e164(value, region) or None
    except ValidationError:
        return None


# How a person is reached by each kind of contact channel: the one place that turns a stored channel
# ({"type": "whatsapp", "value": "+962791234567"}) into a name a reader knows and a link a phone opens.
CHANNEL_LABELS = {
    "phone": _lazy("Phone"),
    "sms": _lazy("SMS"),
    "whatsapp": _lazy("WhatsApp"),
    "telegram": _lazy("Telegram"),
    "signal": _lazy("Signal"),
    "viber": _lazy("Viber"),
    "facebook": _lazy("Facebook"),
    "email": _lazy("Email"),
    "radio": _lazy("Radio"),
    "website": _lazy("Website"),
}


def channel_label(kind):
    """The channel's name in the reader's language; an unknown kind shows as written."""
    return CHANNEL_LABELS.get(str(kind or "").lower(), kind)


def channel_href(kind, value):
    """The link that opens this channel on a phone, or "" when there is none to make safely.

    Phone numbers become ``tel:`` / ``sms:``; WhatsApp, Telegram, Signal and Viber numbers open
    a chat in the app (their documented click-to-chat addresses); a Telegram user name opens
    its profile; email becomes ``mailto:``; a website only when it is http(s)."""
    from lifeline.core.http import web_link

    kind, value = str(kind or "").lower(), str(value or "").strip()
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    is_number = value.startswith("+") and 7 <= len(digits) <= 15 and not any(c.isalpha() for c in value)
    if kind in ("phone", "sms") and is_number:
        return f"{'tel' if kind == 'phone' else 'sms'}:+{digits}"
    if kind == "whatsapp" and is_number:
        return f"https://wa.me/{digits}"
    if kind == "telegram":
        if is_number:
            return f"https://t.me/+{digits}"
        name = value.removeprefix("@")
        if name.replace("_", "").isalnum() and name.isascii() and 5 <= len(name) <= 32:
            return f"https://t.me/{name}"
        return ""
    if kind == "signal" and is_number:
        return f"https://signal.me/#p/+{digits}"
    if kind == "viber" and is_number:
        return f"viber://chat?number=%2B{digits}"
    if kind == "email" and "@" in value and not any(c in value for c in "\r\n<>\"'"):
        return f"mailto:{value}"
    if kind in ("website", "facebook"):
        return web_link(value)
    return ""
