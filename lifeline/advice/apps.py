from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    name = "lifeline.advice"
    verbose_name = _("Travel advice")
