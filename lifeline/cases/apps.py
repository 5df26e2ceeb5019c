from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lifeline.cases"
    verbose_name = _("Assistance cases")

    def ready(self):
        from lifeline.cases import receivers  # noqa: F401
