from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lifeline.cases"
    verbose_name = _("Assistance cases")

    def ready(self):
        from lifeline.cases import home, receivers  # noqa: F401
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream

        register_panel("cases", Stream.HOME, 10, home.consul_figures, cards="cases/home_cards.html")
