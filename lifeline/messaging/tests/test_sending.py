import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifeline.core.languages import choose as choose_language
from lifeline.core.models import Role
from lifeline.messaging import services
from lifeline.messaging.models import DeadLetter, Delivery, Send, SendStatus, State
from lifeline.messaging.tests.conftest import people

TEXTS = {
    "en": {"subject": "Flood", "body": "Flood warning in Amman.", "short": "Flood warning"},
    "ar": {"subject": "فيضان", "body": "تحذير من فيضان في عمان.", "short": "تحذير فيضان"},
    "fil": {"subject": "Baha", "body": "Babala sa baha sa Amman.", "short": "Babala baha"},
}


def test_choose_language_takes_the_first_preferred_the_texts_have():
    assert choose_language(["so", "ar", "en"], ["en", "ar"], ["en"]) == "ar"


def test_choose_language_matches_the_primary_subtag_both_ways():
    assert choose_language(["fil-PH"], ["en", "fil"], ["en"]) == "fil"
    assert choose_language(["pt"], ["en", "pt-BR"], ["en"]) == "pt-BR"


def test_choose_language_falls_back_along_the_chain_then_gives_none():
    assert choose_language(["so"], ["fr", "en"], ["ar", "fr"]) == "fr"
    assert choose_language([], ["en"], ["en"]) == "en"
    assert choose_language(["so"], ["fr"], ["en"]) is None


def _send(run, org_a, user, audience, channels=("sms", "email"), texts=TEXTS):
    return run(
        services.start_send,
        organisation=org_a,
        user=user,
        name="Flood",
        audience=audience,
        texts=texts,
        channels=list(channels),
    )


def test_a_send_reaches_everyone_once_in_their_language(run, org_a, make_user, outbox, settings):
    user = make_user(org_a)
    send = _send(run, org_a, user, people(10, sms="+96279000{i:04d}"))
    send.refresh_from_db()
    assert send.status == SendStatus.DONE and send.total == 10 and send.batches == 4  # batches of 3
    assert sorted(m.address for _c, m in outbox) == [f"+96279000{i:04d}" for i in range(10)]
    by_address = {m.address: m for _c, m in outbox}
    assert by_address["+962790000001"].language == "ar" and by_address["+962790000001"].short == "تحذير فيضان"
    assert by_address["+962790000000"].language == "fil"  # fil-PH takes the Filipino text
    assert all("/messaging/unsubscribe/" in m.unsubscribe_url for _c, m in outbox)
    assert set(Delivery.objects.filter(send=send).values_list("state", flat=True)) == {State.SENT}


def test_running_a_send_again_never_duplicates(run, org_a, make_user, outbox):
    send = _send(run, org_a, make_user(org_a), people(7, sms="+96279000{i:04d}"))
    # As if the resolver had died before its cursor was stored: it starts again from the beginning.
    Send.objects.filter(pk=send.pk).update(cursor="", batches=0, resolved=None, status=SendStatus.RESOLVING)
    run(services.resolve_send, send.pk, lambda batch: services.deliver_batch(send.pk, batch))
    for batch in range(1, 4):
        services.deliver_batch(send.pk, batch)
    assert Delivery.objects.filter(send=send).count() == 7
    assert len(outbox) == 7


def test_a_claimed_batch_is_not_sent_by_a_second_worker(run, org_a, make_user, outbox):
    send = Send.objects.create(
        organisation=org_a, name="x", audience=people(3, sms="+9627900{i:05d}"), texts=TEXTS, channels=["sms"]
    )
    services.resolve_send(send.pk, lambda batch: None)
    mine = services.claim_batch(send.pk, 1, "worker-a")
    assert len(mine) == 3
    assert services.claim_batch(send.pk, 1, "worker-b") == []
    # The same task, re-delivered after its worker died, takes back what it had claimed.
    assert len(services.claim_batch(send.pk, 1, "worker-a")) == 3


def test_failure_moves_to_the_next_channel_and_counts_once(run, org_a, make_user, outbox):
    audience = {
        "kind": "static",
        "recipients": [
            {"key": "a", "languages": ["en"], "addresses": {"push": "bounce-1", "sms": "+962790000001"}},
            {"key": "b", "languages": ["en"], "addresses": {"push": "bounce-2", "email": "b@example.org"}},
            {"key": "c", "languages": ["en"], "addresses": {"push": "bounce-3"}},
            {"key": "d", "languages": ["en"], "addresses": {"whatsapp": "+962790000004"}},
        ],
    }
    send = _send(run, org_a, make_user(org_a), audience, channels=("push", "sms", "email"))
    rows = {d.recipient_key: d for d in Delivery.objects.filter(send=send)}
    assert len(rows) == 4
    assert (rows["a"].channel, rows["a"].state) == ("sms", State.SENT)
    assert (rows["b"].channel, rows["b"].state) == ("email", State.SENT)
    assert rows["c"].state == State.FAILED and rows["c"].error == "address refused"
    assert rows["d"].state == State.FAILED
    letters = {
        letter.delivery.recipient_key: letter.reason for letter in DeadLetter.objects.filter(send=send)
    }
    assert set(letters) == {"c", "d"} and letters["c"] == "address refused"
    assert services.counts(send)["states"][State.FAILED] == 2


