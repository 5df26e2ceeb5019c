"""Background jobs for registrations; the beat schedule runs them daily (see the README of the app)."""

from celery import shared_task

from lifeline.core.audit import acting_as
from lifeline.nationals import services


@shared_task(name="nationals.send_renewal_reminders")
def send_renewal_reminders():
    with acting_as(via="task"):
        return services.send_reminders()


@shared_task(name="nationals.purge_expired_registrations")
def purge_expired_registrations():
    with acting_as(via="task"):
        return services.purge_expired()
