from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalsConfig(AppConfig):
    name = "lifeline.nationals"
    verbose_name = _("Nationals abroad")

    def ready(self):
        from lifeline.nationals import inbound  # noqa: F401  (SMS keywords from nationals)
