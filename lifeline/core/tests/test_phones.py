"""One phone parser: local numbers are read in the organisation's country, stored in E.164."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lifeline.core.phones import default_region, e164_or_none, to_e164
from lifeline.core.tabular import import_table
from lifeline.directory.models import KeyContact
from lifeline.directory.tabular import ContactSchema


def test_a_local_number_is_read_in_jordan():
    assert to_e164("079 123 4567", "JO") == "+962791234567"


def test_an_international_number_needs_no_region():
    assert to_e164("+63 917 123 4567") == "+639171234567"
    assert to_e164("+63 917 123 4567", "JO") == "+639171234567"


def test_blank_is_blank_and_nonsense_is_a_translated_error():
    assert to_e164("  ") == ""
    with translation.override("es"), pytest.raises(ValidationError) as caught:
        to_e164("079 123 4567")  # a local number with no country to read it in
    assert caught.value.messages == ["“079 123 4567” no es un número de teléfono válido."]
    assert e164_or_none("12") is None


def test_the_region_is_the_organisations_country_else_the_deployments(org_a, settings):
    settings.SMS_DEFAULT_REGION = "ph"
    assert default_region(org_a) == "JO"
    assert default_region(None) == "PH"
    settings.SMS_DEFAULT_REGION = ""
    assert default_region(None) is None


def test_an_import_reads_local_numbers_in_the_organisations_country(org_a):
    data = "name,kind,category,channels\nRed Crescent,organisation,ngo,phone:079 123 4567; sms:+63 917 123 4567\n"
    report = import_table(ContactSchema(), data.encode(), "c.csv", org_a)
    assert report.ok, report.errors
    contact = KeyContact.objects.get(name="Red Crescent")
    assert contact.channels == [
        {"type": "phone", "value": "+962791234567"},
        {"type": "sms", "value": "+639171234567"},
    ]


def test_a_case_opened_by_staff_takes_a_local_number(post_amman):
    from lifeline.cases.services import normalise_phone

    assert normalise_phone("079 123 4567", post_amman) == "+962791234567"


def test_an_inbound_sms_number_without_plus_uses_the_deployments_region(settings):
    from lifeline.messaging.channels.sms import normalise_phone

    settings.SMS_DEFAULT_REGION = "JO"
    assert normalise_phone("0791234567") == "+962791234567"
