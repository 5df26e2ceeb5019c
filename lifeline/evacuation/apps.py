from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvacuationConfig(AppConfig):
    name = "lifeline.evacuation"
    verbose_name = _("Evacuation")

    def ready(self):
        from lifeline.evacuation import audience  # noqa: F401  (the "assembly_point" audience of the messaging engine)
