from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifeline.core.audit import acting_as
from lifeline.core.management.commands._common import activate_language, organisation_from
from lifeline.core.registries import REGISTRIES, get_schema
from lifeline.core.tabular import import_table


class Command(BaseCommand):
    help = "Import a registry from CSV or XLSX: every row is checked first; if any is bad, nothing is written."
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(REGISTRIES))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--org", help="Organisation (id or short name) that will own the records.")
        parser.add_argument("--lang", default="en", help="Language of the messages (en, es, fr, ar, ru, pt).")

    def handle(self, *args, **options):
        activate_language(options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        organisation = organisation_from(options["org"])
        with acting_as(None, via="command"):
            report = import_table(
                get_schema(options["registry"]), path.read_bytes(), path.name, organisation, dry_run=options["dry_run"]
            )
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
