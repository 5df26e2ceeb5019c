import json

from django.core.management.base import BaseCommand

from lifeline.alerts.tasks import poll_feeds


class Command(BaseCommand):
    help = "Poll every active CAP feed subscription once and expire alerts whose time is over."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(poll_feeds()))
