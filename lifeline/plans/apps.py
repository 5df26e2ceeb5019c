from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lifeline.plans"
    verbose_name = _("Plans and checklists")

    def ready(self):
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream
        from lifeline.plans import (
            blocks,  # noqa: F401  (registers the live blocks)
            home,
        )

        for stream in (Stream.HOST, Stream.HOME):
            # My actions, first on both homes: what waits for the user, overdue counted.
            register_panel("plans", stream, 5, home.my_actions_figures, cards="plans/actions/home_cards.html")
            register_panel("plans-documents", stream, 40, home.due_figures, cards="plans/home_documents.html")
