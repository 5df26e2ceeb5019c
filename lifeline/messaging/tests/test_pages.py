from django.urls import reverse

from lifeline.core.models import AuditAction, AuditEntry, Role
from lifeline.messaging import services
from lifeline.messaging.models import AlertSubscriber, Delivery, Send, State
from lifeline.messaging.tests.conftest import people

TEXTS = {"en": {"subject": "Heat", "body": "Heat wave: drink water.", "short": "Heat wave"}}


def _compose_data(org, areas=(), action="preview", **extra):
    data = {
        "name": "Heat wave",
        "organisation": org.pk,
        "kind": "subscribers",
        "areas": [a.pk for a in areas],
        "countries": "",
        "channel_1": "sms",
        "channel_2": "email",
        "channel_3": "",
        "texts-TOTAL_FORMS": "3",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "20",
        "texts-0-language": "en",
        "texts-0-subject": "Heat",
        "texts-0-body": "Heat wave: drink water.",
        "texts-0-short": "",
        "texts-1-language": "Arabic",
        "texts-1-body": "موجة حر: اشرب الماء.",
        "texts-2-language": "",
        "action": action,
    }
    data.update(extra)
    return data


def _subscriber(org, areas, channel="sms", address="+962791234567", languages=("ar",), confirmed=True):
    s = AlertSubscriber.objects.create(
        organisation=org, channel=channel, address=address, languages=list(languages), confirmed=confirmed
    )
    s.areas.set(areas)
    return s


def test_compose_previews_languages_then_sends(org_a, areas, make_user, login, run, outbox):
    _subscriber(org_a, [areas["amman"]], address="+962791234567", languages=["ar"])
    _subscriber(org_a, [areas["amman"]], address="+962791234568", languages=["so", "en"])
    _subscriber(org_a, [areas["irbid"]], address="+962791234569", languages=["en"])
    _subscriber(org_a, [areas["amman"]], address="+962791234570", confirmed=False)
    client = login(make_user(org_a))
    url = reverse("messaging:compose")
    assert client.get(url).status_code == 200
    page = client.post(url, _compose_data(org_a, [areas["amman"]]))
    assert page.status_code == 200
    preview = page.context["preview"]
    assert preview["total"] == 2 and preview["by_language"] == {"ar": 1, "en": 1}
    assert preview["missing_languages"] == {"so": 1}
    assert not Send.objects.exists()
    response = run(client.post, url, _compose_data(org_a, [areas["amman"]], action="send"))
    send = Send.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("messaging:detail", args=[send.pk])
    assert sorted(m.address for _c, m in outbox) == ["+962791234567", "+962791234568"]
    dashboard = client.get(reverse("messaging:detail", args=[send.pk]))
    assert dashboard.status_code == 200 and dashboard.context["counts"]["states"][State.SENT] == 2
    assert client.get(reverse("messaging:counts", args=[send.pk])).json()["done"] == 2


def test_compose_refuses_bad_input_with_reasons_and_sends_nothing(org_a, make_user, login):
    client = login(make_user(org_a))
    url = reverse("messaging:compose")
    bad = _compose_data(org_a, action="send", **{"texts-0-language": "notalanguage", "channel_2": "sms"})
    page = client.post(url, bad)
    assert page.status_code == 200
    assert page.context["form"].errors and page.context["texts"].errors
    empty = _compose_data(
        org_a,
        action="send",
        **{
            "texts-0-language": "",
            "texts-0-subject": "",
            "texts-0-body": "",
            "texts-1-language": "",
            "texts-1-body": "",
        },
    )
    page = client.post(url, empty)
    assert page.status_code == 200 and page.context["texts"].non_form_errors()
    assert not Send.objects.exists()


def test_a_viewer_can_see_but_not_compose(org_a, make_user, login):
    client = login(make_user(org_a, role=Role.VIEWER))
    assert client.get(reverse("messaging:list")).status_code == 200
    assert client.get(reverse("messaging:compose")).status_code == 403
    assert client.post(reverse("messaging:compose"), _compose_data(org_a, action="send")).status_code == 403
    assert not Send.objects.exists()


