"""Bring the catalogs of the migrant languages to exactly the texts migrants read (see core.catalogs)."""

from django.core.management.base import BaseCommand

from lifeline.core import catalogs


class Command(BaseCommand):
    help = "Update lifeline/locale/migrant.pot and the catalogs of the migrant languages from the code."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="languages to start or update (default: those shipped)")

    def handle(self, *args, codes=(), **options):
        count, waiting = catalogs.update(list(codes) or None)
        self.stdout.write(f"{count} texts migrants read")
        for code, untranslated in waiting.items():
            self.stdout.write(f"{code}: {untranslated} to translate")
