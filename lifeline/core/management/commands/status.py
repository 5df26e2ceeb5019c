"""The deployment's readiness, for operators (``lifeline status``): the same report as /readyz."""

import json

from django.core.management.base import BaseCommand, CommandError

from lifeline.core.health import readiness


class Command(BaseCommand):
    help = "Check the database, the broker, the scheduler and worker heartbeats, and the waiting work."

    def handle(self, *args, **options):
        report = readiness()
        self.stdout.write(json.dumps(report, indent=2))
        if not report["ready"]:
            raise CommandError("not ready: " + "; ".join(report["problems"]))
