from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalsConfig(AppConfig):
    name = "lifeline.nationals"
    verbose_name = _("Nationals abroad")

    def ready(self):
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream
        from lifeline.nationals import home, inbound  # noqa: F401  (SMS keywords from nationals)

        register_panel("nationals", Stream.HOME, 20, home.consul_figures, cards="nationals/home_cards.html")
