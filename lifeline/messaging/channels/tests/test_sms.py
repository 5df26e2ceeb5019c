import json

import pytest

from lifeline.messaging.channels import get_channel
from lifeline.messaging.channels.sms import lookup, render
from tests.rigs.gateway import Gateway

from .conftest import message


def test_it_sends_one_message(sms, gateway):
    [result] = sms.send_batch([message(7, address="+962 79 123 4567")])
    assert result.ok and not result.retryable and not result.delivered
    assert result.delivery_id == 7
    assert result.parts == 1
    [received] = gateway.received()
    assert received["to"] == "+962791234567"
    assert received["text"] == "Move to higher ground now."
    assert received["reference"] == "7"
    assert result.provider_id == received["id"]


def test_it_prefers_the_short_text(sms, gateway):
    sms.send_batch([message(short="Flood: go uphill now.")])
    assert gateway.received()[0]["text"] == "Flood: go uphill now."


def test_it_sends_a_batch_in_one_request_and_keeps_the_order(sms_batch, gateway):
    messages = [message(i, address=f"+96279123{i:04d}") for i in range(1, 251)]
    results = sms_batch.send_batch(messages)
    assert [r.delivery_id for r in results] == list(range(1, 251))
    assert all(r.ok for r in results)
    assert gateway.requests == 3  # 100 + 100 + 50
    received = {m["reference"]: m for m in gateway.received()}
    assert len(received) == 250
    for r in results:
        assert received[str(r.delivery_id)]["id"] == r.provider_id


def test_unicode_texts_arrive_intact(sms_batch, gateway):
    texts = {
        1: "تحذير: فيضانات في عمّان. توجهوا إلى مكان مرتفع.",
        2: "Внимание: наводнение. Поднимитесь выше.",
        3: "Babala: baha sa Amman. Pumunta sa mataas na lugar. Sumagot ng LIGTAS.",
        4: 'Quotes " and \\ backslashes {to} and a\nnew line',
    }
    results = sms_batch.send_batch([message(i, short=t) for i, t in texts.items()])
    assert all(r.ok for r in results)
    assert {int(m["reference"]): m["text"] for m in gateway.received()} == texts
    assert all(m["to"] == "+962791234567" for m in gateway.received())


def test_a_long_text_is_sent_once_and_reports_its_parts(sms, gateway):
    text = "ж" * 150  # UCS-2: 67 + 67 + 16
    [result] = sms.send_batch([message(short=text)])
    assert result.ok and result.parts == 3
    assert [m["text"] for m in gateway.received()] == [text]


def test_a_template_with_part_splits_the_text(settings, gateway):
    settings.SMS_GATEWAY_URL = gateway.url + "/send"
    settings.SMS_GATEWAY_TEMPLATE = (
        '{"to": "{to}", "text": "{text}", "reference": "{id}", "part": "{part}", "parts": "{parts}"}'
    )
    text = "a" * 200
    [result] = get_channel("sms").send_batch([message(9, short=text)])
    received = gateway.received()
    assert [(m["reference"], m["part"], m["parts"]) for m in received] == [("9-1", 1, 2), ("9-2", 2, 2)]
    assert "".join(m["text"] for m in received) == text
    assert result.ok and result.parts == 2 and result.provider_id == received[0]["id"]


def test_a_5xx_is_retryable(settings):
    with Gateway(failure_rate=1.0) as gw:
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        [result] = get_channel("sms").send_batch([message()])
    assert not result.ok and result.retryable
    assert "503" in result.error


def test_a_5xx_on_a_batch_makes_every_message_retryable(settings):
    with Gateway(failure_rate=1.0) as gw:
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        settings.SMS_GATEWAY_BATCH_URL = gw.url + "/batch"
        settings.SMS_GATEWAY_BATCH = '{"messages": "{messages}"}'
        results = get_channel("sms").send_batch([message(1), message(2)])
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, True)]


def test_a_4xx_is_not_retryable(settings):
    with Gateway(reject={"+962791234567"}) as gw:
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        [result] = get_channel("sms").send_batch([message()])
    assert not result.ok and not result.retryable
    assert "400" in result.error and "rejected" in result.error


