from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifeline.core.audit import acting_as
from lifeline.geo.models import Country
from lifeline.risk import services

from ._shared import common_arguments, parse_date, prepare


class Command(BaseCommand):
    help = (
        "Import a hazard layer: a GeoJSON FeatureCollection of polygons, each with a hazard type and a "
        "likelihood or severity class. Every zone is checked first; if any is bad, nothing is written. "
        "Importing a layer of the same name again replaces its zones."
    )
    leave_locale_alone = True

    def add_arguments(self, parser):
        common_arguments(parser)
        parser.add_argument("--name", required=True, help="The layer's name, e.g. “Flood zones 2025”.")
        parser.add_argument("--date", help="Date of the hazard map (YYYY-MM-DD).")
        parser.add_argument("--country", help="ISO 3166 alpha-2 code of the country it covers.")
        parser.add_argument(
            "--hazard", default="", help="Hazard type of zones that do not name one (flood, …)."
        )

    def handle(self, *args, **options):
        data, name, organisation = prepare(options)
        country = None
        if options["country"]:
            country = Country.objects.filter(code=options["country"].upper()).first()
            if country is None:
                raise CommandError(
                    _("“%(code)s” is not an ISO 3166 country code.") % {"code": options["country"]}
                )
        try:
            with acting_as(None, via="command"):
                count = services.import_hazard_layer(
                    None, data, organisation, options["name"], options["source"] or name,
                    parse_date(options["date"]), country, options["hazard"], options["dry_run"],
                )  # fmt: skip
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(_("Nothing was imported.")) from exc
        prefix = _("Dry run: ") if options["dry_run"] else ""
        self.stdout.write(prefix + _("%(n)s hazard zones read.") % {"n": count})
