from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifeline.communities.kobo import import_answers
from lifeline.core.audit import acting_as
from lifeline.core.management.commands._common import activate_language, organisation_from

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
        activate_language(options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        organisation = organisation_from(options["org"])
        with acting_as(None, via="command"):
            report = FORMS[options["form"]](path.read_bytes(), path.name, organisation, dry_run=options["dry_run"])
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