def test_another_organisation_cannot_see_a_send(org_a, org_b, make_user, login, run):
    send = run(
        services.start_send,
        organisation=org_a,
        user=make_user(org_a),
        name="A's",
        audience=people(2, sms="+96279000{i:04d}"),
        texts=TEXTS,
        channels=["sms"],
    )
    client = login(make_user(org_b))
    assert client.get(reverse("messaging:detail", args=[send.pk])).status_code == 404
    assert client.get(reverse("messaging:counts", args=[send.pk])).status_code == 404
    assert send not in client.get(reverse("messaging:list")).context["object_list"]


def test_dead_letters_list_only_the_users_organisations(org_a, org_b, make_user, login, run):
    audience = {
        "kind": "static",
        "recipients": [{"key": "x", "languages": ["en"], "addresses": {"sms": "bounce"}}],
    }
    run(
        services.start_send,
        organisation=org_a,
        user=make_user(org_a),
        name="A",
        audience=audience,
        texts=TEXTS,
        channels=["sms"],
    )
    mine = login(make_user(org_a)).get(reverse("messaging:dead_letters"))
    assert [letter.reason for letter in mine.context["object_list"]] == ["address refused"]
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="messaging.deadletter").count() == 1
    theirs = login(make_user(org_b)).get(reverse("messaging:dead_letters"))
    assert list(theirs.context["object_list"]) == []


def test_subscribe_confirm_and_unsubscribe_without_logging_in(client, org_a, areas, run, outbox):
    data = {
        "channel": "sms",
        "address": "+962 7 9123 4567",
        "languages": "Arabic, en",
        "areas": "Amman",
    }
    response = run(client.post, reverse("messaging:subscribe"), data)
    subscriber = AlertSubscriber.objects.get()
    assert response.status_code == 302 and subscriber.token in response["Location"]
    assert (
        subscriber.address == "+962791234567"
        and subscriber.languages == ["ar", "en"]
        and not subscriber.confirmed
    )
    again = run(client.post, reverse("messaging:subscribe"), data)  # at once: no second code
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    # The code went to the address, through the messaging engine.
    ((_channel, message),) = outbox
    assert message.address == "+962791234567"
    code = message.body.split()[3].rstrip(".")
    confirm = reverse("messaging:confirm", args=[subscriber.token])
    wrong = client.post(confirm, {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.post(confirm, {"code": code}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed
    # Every message carries a one-step unsubscribe link for its recipient.
    send = run(
        services.start_send,
        organisation=org_a,
        user=None,
        name="Alert",
        audience={"kind": "subscribers", "organisation_ids": [org_a.pk]},
        texts=TEXTS,
        channels=["sms"],
    )
    link = [m for _c, m in outbox if m.body == TEXTS["en"]["body"]][0].unsubscribe_url
    assert Delivery.objects.get(send=send).recipient_key.startswith("subscriber:")
    path = link[link.index("/messaging/") :]
    assert client.get(path).status_code == 200
    assert AlertSubscriber.objects.exists()
    assert client.post(path).status_code == 200
    assert not AlertSubscriber.objects.exists()
    assert client.post(path).status_code == 200  # twice is fine
    assert client.post(reverse("messaging:unsubscribe", args=["forged.token"])).status_code == 404


def test_subscribe_refuses_bad_addresses_and_languages(client, org_a, areas):
    url = reverse("messaging:subscribe")
    for address, channel, languages in (
        ("12", "sms", "ar"),
        ("not-an-email", "email", "en"),
        ("+962791234567", "sms", "Qwertyuiop"),
    ):
        data = {
            "channel": channel,
            "address": address,
            "languages": languages,
            "areas": "Amman",
        }
        page = client.post(url, data)
        assert page.status_code == 200 and page.context["form"].errors
    assert not AlertSubscriber.objects.exists()


def test_five_wrong_codes_void_the_confirmation(client, org_a, areas):
    from lifeline.messaging import services

    subscriber, code = services.subscribe(
        channel="sms", address="+962791234567", languages=["ar"], areas=[areas["amman"]]
    )
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        assert services.confirm_subscription(subscriber.token, wrong) is False
    assert services.confirm_subscription(subscriber.token, code) is False
    subscriber.refresh_from_db()
    assert not subscriber.confirmed
