from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "lifeline.directory"
    verbose_name = _("Directory")

    def ready(self):
        from lifeline.core import registries
        from lifeline.core.models import Area
        from lifeline.directory.tabular import ContactSchema

        registries.register("contacts", ContactSchema, Area.CONTACTS)
