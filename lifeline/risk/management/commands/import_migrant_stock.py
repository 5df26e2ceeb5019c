from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lifeline.core.audit import acting_as
from lifeline.risk import services

from ._shared import common_arguments, finish, prepare


class Command(BaseCommand):
    help = (
        "Import UN DESA International Migrant Stock by origin and destination (XLSX or CSV, as "
        "published): prints the destinations, origins and years read; regions and other aggregates "
        "are skipped. If any figure is unreadable, nothing is written."
    )
    leave_locale_alone = True

    def add_arguments(self, parser):
        common_arguments(parser)
        parser.add_argument("--year", type=int, help="Read only this year's columns.")

    def handle(self, *args, **options):
        data, name, organisation = prepare(options)
        with acting_as(None, via="command"):
            report, read = services.import_migrant_stock(
                None, data, name, organisation, options["year"], options["source"], options["dry_run"]
            )
        if report.ok:
            self.stdout.write(
                _("Destinations (%(n)s): %(list)s")
                % {"n": len(read.destinations), "list": ", ".join(sorted(read.destinations))}
            )
            self.stdout.write(
                _("Origins (%(n)s): %(list)s")
                % {"n": len(read.origins), "list": ", ".join(sorted(read.origins))}
            )
            self.stdout.write(_("Years: %(list)s") % {"list": ", ".join(str(y) for y in sorted(read.years))})
            if read.skipped:
                self.stdout.write(
                    _("Skipped (regions, groups and areas that are not countries): %(list)s")
                    % {"list": "; ".join(sorted(read.skipped))}
                )
        finish(self, report)
