"""SMS keywords from registered nationals: check-in answers, help requests, stop and start."""

import pytest

from lifeline.messaging.channels.inbound import sms_received
from lifeline.nationals.models import Consent, Purpose


@pytest.fixture
def crisis_with_request(post_amman, make_registration, jordan):
    from lifeline.crises.models import CheckInRequest, Crisis
    from lifeline.crises.services import start_campaign

    person = make_registration(post_amman, phone="+962790000101")
    crisis = Crisis.objects.create(organisation=post_amman, name="Floods", country=jordan)
    crisis.countries.set([jordan])
    campaign = start_campaign(crisis, {"en": "Are you safe?"})
    return person, CheckInRequest.objects.get(campaign=campaign, registration=person)


def test_safe_answers_the_open_check_in(crisis_with_request):
    person, request = crisis_with_request
    sms_received.send(sender=None, phone="+962790000101", keyword="safe", text="SAFE", language="en")
    request.refresh_from_db()
    assert request.status == "safe" and request.via == "sms"


def test_help_without_a_check_in_opens_a_case(post_amman, make_registration):
    from lifeline.cases.models import Case

    person = make_registration(post_amman, phone="+962790000102")
    sms_received.send(
        sender=None,
        phone="+962790000102",
        keyword="help",
        text="HELP my employer took my passport",
        language="en",
    )
    case = Case.objects.get(registration=person)
    assert "passport" in case.summary


def test_stop_and_start_change_consent_to_alerts(post_amman, make_registration):
    person = make_registration(post_amman, phone="+962790000103")
    sms_received.send(sender=None, phone="+962790000103", keyword="stop", text="STOP", language="en")
    assert Consent.objects.get(registration=person, purpose=Purpose.CRISIS_MESSAGES).granted is False
    sms_received.send(sender=None, phone="+962790000103", keyword="start", text="START", language="en")
    assert Consent.objects.get(registration=person, purpose=Purpose.CRISIS_MESSAGES).granted is True


def test_unknown_number_changes_nothing(post_amman, make_registration):
    from lifeline.nationals.inbound import act_on_keyword

    make_registration(post_amman, phone="+962790000104")
    assert act_on_keyword("+962790009999", "help", "HELP") == ""
    assert not Consent.objects.filter(purpose=Purpose.CRISIS_MESSAGES, granted=False).exists()
