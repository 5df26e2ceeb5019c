from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    name = "lifeline.pwa"
    verbose_name = _("App for nationals")

    def ready(self):
        from lifeline.pwa import receivers  # noqa: F401
