from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "lifeline.communities"
    verbose_name = _("Communities")

    def ready(self):
        from lifeline.communities import home
        from lifeline.communities.tabular import CommunitySchema
        from lifeline.core import registries
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Area, Stream

        registries.register("communities", CommunitySchema, Area.COMMUNITIES)
        register_panel(
            "communities",
            Stream.HOST,
            30,
            home.planner_figures,
            cards="communities/home_cards.html",
            section="communities/home_section.html",
        )
