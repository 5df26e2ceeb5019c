from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lifeline.core"
    verbose_name = _("Core")

    def ready(self):
        from lifeline.core import db, disclosure, signals  # noqa: F401
        from lifeline.core.images import limit_decoders
        from lifeline.core.terms import check_overlay

        limit_decoders()
        disclosure.autodiscover()
        checks.register(check_overlay, checks.Tags.translation)
