from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "lifeline.directory"
    verbose_name = _("Directory")

    def ready(self):
        from lifeline.core import registries
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Area, Stream
        from lifeline.directory import home
        from lifeline.directory.tabular import ContactSchema

        registries.register("contacts", ContactSchema, Area.CONTACTS)
        register_panel("directory", Stream.HOST, 20, home.planner_figures, cards="directory/home_cards.html")