def test_a_refused_number_in_a_batch_fails_only_that_message(settings):
    with Gateway(reject={"+962791230002"}) as gw:
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        settings.SMS_GATEWAY_BATCH_URL = gw.url + "/batch"
        settings.SMS_GATEWAY_BATCH = '{"messages": "{messages}"}'
        results = get_channel("sms").send_batch([message(i, address=f"+96279123000{i}") for i in (1, 2, 3)])
        assert gw.count == 2
    assert [r.ok for r in results] == [True, False, True]
    assert not results[1].retryable and "rejected" in results[1].error


def test_a_timeout_is_retryable(settings):
    with Gateway(latency=1.0) as gw:
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        settings.SMS_GATEWAY_TIMEOUT = 0.2
        [result] = get_channel("sms").send_batch([message()])
    assert not result.ok and result.retryable


def test_an_unreachable_gateway_is_retryable(settings):
    with Gateway() as gw:
        url = gw.url
    settings.SMS_GATEWAY_URL = url + "/send"  # closed port
    [result] = get_channel("sms").send_batch([message()])
    assert not result.ok and result.retryable


def test_bad_numbers_and_empty_texts_fail_without_a_request(sms, gateway):
    results = sms.send_batch(
        [
            message(1, address="not a phone"),
            message(2, address="+96212"),
            message(3, body="", short=""),
            message(4),
        ]
    )
    assert [r.ok for r in results] == [False, False, False, True]
    assert not any(r.retryable for r in results)
    assert gateway.requests == 1


def test_no_gateway_configured_fails_clearly(settings):
    settings.SMS_GATEWAY_URL = ""
    [result] = get_channel("sms").send_batch([message()])
    assert not result.ok and "gateway" in result.error.lower()


def test_headers_from_settings_are_sent(settings, gateway):
    settings.SMS_GATEWAY_URL = gateway.url + "/send"
    settings.SMS_GATEWAY_HEADERS = '{"Authorization": "Bearer gw-token"}'
    get_channel("sms").send_batch([message()])
    assert gateway.headers_seen[0]["Authorization"] == "Bearer gw-token"


def test_templates_are_filled_in_parsed_json_never_in_text():
    template = json.loads(
        '{"to": "{to}", "body": {"text": "Alert: {text}"}, "n": "{parts}", "tags": ["{id}"]}'
    )
    body = render(template, {"to": "+1", "text": '"}, "evil": {"x', "id": "5", "parts": 2, "part": 1})
    assert body == {"to": "+1", "body": {"text": 'Alert: "}, "evil": {"x'}, "n": 2, "tags": ["5"]}
    assert json.loads(json.dumps(body)) == body


def test_response_paths():
    data = {"result": {"messages": [{"id": "a"}, {"id": "b"}]}}
    assert lookup(data, "result.messages.*.id") == ["a", "b"]
    assert lookup(data, "result.messages.1.id") == ["b"]
    assert lookup(data, "result.missing") == []


def test_rate_comes_from_settings(settings):
    settings.MESSAGING_RATES = {"email": 20, "sms": 350, "push": 200}
    assert get_channel("sms").rate_per_second == 350.0
    assert get_channel("email").rate_per_second == 20.0
    assert get_channel("manual").rate_per_second > 0


def test_channels_are_cached_and_unknown_names_refused(settings):
    assert get_channel("manual") is get_channel("manual")
    with pytest.raises(LookupError):
        get_channel("carrier-pigeon")


def test_a_template_that_is_not_json_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"
    settings.SMS_GATEWAY_TEMPLATE = '{"to": "{to}", '
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_TEMPLATE"):
        get_channel("sms")


def test_single_requests_run_concurrently_and_keep_the_order(settings):
    with Gateway(latency=0.02) as gw:
        settings.SMS_GATEWAY_URL = gw.url + "/send"
        settings.SMS_GATEWAY_CONCURRENCY = 8
        results = get_channel("sms").send_batch(
            [message(i, address=f"+96279123{i:04d}") for i in range(1, 41)]
        )
        by_id = {m["id"]: m for m in gw.received()}
    assert [r.delivery_id for r in results] == list(range(1, 41))
    assert all(by_id[r.provider_id]["reference"] == str(r.delivery_id) for r in results)
