from django.core.management.base import BaseCommand

from lifeline.communities.kobo import import_answers
from lifeline.core.management.commands._common import run_file_import

FORMS = {"community-profile": import_answers}


class Command(BaseCommand):
    help = (
        "Import answers exported from KoboToolbox, ODK or Ona (XLSX or CSV) into community profiles: "
        "every row is checked first; if any is bad, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("form", choices=sorted(FORMS))
        parser.add_argument("file")
        parser.add_argument("--org", help="Organisation (id or short name) that will keep the profiles.")
        parser.add_argument("--lang", default="en", help="Language of the messages (en, es, fr, ar, ru, pt).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    leave_locale_alone = True

    def handle(self, *args, **options):
        run_file_import(self, options, FORMS[options["form"]])