def test_retryable_failures_wait_with_backoff_then_the_sweep_sends_them(
    run, org_a, make_user, outbox, settings
):
    settings.MESSAGING_CHANNEL_CLASSES["sms"] = "lifeline.messaging.tests.channels.Sms"
    send = _send(
        run,
        org_a,
        make_user(org_a),
        {"kind": "static", "recipients": [{"key": "a", "languages": ["en"], "addresses": {"sms": "flaky"}}]},
        channels=("sms",),
    )
    delivery = Delivery.objects.get(send=send)
    assert delivery.state == State.QUEUED and delivery.attempts == 1 and delivery.error == "timeout"
    assert delivery.not_before > timezone.now()
    # Before the backoff is over the sweep leaves it; after, it retries (and fails again, attempt 2).
    assert run(services.sweep) == set()
    later = delivery.not_before + datetime.timedelta(seconds=1)
    batches = run(services.sweep, now=later)
    assert batches == {(send.pk, 1)}


def test_a_channel_that_raises_is_a_retryable_failure_not_a_crash(run, org_a, make_user, settings):
    settings.MESSAGING_CHANNEL_CLASSES["email"] = "lifeline.messaging.tests.channels.Broken"
    send = _send(run, org_a, make_user(org_a), people(2, email="p{i}@example.org"), channels=("email",))
    states = set(Delivery.objects.filter(send=send).values_list("state", "error"))
    assert states == {(State.QUEUED, "gateway down")}


def test_receipts_are_idempotent_and_a_failed_receipt_falls_back(run, org_a, make_user, outbox):
    audience = {
        "kind": "static",
        "recipients": [
            {"key": "a", "languages": ["en"], "addresses": {"push": "sub-1", "sms": "+962790000001"}},
            {"key": "b", "languages": ["en"], "addresses": {"push": "sub-2"}},
        ],
    }
    send = _send(run, org_a, make_user(org_a), audience, channels=("push", "sms"))
    a, b = Delivery.objects.filter(send=send).order_by("recipient_key")
    assert services.record_receipt("push", b.provider_id, "delivered").pk == b.pk
    services.record_receipt("push", b.provider_id, "delivered")
    b.refresh_from_db()
    assert b.state == State.DELIVERED
    run(services.record_receipt, "push", a.provider_id, "failed", "expired subscription")
    a.refresh_from_db()
    assert (a.channel, a.state) == ("sms", State.SENT)
    assert [m.address for c, m in outbox if c == "sms"] == ["+962790000001"]
    assert services.record_receipt("push", "no-such-id", "delivered") is None
    with pytest.raises(ValidationError):
        services.record_receipt("push", a.provider_id, "opened")


def test_a_push_not_delivered_in_time_goes_by_sms(run, org_a, make_user, outbox, settings):
    settings.MESSAGING_FALLBACK_AFTER = 60
    audience = {
        "kind": "static",
        "recipients": [
            {"key": "a", "languages": ["en"], "addresses": {"push": "sub", "sms": "+962790000001"}}
        ],
    }
    send = _send(run, org_a, make_user(org_a), audience, channels=("push", "sms"))
    assert run(services.check_fallbacks) == 0  # not overdue yet
    assert run(services.check_fallbacks, now=timezone.now() + datetime.timedelta(seconds=61)) == 1
    delivery = Delivery.objects.get(send=send)
    assert (delivery.channel, delivery.state) == ("sms", State.SENT)
    assert [c for c, _m in outbox] == ["push", "sms"]


def test_answers_are_counted(run, org_a, make_user):
    send = _send(run, org_a, make_user(org_a), people(3, sms="+96279000{i:04d}"))
    assert services.mark_answered(send, "p:0001") is True
    assert services.mark_answered(send, "nobody") is False
    assert services.counts(send)["states"][State.ANSWERED] == 1


def test_bad_texts_and_channels_are_refused_and_nothing_is_stored(org_a, make_user):
    user = make_user(org_a)
    for texts, channels in (
        ({}, ["sms"]),
        ({"xx-notalang": {"body": "x"}}, ["sms"]),
        ({"en": {"body": " "}}, ["sms"]),
        (TEXTS, []),
        (TEXTS, ["sms", "sms"]),
        (TEXTS, ["pigeon"]),
    ):
        with pytest.raises(ValidationError):
            services.start_send(
                organisation=org_a,
                user=user,
                name="x",
                audience=people(1, sms="+962790000000"),
                texts=texts,
                channels=channels,
            )
    with pytest.raises(ValidationError):
        services.start_send(
            organisation=org_a, user=user, name="x", audience={"kind": "nope"}, texts=TEXTS, channels=["sms"]
        )
    assert not Send.objects.exists()


def test_a_viewer_may_not_send_to_subscribers(org_a, make_user):
    viewer = make_user(org_a, role=Role.PARTNER)
    with pytest.raises(ValidationError):
        services.start_send(
            organisation=org_a,
            user=viewer,
            name="x",
            audience={"kind": "subscribers"},
            texts=TEXTS,
            channels=["sms"],
        )


def test_the_tick_command_runs_due_retries(run, org_a, make_user, outbox, settings):
    from io import StringIO

    from django.core.management import call_command

    send = _send(
        run,
        org_a,
        make_user(org_a),
        {"kind": "static", "recipients": [{"key": "a", "languages": ["en"], "addresses": {"sms": "flaky"}}]},
        channels=("sms",),
    )
    Delivery.objects.filter(send=send).update(not_before=timezone.now() - datetime.timedelta(seconds=1))
    out = StringIO()
    run(call_command, "messaging_tick", stdout=out)
    assert out.getvalue().startswith("1 batches re-queued")
    assert Delivery.objects.get(send=send).attempts == 2
