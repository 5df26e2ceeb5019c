"""What an SMS keyword from a registered national does. The one place these rules live.

The messaging channels turn an incoming text into the ``sms_received`` signal
(phone in E.164, keyword, text, language); this receiver acts on it for the
registrations with that phone:

- SAFE answers the person's latest open check-in "safe";
- HELP answers it "need help", or, with no check-in open, opens an assistance case;
- STOP withdraws consent to alerts and check-ins; START gives it again.

Alert subscribers (host side) are handled by the messaging engine's own receiver.
"""

import logging

from django.dispatch import receiver
from django.utils import timezone

from lifeline.core.fields import blind_index
from lifeline.messaging.channels.inbound import sms_received
from lifeline.nationals.models import Consent, Purpose, Registration

log = logging.getLogger(__name__)


def act_on_keyword(phone, keyword, text="", language=""):
    """Returns what was done: "checkin", "case", "stopped", "started" or "" (nothing: unknown number or keyword)."""
    index = blind_index(phone)
    registrations = (
        Registration.objects.filter(phone_index=index, merged_into__isnull=True)
        if index
        else Registration.objects.none()
    )
    if not registrations.exists():
        return ""
    if keyword in ("safe", "help"):
        from lifeline.crises.models import CheckInStatus
        from lifeline.crises.services import answer_by_phone

        answer = CheckInStatus.SAFE if keyword == "safe" else CheckInStatus.NEED_HELP
        if answer_by_phone(phone, answer, text) is not None:
            return "checkin"
        if keyword == "help":
            from lifeline.cases.services import open_case_by_phone

            return "case" if open_case_by_phone(phone, text) is not None else ""
        return ""
    if keyword in ("stop", "start"):
        granted = keyword == "start"
        for registration in registrations:
            Consent.objects.update_or_create(
                registration=registration,
                purpose=Purpose.CRISIS_MESSAGES,
                defaults={"granted": granted, "language": language or "en", "at": timezone.now()},
            )
        return "started" if granted else "stopped"
    return ""


@receiver(sms_received)
def on_sms(sender, phone, keyword, text="", language="", **kwargs):
    done = act_on_keyword(phone, keyword, text, language)
    log.info("inbound SMS keyword %r: %s", keyword, done or "nothing to do")
