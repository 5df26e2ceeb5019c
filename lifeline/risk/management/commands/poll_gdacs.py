import json

from django.core.management.base import BaseCommand

from lifeline.risk.tasks import poll_gdacs


class Command(BaseCommand):
    help = "Poll every GDACS document of RISK_GDACS_URLS once (what the scheduler does every RISK_GDACS_POLL_SECONDS)."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(poll_gdacs()))
