"""Messaging channels: email, SMS, Web Push and the manual channel.

``get_channel(name)`` returns the configured channel, built once and reused
(it holds connection pools); a settings change (in tests) drops the cache.
"""

import threading

from django.core.signals import setting_changed
from django.dispatch import receiver

NAMES = ("email", "sms", "push", "manual")
_cache = {}
_lock = threading.Lock()


def _channel_class(name):
    if name == "email":
        from .email import EmailChannel

        return EmailChannel
    if name == "sms":
        from .sms import SmsChannel

        return SmsChannel
    if name == "push":
        from .push import PushChannel

        return PushChannel
    if name == "manual":
        from .manual import ManualChannel

        return ManualChannel
    raise LookupError(f"Unknown channel: {name!r}")


def get_channel(name):
    channel = _cache.get(name)
    if channel is None:
        with _lock:
            channel = _cache.get(name)
            if channel is None:
                channel = _cache[name] = _channel_class(name)()
    return channel


def reset_channels():
    with _lock:
        channels = list(_cache.values())
        _cache.clear()
    for channel in channels:
        channel.close()


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting.startswith(("SMS_", "EMAIL_", "VAPID_", "PUSH_", "MESSAGING_", "DEFAULT_FROM_EMAIL")):
        reset_channels()
