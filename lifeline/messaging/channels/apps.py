from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Installed only for its management command (``vapid_keys``); it has no models."""

    name = "lifeline.messaging.channels"
    label = "messaging_channels"
    verbose_name = _("Messaging channels")
