"""Web Push subscriptions of the nationals' app (one per browser that allowed notifications)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.fields import EncryptedJSONField, blind_index


class PushSubscription(models.Model):
    registration = models.ForeignKey(
        "nationals.Registration", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    device = models.ForeignKey(
        "nationals.DeviceToken", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # {"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}: the address a push service delivers to. Encrypted.
    subscription = EncryptedJSONField(_("subscription"))
    endpoint_index = models.CharField(max_length=40, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    gone = models.BooleanField(default=False)  # the push service said the subscription expired (HTTP 404/410)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.endpoint_index = blind_index((self.subscription or {}).get("endpoint", ""))
        super().save(*args, **kwargs)
