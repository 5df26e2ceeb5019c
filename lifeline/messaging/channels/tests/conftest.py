import pytest

from lifeline.messaging.channels import get_channel, reset_channels
from lifeline.messaging.channels.base import OutboundMessage
from tests.rigs.gateway import Gateway

SECRET = "s3cret-for-tests"


def message(
    delivery_id=1,
    address="+962791234567",
    language="en",
    subject="Flood warning",
    body="Move to higher ground now.",
    short="",
    unsubscribe_url="https://lifeline.example/u/abc",
):
    return OutboundMessage(delivery_id, address, language, subject, body, short, unsubscribe_url)


@pytest.fixture(autouse=True)
def fresh_channels():
    reset_channels()
    yield
    reset_channels()


@pytest.fixture
def gateway():
    with Gateway() as gw:
        yield gw


@pytest.fixture
def sms(settings, gateway):
    """The SMS channel pointed at the loopback gateway, one request per message."""
    settings.SMS_GATEWAY_URL = gateway.url + "/send"
    settings.SMS_GATEWAY_BATCH = ""
    return get_channel("sms")


@pytest.fixture
def sms_batch(settings, gateway):
    settings.SMS_GATEWAY_URL = gateway.url + "/send"
    settings.SMS_GATEWAY_BATCH_URL = gateway.url + "/batch"
    settings.SMS_GATEWAY_BATCH = '{"messages": "{messages}"}'
    return get_channel("sms")


@pytest.fixture
def webhook_secret(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET
    settings.SMS_WEBHOOK_HEADER = "X-Webhook-Signature"
    settings.SMS_WEBHOOK_TIMESTAMP_HEADER = "X-Webhook-Timestamp"
    return SECRET
