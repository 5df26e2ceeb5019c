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


def default_region(organisation=None):
    """The ISO 3166 code a local number is read in: the organisation's country, else the
    deployment's default, else None (international numbers only)."""
    country = getattr(organisation, "country", None) if organisation is not None else None
    code = getattr(country, "code", "") or getattr(settings, "SMS_DEFAULT_REGION", "") or ""
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
