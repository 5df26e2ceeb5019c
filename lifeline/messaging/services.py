"""Sending: the one place for every rule of the messaging engine.

``start_send`` stores a send and enqueues one task; ``resolve_send`` (that task)
pages through the audience, creates deliveries in bulk (unique per recipient)
and enqueues one delivery task per batch; ``deliver_batch`` claims the batch's
queued deliveries with a conditional UPDATE, sends them through the channels
and records the results; failures move to the recipient's next channel or, when
none is left, to the dead letters. Views, API, commands and tasks call these.
"""

import datetime
import logging
import uuid
from collections import Counter, defaultdict

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lifeline.core import audit, languages
from lifeline.core import languages as languages_module
from lifeline.core.bulk import insert_rows
from lifeline.core.fields import blind_index
from lifeline.core.http import public_send_refused
from lifeline.messaging import audiences, ratelimit
from lifeline.messaging.models import (
    FINAL_STATES,
    AlertSubscriber,
    ChannelName,
    DeadLetter,
    Delivery,
    Send,
    SendStatus,
    State,
)

log = logging.getLogger(__name__)
try:  # COPY runs on the driver's cursor, whose errors Django does not wrap
    from psycopg import IntegrityError as DriverIntegrityError

    INTEGRITY_ERRORS = (IntegrityError, DriverIntegrityError)
except ImportError:  # pragma: no cover - SQLite-only installs
    INTEGRITY_ERRORS = (IntegrityError,)
UNSUBSCRIBE_SALT = "lifeline.messaging.unsubscribe"
CHANGE_SALT = "lifeline.messaging.change-subscription"
CHANGE_MAX_AGE = (
    366 * 24 * 3600
)  # a "change my places" link works for a year after the message that carried it
TEXT_PARTS = ("subject", "body", "short")
MAX_CODE_ATTEMPTS = 5


def batch_size():
    return settings.MESSAGING_BATCH_SIZE


def fallback_after():
    return settings.MESSAGING_FALLBACK_AFTER


def max_attempts():
    return settings.MESSAGING_MAX_ATTEMPTS


def claim_timeout():
    return settings.MESSAGING_CLAIM_TIMEOUT


_overrides = {}


def get_channel(name):
    """The channel that carries ``name``; ``settings.MESSAGING_CHANNEL_CLASSES`` may replace one (loopback, tests)."""
    override = settings.MESSAGING_CHANNEL_CLASSES.get(name)
    if override:
        if _overrides.get(name, (None,))[0] != override:
            _overrides[name] = (override, import_string(override)())  # built once: it holds a connection pool
        return _overrides[name][1]
    from lifeline.messaging.channels import get_channel as channel

    return channel(name)


# Languages: which one a recipient gets is decided by ``lifeline.core.languages`` ----------


def clean_texts(texts):
    """{lang: {"subject", "body", "short"}} with normalised codes and a body in each, or ValidationError."""
    if not isinstance(texts, dict) or not texts:
        raise ValidationError(_("Write the message in at least one language."))
    cleaned = {}
    for code, parts in texts.items():
        tag = languages.normalise(code)
        if tag is None:
            raise ValidationError(_("“%(code)s” is not an ISO 639 language code.") % {"code": code})
        if not isinstance(parts, dict) or not str(parts.get("body", "")).strip():
            raise ValidationError(_("The message in %(code)s has no text.") % {"code": tag})
        cleaned[tag] = {p: str(parts.get(p, "") or "").strip() for p in TEXT_PARTS}
        if not cleaned[tag]["short"]:
            cleaned[tag]["short"] = cleaned[tag]["body"][:160]
    return cleaned


def clean_channels(channels):
    if not isinstance(channels, list) or not channels or len(set(channels)) != len(channels):
        raise ValidationError(_("Choose the channels, in the order to try them, each once."))
    unknown = [c for c in channels if c not in ChannelName.values]
    if unknown:
        raise ValidationError(_("Unknown channel “%(name)s”.") % {"name": unknown[0]})
    return list(channels)


# Starting a send ------------------------------------------------------------------


def start_send(*, organisation, user, name, audience, texts, channels, fallback_languages=None, source=""):
    """Store the send (audience definition, texts, channel order) and enqueue the one task that fans it out."""
    from lifeline.messaging import tasks

    if user is None and isinstance(audience, dict):
        audience = {
            "organisation_ids": [organisation.pk],
            **audience,
        }  # a system send reaches its own organisation's people
    definition = audiences.check(audience, user)
    channels = clean_channels(channels)
    if user is not None:  # a person's send that would reach nobody is refused, with the reason
        problem = refusal(definition, *_reach(definition, channels))
        if problem:
            raise ValidationError(f"{problem} {_('Nothing was sent.')}")
    send = Send.objects.create(
        organisation=organisation,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        name=name[:200],
        audience=definition,
        texts=clean_texts(texts),
        channels=channels,
        fallback_languages=list(fallback_languages or []),
        source=source[:100],
    )
    transaction.on_commit(lambda: tasks.resolve_send.apply_async((send.pk,), queue=queue()))
    return send


