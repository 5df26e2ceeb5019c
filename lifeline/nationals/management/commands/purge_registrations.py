import datetime

from django.core.management.base import BaseCommand, CommandError

from lifeline.core.audit import acting_as
from lifeline.nationals.services import purge_expired, send_reminders


class Command(BaseCommand):
    help = "Send renewal reminders, then delete expired just-in-case registrations (the audit log keeps counts only)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--no-reminders", action="store_true", help="Only purge.")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date written YYYY-MM-DD.") from None
        with acting_as(via="command"):
            reminded = 0 if options["no_reminders"] else send_reminders(today)
            figures = purge_expired(today)
        self.stdout.write(
            f"reminders sent: {reminded}; registrations purged: {figures['registrations']} "
            f"(household members {figures['members']}, consents {figures['consents']}, devices {figures['devices']})"
        )
