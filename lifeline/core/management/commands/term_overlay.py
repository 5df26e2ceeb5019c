"""Start or update the overlay catalog of a deployment's own word for a crisis (see core.terms)."""

from django.core.management.base import BaseCommand, CommandError

from lifeline.core import terms


class Command(BaseCommand):
    help = (
        "Write the overlay catalog TERM: every text that mentions a crisis, per language, with the "
        "shipped sentence as a starting point for translators; then compile it. Run it again after "
        "translating and after every upgrade."
    )

    def add_arguments(self, parser):
        parser.add_argument("term", help="the overlay's name, e.g. emergency or disaster")
        parser.add_argument(
            "languages",
            nargs="*",
            help="languages to start or update (default: the staff languages and those it has)",
        )

    def handle(self, *args, term, languages=(), **options):
        if not terms.NAME.match(term):
            raise CommandError(f"{term!r}: use lower-case letters, digits, '-' or '_' (e.g. emergency).")
        waiting = terms.update(term, list(languages) or None)
        self.stdout.write(f"overlay {terms.locale_dir(term)}")
        for code, count in waiting.items():
            self.stdout.write(f"{code}: {count} to write" if count else f"{code}: complete")