def queue():
    return settings.MESSAGING_QUEUE


def first_channel(order, addresses, after=None):
    """The first channel of the order, after ``after``, for which the recipient has an address."""
    start = order.index(after) + 1 if after in order else 0
    for name in order[start:]:
        if addresses.get(name):
            return name
    return None


def resolve_send(send_id, enqueue):
    """Page through the audience from the send's cursor; create deliveries; ``enqueue(batch)`` each batch.

    Safe to re-run after a crash: a batch and the cursor after it are stored in one
    transaction, and deliveries are unique per (send, recipient). A batch stored
    but not enqueued (a crash in between) is re-enqueued by the periodic ``sweep``.
    """
    send = Send.objects.get(pk=send_id)
    if send.status == SendStatus.DONE or send.resolved:
        return
    if send.started is None:
        Send.objects.filter(pk=send.pk).update(status=SendStatus.RESOLVING, started=timezone.now())
    fallback = send.fallback_languages or None  # None: the deployment's default languages
    size = batch_size()
    cursor, batch = send.cursor, send.batches
    while True:
        recipients = audiences.resolve(send.audience, after=cursor, limit=size)
        if not recipients:
            break
        batch += 1
        rows = []
        for r in recipients:
            channel = first_channel(send.channels, r.addresses)
            language = send.texts.language_for(r.languages, fallback)
            rows.append(
                {
                    "send_id": send.pk,
                    "batch": batch,
                    "recipient_key": r.key[:200],
                    "language": language,
                    "addresses": r.addresses,
                    "channel": channel or "",
                    "state": State.QUEUED if channel else State.FAILED,
                    "error": "" if channel else "no address",
                    "attempts": 0,
                    "provider_id": "",
                    "claim": "",
                }
            )
        with transaction.atomic():
            # The send's row lock orders resolvers of the same send (a re-delivered task while the first still runs):
            # a batch is stored once, with the cursor that follows it.
            stored = Send.objects.select_for_update().values_list("cursor", "batches").get(pk=send.pk)
            if stored != (cursor, batch - 1):
                cursor, batch = stored
                continue
            try:
                with transaction.atomic():
                    insert_rows(Delivery, rows)  # COPY on PostgreSQL
            except (
                INTEGRITY_ERRORS
            ):  # some are stored already (a cursor lost in a crash): ON CONFLICT DO NOTHING
                Delivery.objects.bulk_create([Delivery(**row) for row in rows], ignore_conflicts=True)
            if any(row["state"] == State.FAILED for row in rows):
                DeadLetter.objects.bulk_create(
                    [
                        DeadLetter(
                            send_id=send.pk,
                            delivery_id=pk,
                            reason=_("No address for any of the send's channels."),
                        )
                        for pk in Delivery.objects.filter(
                            send_id=send.pk, batch=batch, state=State.FAILED
                        ).values_list("pk", flat=True)
                    ],
                    ignore_conflicts=True,
                )
            cursor = recipients[-1].key
            Send.objects.filter(pk=send.pk).update(cursor=cursor, batches=batch, status=SendStatus.SENDING)
        enqueue(batch)
        if len(recipients) < size:
            break
    total = Delivery.objects.filter(send_id=send.pk).count()
    Send.objects.filter(pk=send.pk).update(total=total, resolved=timezone.now(), status=SendStatus.SENDING)
    finish_if_done(send.pk)


# Delivering a batch ---------------------------------------------------------------


def unsubscribe_token(recipient_key, salt=UNSUBSCRIBE_SALT):
    """A token naming the recipient, signed by ``django.core.signing`` (so ``SECRET_KEY_FALLBACKS``
    keep links in old messages working after a key rotation). ``salt`` keeps one kind of link from
    being used as another (an unsubscribe token does not open the "change my places" page)."""
    return signing.dumps(recipient_key, salt=salt)


