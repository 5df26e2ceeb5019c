from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisesConfig(AppConfig):
    name = "lifeline.crises"
    verbose_name = _("Crises and check-ins")
