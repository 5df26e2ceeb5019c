from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifeline.geo.models import Country
from lifeline.risk import exposure


class Command(BaseCommand):
    help = (
        "Write the exposure table (admin area × origin × hazard zone: migrants exposed, low and high, "
        "with their sources) as CSV or XLSX, optionally with HXL hashtags."
    )
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("--country", help="ISO 3166 alpha-2 code (default: every country).")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--hxl", action="store_true", help="Add a row of HXL hashtags under the header.")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument("--lang", default="en", help="Language of the headers (en, es, fr, ar, ru, pt).")

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        country = None
        if options["country"]:
            country = Country.objects.filter(code=options["country"].upper()).first()
            if country is None:
                raise CommandError(
                    _("“%(code)s” is not an ISO 3166 country code.") % {"code": options["country"]}
                )
        rows = exposure.compute(None, country)
        path = Path(options["output"])
        path.write_bytes(exposure.export(rows, options["format"], options["hxl"]))
        self.stdout.write(_("Wrote %(n)s rows to %(path)s") % {"n": len(rows), "path": path})
