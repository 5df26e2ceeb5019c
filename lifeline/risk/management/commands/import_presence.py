from django.core.management.base import BaseCommand

from lifeline.core.audit import acting_as
from lifeline.risk import services

from ._shared import common_arguments, finish, parse_date, prepare


class Command(BaseCommand):
    help = (
        "Import a sub-national presence table (admin area P-code × nationality, × sex; CSV, XLSX or "
        "HXL-tagged): every row is checked first; if any is bad, nothing is written."
    )
    leave_locale_alone = True

    def add_arguments(self, parser):
        common_arguments(parser)
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code of the country, e.g. JO")
        parser.add_argument(
            "--date", help="Date of the figures (YYYY-MM-DD), unless the file has a date column."
        )

    def handle(self, *args, **options):
        data, name, organisation = prepare(options)
        with acting_as(None, via="command"):
            report = services.import_presence(
                None, data, name, organisation, options["country"], options["source"],
                parse_date(options["date"]), options["dry_run"],
            )  # fmt: skip
        finish(self, report)
