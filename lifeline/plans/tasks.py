"""Background jobs of plans; the beat schedule runs them daily (see settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from lifeline.core.audit import acting_as
from lifeline.plans import actions, builders, coordination


@shared_task(name="plans.send_action_reminders")
def send_action_reminders():
    with acting_as(via="task"):
        return actions.send_reminders() + coordination.send_renewal_reminders()


@shared_task(name="plans.send_review_reminders")
def send_review_reminders():
    with acting_as(via="task"):
        return builders.send_review_reminders()
