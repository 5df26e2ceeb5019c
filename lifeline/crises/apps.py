from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisesConfig(AppConfig):
    name = "lifeline.crises"
    verbose_name = _("Crises and check-ins")

    def ready(self):
        from lifeline.core.dashboard import register_panel
        from lifeline.core.models import Stream
        from lifeline.crises import (
            audience,  # noqa: F401  (the "campaign" audience of the messaging engine)
            home,
            relay,  # noqa: F401  (imported alerts propose check-ins)
        )

        register_panel("crises", Stream.HOME, 30, home.consul_figures, section="crises/home_section.html")
        register_answer_parts()


def register_answer_parts():
    """What an answer changes in the apps below this one, each part written by its own app
    (``crises.answering``): the audit entry, the delivery answered, the device found by its token."""
    from lifeline.core import audit
    from lifeline.crises import answering
    from lifeline.messaging import services as messaging
    from lifeline.nationals import auth

    # The audit log's signal writes the entry on the ORM path (every ``Audited`` model's save).
    answering.register(answering.Part("audit", statement=audit.inserted_sql, values=audit.inserted_values))
    answering.register(
        answering.Part(
            "delivery",
            statement=messaging.checkin_answered_sql,
            values=messaging.checkin_answered_values,
            orm=messaging.checkin_answered,
        )
    )
    answering.register_finder(
        answering.Finder(
            "device",
            orm=auth.device_for_token,
            statement=auth.device_statement,
            values=auth.device_values,
            columns=auth.DEVICE_COLUMNS,
            from_row=auth.device_from_row,
            prepare=auth.token_digest,
        )
    )
