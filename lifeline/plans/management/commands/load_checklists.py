"""Load the shipped checklists: new ones, and a new version of any whose text changed."""

from django.core.management.base import BaseCommand

from lifeline.core.audit import acting_as
from lifeline.plans.services import load_shipped


class Command(BaseCommand):
    help = "Load the shipped checklist templates (a new published version where the text changed)."

    def handle(self, *args, **options):
        with acting_as(None, via="command"):
            loaded = load_shipped()
        self.stdout.write(f"Checklists loaded: {', '.join(loaded) or 'none changed'}.\n")
