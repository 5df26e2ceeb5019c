from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "lifeline.messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from lifeline.core import health
        from lifeline.messaging import readiness

        health.register_waiting_work(readiness.waiting_work, readiness.sends_waiting)
