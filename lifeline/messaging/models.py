"""Sends, their deliveries and dead letters; anonymous alert subscribers.

A send stores its audience *definition* and its texts, never a list of people:
workers resolve recipients late, in batches, and create one delivery per
recipient (unique per send, so a re-run batch never duplicates). Live counts
are aggregated from the indexed state column of the deliveries, so no single
row is updated by every worker.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedJSONField, EncryptedTextField, MultilingualField, blind_index
from lifeline.core.models import Area
from lifeline.core.permissions import OwnedModel


class ChannelName(models.TextChoices):
    PUSH = "push", _("Push notification")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    MANUAL = "manual", _("Manual (radio, loudspeaker, door to door)")


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RESOLVING = "resolving", _("Finding recipients")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    ANSWERED = "answered", _("Answered")


FINAL_STATES = (State.DELIVERED, State.FAILED, State.ANSWERED)


class Send(Audited, OwnedModel):
    permission_area = Area.MESSAGING

    name = models.CharField(_("name"), max_length=200)
    audience = models.JSONField(_("audience"))  # {"kind": ..., parameters}
    texts = MultilingualField(_("texts"))  # {lang: {"subject", "body", "short"}}
    channels = models.JSONField(_("channel order"))  # ["push", "sms", "email"]
    fallback_languages = models.JSONField(_("fallback languages"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SendStatus.choices, default=SendStatus.QUEUED
    )
    cursor = models.CharField(max_length=200, blank=True, editable=False)  # last recipient key resolved
    batches = models.PositiveIntegerField(default=0, editable=False)
    total = models.PositiveIntegerField(_("recipients"), null=True, blank=True)
    started = models.DateTimeField(null=True, blank=True)
    resolved = models.DateTimeField(null=True, blank=True)

    audit_exclude = ("created", "updated", "cursor", "batches")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("send")
        verbose_name_plural = _("sends")

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One recipient of one send. ``channel`` is the channel of the current attempt."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    batch = models.PositiveIntegerField()
    recipient_key = models.CharField(max_length=200)
    language = models.CharField(max_length=35, blank=True)
    addresses = EncryptedJSONField(default=dict)  # {channel: address}: what fallback needs, encrypted
    channel = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    claim = models.CharField(max_length=64, blank=True)  # which run of a batch task holds it while sending
    claimed = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)  # retry after backoff
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["send", "recipient_key"], name="messaging_delivery_once")
        ]
        indexes = [
            models.Index(fields=["send", "batch", "state"], name="messaging_delivery_batch"),
            models.Index(fields=["send", "state", "channel", "language"], name="messaging_delivery_counts"),
            models.Index(fields=["channel", "provider_id"], name="messaging_delivery_provider"),
            models.Index(fields=["state", "sent_at"], name="messaging_delivery_sent"),
        ]

    def __str__(self):
        return f"{self.send_id}:{self.recipient_key}"


class DeadLetter(models.Model):
    """A delivery that no channel could carry, with the reason, for staff to follow up."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="dead_letters")
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="dead_letter")
    channel = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")


def new_token():
    return secrets.token_urlsafe(24)


class AlertSubscriber(Audited, OwnedModel):
    """An anonymous alert subscription: a channel address, languages and places, nothing else.

    Places are admin areas (``areas``), a point ("where I am now", rounded to about 100 m) or
    the whole country: any alert whose area touches one of them reaches the subscriber, whoever
    issued it (``audiences.subscribers``). ``organisation`` only says who holds the record.
    """

    permission_area = Area.MESSAGING
    # The address is personal: messaging/disclosure.py.

    channel = models.CharField(
        _("channel"), max_length=10, choices=[(c, l) for c, l in ChannelName.choices if c in ("sms", "email")]
    )
    address = EncryptedTextField(_("phone number or email address"))
    address_index = models.CharField(max_length=40, db_index=True, editable=False)
    languages = models.JSONField(_("languages"), default=list)
    areas = models.ManyToManyField("geo.AdminArea", blank=True, related_name="+", verbose_name=_("areas"))
    whole_country = models.BooleanField(_("the whole country"), default=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    code_digest = models.CharField(max_length=64, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    audit_exclude = ("created", "updated", "code_digest", "code_attempts")

    class Meta:
        ordering = ["id"]
        verbose_name = _("alert subscriber")
        verbose_name_plural = _("alert subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_index"], name="messaging_subscriber_address_once"
            )
        ]
        indexes = [models.Index(fields=["lat", "lon"], name="messaging_subscriber_point")]

    def __str__(self):
        return f"#{self.pk}"

    def audit_repr(self):
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.address_index = blind_index(self.address)
        super().save(*args, **kwargs)