def recipient_for_token(token, salt=UNSUBSCRIBE_SALT, max_age=None):
    """The recipient key a token names, or None if it was not made here (with ``salt``) or is older than ``max_age`` seconds."""
    try:
        key = signing.loads(token or "", salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return key if isinstance(key, str) else None


def change_token(subscriber):
    """The token of a subscriber's "change my places" link (``unsubscribe_token`` with its own salt)."""
    return unsubscribe_token(audiences.key("subscriber", subscriber.pk), salt=CHANGE_SALT)


def subscriber_for_change_token(token):
    """The subscriber a "change my places" token names, or None (forged, expired, or the subscription is gone)."""
    key = recipient_for_token(token, salt=CHANGE_SALT, max_age=CHANGE_MAX_AGE)
    if not key or not key.startswith("subscriber:"):
        return None
    return AlertSubscriber.objects.filter(pk=audiences.after_id(key)).first()


def change_url(subscriber):
    return _change_url_for_key(audiences.key("subscriber", subscriber.pk))


def _change_url_for_key(recipient_key):
    """Subscribers' messages carry a "change my places" link beside the unsubscribe one; others none."""
    if not recipient_key.startswith("subscriber:"):
        return ""
    token = unsubscribe_token(recipient_key, salt=CHANGE_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("messaging:change", args=[token])


_unsubscribe_base = {}


def unsubscribe_url(recipient_key):
    if "url" not in _unsubscribe_base:
        base = settings.SITE_URL.rstrip("/")
        _unsubscribe_base["url"] = base + reverse("messaging:unsubscribe", args=["TOKEN"]).replace(
            "TOKEN", "{}"
        )
    return _unsubscribe_base["url"].format(unsubscribe_token(recipient_key))


def _claimable(now, claim):
    """Queued and due; or being sent by an earlier run of this same task (it died), or by a claim gone stale."""
    due = Q(not_before__isnull=True) | Q(not_before__lte=now)
    return (Q(state=State.QUEUED) & due) | (
        Q(state=State.SENDING)
        & (Q(claim=claim) | Q(claimed__lt=now - datetime.timedelta(seconds=claim_timeout())))
    )


def claim_batch(send_id, batch, claim):
    """Mark the batch's claimable deliveries as ours with one conditional UPDATE; return them.

    Two workers running the same batch cannot both claim a delivery: the UPDATE's
    WHERE is re-checked under the row lock (PostgreSQL) or the database lock (SQLite).
    """
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(_claimable(now, claim), send_id=send_id, batch=batch).update(
            state=State.SENDING, claimed=now, claim=claim
        )
    return list(Delivery.objects.filter(send_id=send_id, batch=batch, state=State.SENDING, claim=claim))


def deliver_batch(send_id, batch, claim=None, retry_later=None):
    """Send the batch's due deliveries; returns the number sent. ``retry_later(seconds)`` re-runs the batch.

    On PostgreSQL a chunk is locked with SELECT ... FOR UPDATE SKIP LOCKED, sent,
    and its results stored in the same short transaction: a worker that dies
    releases its lock and leaves the chunk queued. Elsewhere the batch is claimed
    with a conditional UPDATE (``claim_batch``). Either way a worker that dies
    leaves at most one chunk uncertain; its re-run sends that chunk again with the
    same delivery ids, which the gateway takes as idempotency keys.
    """
    from django.db import connection

    send = Send.objects.get(pk=send_id)
    sent, again = 0, None
    if connection.features.has_select_for_update_skip_locked:
        while True:
            with transaction.atomic():
                now = timezone.now()
                due = Q(not_before__isnull=True) | Q(not_before__lte=now)
                chunk = list(
                    Delivery.objects.select_for_update(skip_locked=True)
                    .filter(due, send_id=send_id, batch=batch, state=State.QUEUED)
                    .order_by("pk")[: send_chunk()]
                )
                if not chunk:
                    break
                chunk_sent, chunk_again = _send_all(send, chunk)
            sent += chunk_sent
            again = (
                chunk_again
                if again is None
                else min(again, chunk_again if chunk_again is not None else again)
            )
    else:
        chunk_sent, again = _send_all(send, claim_batch(send_id, batch, claim or uuid.uuid4().hex))
        sent += chunk_sent
    if again is not None and retry_later is not None:
        retry_later(again)
    finish_if_done(send_id)
    return sent


def send_chunk():
    return settings.MESSAGING_SEND_CHUNK


def _send_all(send, deliveries):
    """Send deliveries through their channels, in chunks each channel takes; returns (sent, seconds to the next retry)."""
    by_channel = defaultdict(list)
    for d in deliveries:
        by_channel[d.channel].append(d)
    sent, again = 0, None
    for name, group in by_channel.items():
        channel = get_channel(name)
        size = max(1, int(getattr(channel, "max_batch", 100) or 100))
        for start in range(0, len(group), size):
            chunk_sent, chunk_again = _send_chunk(send, channel, name, group[start : start + size])
            sent += chunk_sent
            if chunk_again is not None:
                again = chunk_again if again is None else min(again, chunk_again)
    return sent, again


def mark_sent(pairs, now):
    """(delivery id, provider id) pairs → sent, in one UPDATE ... FROM a list passed as one or two parameters."""
    import json

    from django.db import connection

    table = connection.ops.quote_name(Delivery._meta.db_table)
    if connection.vendor == "postgresql":
        source, params = (
            "unnest(%s::bigint[], %s::text[]) AS v(id, provider)",
            [[p[0] for p in pairs], [p[1] for p in pairs]],
        )
    else:
        source = "(SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS provider FROM json_each(%s)) AS v"
        params = [json.dumps(pairs)]
    sql = (
        f"UPDATE {table} SET provider_id = v.provider, state = %s, attempts = attempts + 1, error = '', claim = '', "
        f"claimed = NULL, not_before = NULL, sent_at = %s, done_at = NULL FROM {source} WHERE {table}.id = v.id"
    )
    sent_at = Delivery._meta.get_field("sent_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [State.SENT, sent_at] + params)


def _message(send, name, d):
    from lifeline.messaging.channels.base import OutboundMessage

    text = send.texts.get(d.language) or send.texts.text_for([d.language])
    return OutboundMessage(
        delivery_id=d.pk,
        address=d.addresses.get(name, ""),
        language=d.language,
        subject=text["subject"],
        body=text["body"],
        short=text["short"],
        unsubscribe_url=unsubscribe_url(d.recipient_key),
        change_url=_change_url_for_key(d.recipient_key),
    )


def forget_address(channel, address):
    """The channel says this address is gone for good (an expired push subscription): stop using it."""
    if channel != "push" or not address:
        return
    import json

    from lifeline.core.fields import blind_index
    from lifeline.pwa.models import PushSubscription

    try:
        endpoint = json.loads(address).get("endpoint", "")
    except (ValueError, AttributeError):
        return
    PushSubscription.objects.filter(endpoint_index=blind_index(endpoint)).update(gone=True)


def _send_chunk(send, channel, name, chunk):
    """Send one chunk through one channel and store every result; returns (sent, seconds until a retry is due)."""
    messages = [_message(send, name, d) for d in chunk]
    ratelimit.take(name, len(messages), float(getattr(channel, "rate_per_second", 0) or 0))
    try:
        results = {r.delivery_id: r for r in channel.send_batch(messages)}
        error = _("The channel gave no result.")
    except Exception as exc:  # a channel that breaks is a retryable failure of the whole chunk
        log.warning("channel %s failed a chunk of send %s: %s", name, send.pk, exc)
        results, error = {}, (str(exc) or exc.__class__.__name__)
    now = timezone.now()
    sent, again, dead = 0, None, []
    for d in chunk:
        r = results.get(d.pk)
        d.attempts += 1
        d.claimed, d.claim = None, ""
        if r is not None and r.ok:
            d.state = State.DELIVERED if r.delivered else State.SENT
            d.provider_id, d.error, d.sent_at = (r.provider_id or "")[:200], "", now
            d.done_at = now if r.delivered else None
            sent += 1
        elif (r is None or r.retryable) and d.attempts < max_attempts():
            d.state, d.error = State.QUEUED, ((r.error if r else error) or "")[:300]
            wait = backoff(d.attempts)
            d.not_before = now + datetime.timedelta(seconds=wait)
            again = min(again if again is not None else wait, wait)
        else:
            if r is not None and getattr(r, "gone", False):
                forget_address(name, d.addresses.get(name, ""))
            reason = ((r.error if r else error) or _("Failed."))[:300]
            if move_to_next_channel(send, d, reason):
                again = 0
            else:
                dead.append((d, reason))
    with transaction.atomic():
        if sent == len(chunk) and all(d.state == State.SENT for d in chunk):
            # The common case, everything sent: one UPDATE (only the provider ids differ from row to row).
            mark_sent([(d.pk, d.provider_id) for d in chunk], now)
        else:
            Delivery.objects.bulk_update(
                chunk,
                [
                    "state",
                    "attempts",
                    "provider_id",
                    "error",
                    "claim",
                    "claimed",
                    "not_before",
                    "sent_at",
                    "done_at",
                    "channel",
                ],
            )
        DeadLetter.objects.bulk_create(
            [
                DeadLetter(send_id=send.pk, delivery_id=d.pk, channel=name, reason=reason)
                for d, reason in dead
            ],
            ignore_conflicts=True,
        )
    return sent, again


def backoff(attempt):
    """Seconds before retry number ``attempt``: 2, 4, 8 ... at most 10 minutes."""
    base = settings.MESSAGING_RETRY_BASE
    return min(600, base**attempt)


def move_to_next_channel(send, delivery, reason):
    """Queue the delivery on the recipient's next channel (same row: each delivery counts once), or fail it."""
    following = first_channel(send.channels, delivery.addresses, after=delivery.channel)
    if following is None:
        delivery.state, delivery.error, delivery.done_at = State.FAILED, reason[:300], timezone.now()
        return False
    delivery.channel, delivery.state, delivery.attempts = following, State.QUEUED, 0
    delivery.error, delivery.provider_id, delivery.not_before, delivery.sent_at = reason[:300], "", None, None
    return True


def finish_if_done(send_id):
    """Mark the send done once it is resolved and nothing is queued or being sent (two LIMIT 1 reads)."""
    open_send = Send.objects.filter(pk=send_id, resolved__isnull=False).exclude(status=SendStatus.DONE)
    if (
        open_send.exists()
        and not Delivery.objects.filter(send_id=send_id, state__in=(State.QUEUED, State.SENDING)).exists()
    ):
        open_send.update(status=SendStatus.DONE)


# After sending: receipts, fallbacks, answers ------------------------------------------


def record_receipt(channel, provider_id, status, error=""):
    """A delivery receipt from a channel: idempotent; a failure moves the delivery to its next channel.

    Returns the delivery, or None if no delivery has that provider id.
    """
    if status not in ("delivered", "failed") or not provider_id:
        raise ValidationError(_("A receipt needs a provider id and a status of delivered or failed."))
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("send")
            .filter(channel=channel, provider_id=provider_id)
            .first()
        )
        if delivery is None or delivery.state not in (State.SENT, State.DELIVERED):
            return delivery
        if status == "delivered":
            if delivery.state == State.SENT:
                Delivery.objects.filter(pk=delivery.pk, state=State.SENT).update(
                    state=State.DELIVERED, done_at=timezone.now()
                )
            return delivery
        moved = move_to_next_channel(delivery.send, delivery, error or _("Not delivered."))
        delivery.save(
            update_fields=[
                "state",
                "error",
                "done_at",
                "channel",
                "attempts",
                "provider_id",
                "not_before",
                "sent_at",
            ]
        )
        if not moved:
            DeadLetter.objects.get_or_create(
                delivery=delivery,
                defaults={"send": delivery.send, "channel": channel, "reason": delivery.error},
            )
        else:
            _rerun(delivery.send_id, delivery.batch)
    return delivery


def _rerun(send_id, batch, countdown=0):
    from lifeline.messaging import tasks

    transaction.on_commit(
        lambda: tasks.deliver.apply_async((send_id, batch), countdown=countdown, queue=queue())
    )


def check_fallbacks(now=None):
    """Sent but not delivered within MESSAGING_FALLBACK_AFTER on a channel that has receipts: try the next channel.

    Email and manual deliveries never report delivery, so they are not moved. Returns how many moved.
    """
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=fallback_after())
    overdue = Delivery.objects.filter(
        state=State.SENT, sent_at__lt=limit, channel__in=("push", "sms")
    ).select_related("send")
    moved, reruns = 0, set()
    for delivery in overdue.iterator(chunk_size=500):
        if first_channel(delivery.send.channels, delivery.addresses, after=delivery.channel) is None:
            continue
        with transaction.atomic():
            if not Delivery.objects.filter(pk=delivery.pk, state=State.SENT).exists():
                continue
            move_to_next_channel(delivery.send, delivery, _("Not delivered in time."))
            delivery.save(
                update_fields=[
                    "state",
                    "error",
                    "done_at",
                    "channel",
                    "attempts",
                    "provider_id",
                    "not_before",
                    "sent_at",
                ]
            )
        moved += 1
        reruns.add((delivery.send_id, delivery.batch))
    for send_id, batch in reruns:
        _rerun(send_id, batch)
    return moved


def sweep(now=None):
    """Re-enqueue batches with deliveries that are due: retries whose backoff is over, and idle ones
    (a lost task, a stale claim). Periodic; without a broker it is what runs retries. Returns the batches."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=claim_timeout())
    idle = Delivery.objects.filter(
        (Q(state=State.QUEUED) & Q(not_before__lte=now))
        | (Q(state=State.QUEUED) & Q(not_before__isnull=True) & Q(send__resolved__lt=stale))
        | (Q(state=State.SENDING) & Q(claimed__lt=stale))
    )
    batches = set(idle.values_list("send_id", "batch").distinct()[:1000])
    for send_id, batch in batches:
        _rerun(send_id, batch)
    return batches


def mark_answered(send, recipient_key, at=None):
    """The recipient answered (a check-in): their delivery is answered, whatever its state. True if found."""
    send_id = getattr(send, "pk", send)
    return bool(
        Delivery.objects.filter(send_id=send_id, recipient_key=recipient_key).update(
            state=State.ANSWERED, done_at=at or timezone.now()
        )
    )


def checkin_answered(answered):
    """A national answered a check-in (``crises.answering.Answered``): the campaign message's
    delivery to them is answered, as of the answer. The ORM half of the part that
    ``checkin_answered_sql`` does in the check-in's one statement."""
    if answered.send_id is not None:
        mark_answered(answered.send_id, audiences.key("registration", answered.registration_id), answered.at)


def checkin_answered_sql(ctx):
    """``checkin_answered`` as one ``UPDATE`` of the check-in's statement (``crises.answering``),
    built from ``Delivery``'s table and column names."""
    meta = Delivery._meta
    table = meta.db_table

    def column(name):
        return meta.get_field(name).column

    recipient = audiences.key_sql("registration", ctx.registration_id)
    return (
        f"UPDATE {table} SET {column('state')} = {ctx.param('state')}, {column('done_at')} = {ctx.at} "
        f"FROM {ctx.rows} WHERE {table}.{column('send')} = {ctx.send_id} "
        f"AND {table}.{column('recipient_key')} = {recipient}"
    )


def checkin_answered_values(ctx):
    return {"state": State.ANSWERED}


# Unsubscribing and subscribing ----------------------------------------------------------


def handle_unsubscribe(token):
    """One step, no login: stop messages to whoever the token names. Returns True if it named someone."""
    key = recipient_for_token(token)
    if key is None:
        return False
    prefix, _sep, pk = key.partition(":")
    pk = audiences.after_id(key) if pk else 0
    if prefix == "subscriber":
        subscriber = AlertSubscriber.objects.filter(pk=pk).first()
    elif prefix == "registration":
        from lifeline.nationals.models import Consent, Purpose

        with audit.acting_as(via="unsubscribe"):
            Consent.objects.update_or_create(
                registration_id=pk,
                purpose=Purpose.CRISIS_MESSAGES,
                defaults={"granted": False, "at": timezone.now()},
            )
        return True
    else:
        return False
    if subscriber is None:
        return True  # already gone: unsubscribing twice is not an error
    with audit.acting_as(via="unsubscribe"):
        subscriber.delete()
    return True


def subscription_holder():
    """The organisation that holds alert subscriptions: the national alerting authority (a civil
    protection organisation with no parent), else any civil protection organisation; None if none."""
    from lifeline.core.models import Organisation, OrganisationKind

    alerting = Organisation.objects.filter(kind=OrganisationKind.CIVIL_PROTECTION).order_by("pk")
    return alerting.filter(parent__isnull=True).first() or alerting.first()


def round_point(lat, lon):
    """A point kept to about 100 m (three decimals): enough to know which alerts cover it, no more."""
    if lat is None or lon is None:
        return None, None
    return round(float(lat), 3), round(float(lon), 3)


def subscribe(*, channel, address, languages, areas=(), whole_country=False, point=None, client=None):
    """Create (or refresh) an unconfirmed subscription to places; returns (subscriber, code) — the code is
    sent to the address. Places: admin ``areas``, a ``point`` (lat, lon) and/or the ``whole_country``.

    ``client`` is the address of whoever asked (``core.http.client_ip``), for the public sending limits."""
    import hashlib
    import secrets

    check_places(areas, whole_country, point)
    organisation = subscription_holder()
    if organisation is None:
        raise ValidationError(_("Alerts are not set up here yet: no alerting authority is registered."))
    if public_send_refused("alert-subscribe", client, f"{channel}:{address}"):
        raise ValidationError(
            # Translators: migrants read this
            _("Too many codes were asked for, from here or for this address. Please try again in an hour.")
        )
    code = f"{secrets.randbelow(10**6):06d}"
    subscriber = AlertSubscriber.objects.filter(channel=channel, address_index=blind_index(address)).first()
    if (
        subscriber is not None
        and subscriber.code_digest
        and timezone.now() - subscriber.updated < datetime.timedelta(seconds=60)
    ):
        # One code a minute per address: the public form must not become a way to flood someone's phone.
        raise ValidationError(
            # Translators: migrants read this
            _("We have just sent a code to this address. Please wait a minute before asking again.")
        )
    subscriber = subscriber or AlertSubscriber(organisation=organisation, channel=channel, address=address)
    subscriber.code_digest = hashlib.sha256(f"{subscriber.token}:{code}".encode()).hexdigest()
    subscriber.code_attempts = 0
    set_places(
        subscriber,
        languages=languages,
        areas=areas,
        whole_country=whole_country,
        point=point,
        via="subscribe",
    )
    return subscriber, code


def check_places(areas, whole_country, point):
    if not list(areas or []) and not whole_country and round_point(*(point or (None, None)))[0] is None:
        raise ValidationError(
            # Translators: migrants read this
            _("Choose at least one place: an area, where you are now, or the whole country.")
        )


def set_places(
    subscriber, *, languages, areas=(), whole_country=False, point=None, via="change-subscription"
):
    """Store a subscriber's places (admin ``areas``, a ``point`` (lat, lon) rounded to about 100 m, the
    ``whole_country``) and ``languages``, audited as done ``via`` the public page. The subscribe page and the
    "change my places" page both save through here. ValidationError (and nothing changed) without a place."""
    check_places(areas, whole_country, point)
    tags = [languages_module.normalise(code) for code in languages or []]
    tags = list(dict.fromkeys(t for t in tags if t))
    if not tags:
        # Translators: migrants read this
        raise ValidationError(_("Choose at least one language you read."))
    with transaction.atomic(), audit.acting_as(via=via):
        subscriber.languages = tags
        subscriber.whole_country = bool(whole_country)
        subscriber.lat, subscriber.lon = round_point(*(point or (None, None)))
        subscriber.save()
        subscriber.areas.set(list(areas or []))
    return subscriber


def send_confirmation(subscriber, code, confirm_url):
    """Send the confirmation code and link through the subscriber's own channel (a one-recipient send)."""
    # Translators: migrants read this
    text = _("Your code is %(code)s. Confirm your alert subscription: %(url)s") % {
        "code": code,
        "url": confirm_url,
    }
    # Translators: migrants read this
    text += " " + _("To change your places or languages later: %(url)s") % {"url": change_url(subscriber)}
    # Translators: migrants read this
    text += " " + _("To stop: %(url)s") % {"url": unsubscribe_url(audiences.key("subscriber", subscriber.pk))}
    return start_send(
        organisation=subscriber.organisation,
        user=None,
        name=_("Subscription confirmation"),
        audience={
            "kind": "static",
            "recipients": [
                {
                    "key": audiences.key("subscriber", subscriber.pk),
                    "languages": subscriber.languages,
                    "addresses": {subscriber.channel: subscriber.address},
                }
            ],
        },
        # Translators: migrants read this
        texts={"en": {"subject": _("Confirm your alert subscription"), "body": text, "short": text}},
        channels=[subscriber.channel],
        source="subscription",
    )


def confirm_subscription(token, code):
    """Confirm with the code sent to the address. True if the code was right; five wrong codes void it."""
    import hashlib
    import hmac

    subscriber = AlertSubscriber.objects.filter(token=token).first()
    if subscriber is None:
        return False
    expected = hashlib.sha256(f"{subscriber.token}:{(code or '').strip()}".encode()).hexdigest()
    if not subscriber.code_digest or not hmac.compare_digest(expected, subscriber.code_digest):
        attempts = subscriber.code_attempts + 1
        AlertSubscriber.objects.filter(pk=subscriber.pk).update(
            code_attempts=attempts,
            code_digest="" if attempts >= MAX_CODE_ATTEMPTS else subscriber.code_digest,
        )
        return False
    with audit.acting_as(via="subscribe"):
        subscriber.confirmed, subscriber.code_digest = True, ""
        subscriber.save()
    return True


# Reading: preview and counts --------------------------------------------------------------


def preview_audience(audience, texts, user=None, limit=100_000, channels=None):
    """What a send would do, before it is sent: recipients per language it would use and per first
    channel (``none`` for those with no address for any of ``channels``), per first language and how
    many of those none of whose languages the texts have (they get a fallback language), the
    preferred languages the texts lack, interpreters for those, SMS parts per language, and why it
    would be refused (if it would).

    It pages through the same resolver (``audiences.resolve``) that the send itself uses."""
    definition = audiences.check(audience, user)
    available = list(texts or {})
    order = list(channels or ChannelName.values)
    by_language, by_channel, missing = Counter(), Counter(), Counter()
    first_languages, fallback = Counter(), Counter()
    total, reachable, after = 0, 0, ""
    while total < limit:
        page = audiences.resolve(definition, after=after, limit=batch_size())
        for r in page:
            total += 1
            by_language[languages.choose(r.languages, available) or "—"] += 1
            first = (languages.normalise(r.languages[0]) if r.languages else None) or "—"
            first_languages[first] += 1
            if not any(languages.match(code, available) for code in r.languages or []):
                fallback[first] += 1  # none of their own languages is written: a default or the first text
            channel = first_channel(order, r.addresses)
            by_channel[channel or "none"] += 1
            reachable += channel is not None
            wanted = r.languages[0] if r.languages else None
            if wanted and languages.match(wanted, available) is None:
                missing[wanted] += 1
        if len(page) < batch_size():
            break
        after = page[-1].key
    return {
        "total": total,
        "reachable": reachable,
        "by_language": dict(by_language.most_common()),
        "by_channel": dict(by_channel.most_common()),
        "missing_languages": dict(missing.most_common()),
        # By each person's first language ("—": none given), and of them who would get a fallback language.
        "by_first_language": dict(first_languages.most_common()),
        "fallback": dict(fallback.most_common()),
        "interpreters": _interpreters_for(missing, available, user),
        "sms": sms_parts(texts),
        "refusal": refusal(definition, total > 0, reachable > 0, order) if channels else "",
    }


def sms_parts(texts):
    """{language: segments.Segments as a dict} of each text's SMS (its short text, else its body)."""
    from lifeline.messaging import segments

    return {
        code: segments.count((parts or {}).get("short") or (parts or {}).get("body", "")).as_dict()
        for code, parts in (texts or {}).items()
    }


def _reach(definition, channels):
    """(anyone in the audience, anyone with an address for the channels): stops at the first reachable."""
    anyone, after = False, ""
    while True:
        page = audiences.resolve(definition, after=after, limit=batch_size())
        for r in page:
            anyone = True
            if first_channel(channels, r.addresses):
                return True, True, channels
        if len(page) < batch_size():
            return anyone, False, channels
        after = page[-1].key


def refusal(definition, anyone, reachable, channels):
    """Why a send to this audience would reach nobody (translated), or "" when it would reach someone."""
    if reachable:
        return ""
    if not anyone:
        if definition.get("kind") == "subscribers":
            return _(
                "Nobody would receive this: no confirmed subscriber has chosen a place that this "
                "alert's area touches."
            )
        return _("Nobody would receive this: the audience is empty.")
    names = ", ".join(str(ChannelName(c).label) for c in channels if c in ChannelName.values)
    return _(
        "Nobody would receive this: no one in the audience has an address for the channels chosen "
        "(%(channels)s)."
    ) % {"channels": names}


def _interpreters_for(missing, available, user):
    from lifeline.core.models import Area
    from lifeline.core.permissions import has_perm
    from lifeline.interpreters.models import Interpreter
    from lifeline.interpreters.services import find_interpreters

    if not missing or user is None or not has_perm(user, Area.INTERPRETERS, "view"):
        return []
    queryset = Interpreter.objects.for_user(user)
    found = []
    for language in missing:
        for source in available or [""]:
            for match in find_interpreters(queryset, source=source, target=language)[:5]:
                found.append(
                    {
                        "language": language,
                        "source": source,
                        "id": match.interpreter.pk,
                        "name": match.interpreter.full_name,
                    }
                )
    return found


def counts(send):
    """Live counts: by state, and by (channel, state) and (language, state), aggregated from the indexed columns."""
    rows = (
        Delivery.objects.filter(send=send)
        .values_list("state", "channel", "language")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_state, by_channel, by_language = Counter(), defaultdict(Counter), defaultdict(Counter)
    for state, channel, language, n in rows:
        by_state[state] += n
        by_channel[channel or "—"][state] += n
        by_language[language or "—"][state] += n
    total = send.total if send.total is not None else sum(by_state.values())
    done = sum(by_state[s] for s in (State.SENT,) + FINAL_STATES)
    sent = by_state[State.SENT] + by_state[State.DELIVERED] + by_state[State.ANSWERED]
    return {
        "status": send.status,
        "outcome": outcome(send.status, total, sent, by_state[State.DELIVERED], by_state[State.FAILED]),
        "total": total,
        "resolved": send.resolved is not None,
        "done": done,
        "percent": round(100 * done / total) if total else (100 if send.resolved else 0),
        "states": {s: by_state.get(s, 0) for s in State.values},
        "channels": {c: dict(v) for c, v in sorted(by_channel.items())},
        "languages": {lang: dict(v) for lang, v in sorted(by_language.items())},
    }


def outcome(status, total, sent, delivered, failed):
    """What a send's status says to a person: a finished send gives its counts, never "Done" over nobody."""
    if status != SendStatus.DONE:
        return str(SendStatus(status).label)
    if not total:
        return _("Finished: it reached nobody.")
    return _("Finished: %(sent)s sent, %(delivered)s delivered, %(failed)s failed, of %(total)s.") % {
        "sent": sent,
        "delivered": delivered,
        "failed": failed,
        "total": total,
    }


def failure_reasons(send, limit=20):
    return list(
        DeadLetter.objects.filter(send=send)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")[:limit]
    )
