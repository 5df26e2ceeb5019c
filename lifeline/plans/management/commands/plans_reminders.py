"""Email owners their overdue and due-soon action items (at most once a day each), and the people
responsible for agreements due for renewal.

With a broker, Celery beat runs the same task daily (plans.send_action_reminders); without one,
run this from cron once a day, next to `messaging_tick`.
"""

from django.core.management.base import BaseCommand

from lifeline.core.audit import acting_as
from lifeline.plans import actions, coordination


class Command(BaseCommand):
    help = "Email each owner their overdue and due-soon action items, and agreements due for renewal."

    def handle(self, *args, **options):
        with acting_as(via="command"):
            sent = actions.send_reminders()
            renewals = coordination.send_renewal_reminders()
        self.stdout.write(f"{sent} action reminders and {renewals} renewal reminders sent.")
