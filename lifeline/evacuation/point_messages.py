"""Message everyone at an assembly point: the one rule that the page (and any other caller) uses.

The audience is the messaging engine's "assembly_point" kind (``evacuation.audience``): the
people assigned to the point, or only those checked in there, who agreed to crisis messages.
The preview and the send resolve the same definition with the same resolver, so the count shown
before sending is the count sent; a send that would reach nobody is refused with the reason, and so
is any message to a point of a closed crisis (``refuse_if_closed``, asked by the audience's own
check, so the messaging API refuses it too).
"""

from django.db.models import Count
from django.utils.translation import gettext as _

from lifeline.evacuation.audience import WHO, point_registrations, refuse_if_closed

__all__ = ["message_point", "point_audience", "point_languages", "preview_point_message", "refuse_if_closed"]
from lifeline.messaging import audiences

CHANNELS = ["push", "sms", "email"]
MAX_LANGUAGES = 8  # text boxes offered at first: the commonest languages of the people there


def point_audience(point, who="assigned"):
    """The messaging audience of the point: the one definition the preview and the send use."""
    return {"kind": "assembly_point", "point": point.pk, "who": who if who in WHO else "assigned"}


def point_languages(point, user, who="assigned"):
    """The first languages of the people the user would reach at the point, commonest first."""
    definition = audiences.check(point_audience(point, who), user)
    rows = (
        point_registrations(definition)
        .exclude(primary_language="")
        .values_list("primary_language")
        .annotate(n=Count("id"))
        .order_by("-n", "primary_language")
    )
    return [code for code, _n in rows[:MAX_LANGUAGES]]


def point_texts(point, bodies):
    """{language: {subject, body, short}} from {language: text}; the subject names the crisis and the point."""
    subject = f"{point.crisis.name} · {point.name}"[:200]
    return {
        code: {"subject": subject, "body": text.strip(), "short": text.strip()}
        for code, text in bodies.items()
        if text and text.strip()
    }


def preview_point_message(point, user, bodies, who="assigned"):
    """Before sending: recipients by language and channel, and why it would be refused (if it would)."""
    from lifeline.messaging.services import preview_audience

    return preview_audience(
        point_audience(point, who), point_texts(point, bodies), user=user, channels=CHANNELS
    )


def message_point(point, user, bodies, who="assigned"):
    """Send ``bodies`` ({language: text}) to the people at the point, through the messaging engine.

    Refused (ValidationError, with the reason, nothing stored) when no text is written, nobody
    would receive it, or the point's crisis is closed. Returns the messaging send."""
    from lifeline.messaging.services import start_send

    return start_send(
        organisation=point.organisation,
        user=user,
        name=_("Assembly point: %(point)s") % {"point": point.name},
        audience=point_audience(point, who),
        texts=point_texts(point, bodies),
        channels=CHANNELS,
        source=f"assembly_point:{point.pk}",
    )
