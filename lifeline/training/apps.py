from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "lifeline.training"
    verbose_name = _("Capacity building")

    def ready(self):
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream
        from lifeline.training import home

        for stream in (Stream.HOST, Stream.HOME):
            register_panel("training", stream, 60, home.figures, cards="training/home_cards.html")
