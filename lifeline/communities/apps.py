from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "lifeline.communities"
    verbose_name = _("Communities")

    def ready(self):
        from lifeline.communities.tabular import CommunitySchema
        from lifeline.core import registries
        from lifeline.core.models import Area

        registries.register("communities", CommunitySchema, Area.COMMUNITIES)
