from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretersConfig(AppConfig):
    name = "lifeline.interpreters"
    verbose_name = _("Interpreters")

    def ready(self):
        from lifeline.core import registries
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Area, Stream
        from lifeline.interpreters import home
        from lifeline.interpreters.tabular import InterpreterSchema

        registries.register("interpreters", InterpreterSchema, Area.INTERPRETERS)
        register_panel(
            "interpreters",
            Stream.HOST,
            40,
            home.planner_figures,
            cards="interpreters/home_cards.html",
            section="interpreters/home_section.html",
        )
