from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisesConfig(AppConfig):
    name = "lifeline.crises"
    verbose_name = _("Crises and check-ins")

    def ready(self):
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream
        from lifeline.crises import (
            audience,  # noqa: F401  (the "campaign" audience of the messaging engine)
            home,
            relay,  # noqa: F401  (imported alerts propose check-ins)
        )

        register_panel("crises", Stream.HOME, 30, home.consul_figures, section="crises/home_section.html")
