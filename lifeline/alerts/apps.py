from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "lifeline.alerts"
    verbose_name = _("Alerts")

    def ready(self):
        from lifeline.alerts import home
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream

        register_panel("alerts", Stream.HOST, 10, home.planner_figures, cards="alerts/home_cards.html")
