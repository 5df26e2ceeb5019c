from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalsConfig(AppConfig):
    name = "lifeline.nationals"
    verbose_name = _("Nationals abroad")
