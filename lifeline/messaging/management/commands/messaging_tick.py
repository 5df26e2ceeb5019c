"""Run the messaging engine's periodic work once: retries due, lost batches, fallbacks of undelivered messages.

With a broker, Celery beat runs the same tasks (messaging.sweep, messaging.check_fallbacks);
without one, run this from cron every minute.
"""

from django.core.management.base import BaseCommand

from lifeline.messaging import services


class Command(BaseCommand):
    help = "Re-send due retries and lost batches; move undelivered push/SMS to the next channel."

    def handle(self, *args, **options):
        batches = services.sweep()
        moved = services.check_fallbacks()
        self.stdout.write(
            f"{len(batches)} batches re-queued, {moved} deliveries moved to their next channel."
        )
