from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvacuationConfig(AppConfig):
    name = "lifeline.evacuation"
    verbose_name = _("Evacuation")
