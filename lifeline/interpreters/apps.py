from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretersConfig(AppConfig):
    name = "lifeline.interpreters"
    verbose_name = _("Interpreters")

    def ready(self):
        from lifeline.core import registries
        from lifeline.core.models import Area
        from lifeline.interpreters.tabular import InterpreterSchema

        registries.register("interpreters", InterpreterSchema, Area.INTERPRETERS)
