from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifeline.geo.models import Country
from lifeline.geo.services import ensure_countries, import_boundaries, read_geojson


class Command(BaseCommand):
    help = (
        "Load administrative areas with P-codes from an OCHA COD-AB GeoJSON boundary file "
        "(newer ADM1_PCODE/ADM1_EN or older admin1Pcode/admin1Name_en naming, levels 1 to 4, "
        "parents linked by P-code). Every feature is checked first; if any is bad, nothing is written."
    )
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code, e.g. JO")
        parser.add_argument(
            "--level", type=int, default=None, help="Admin level (read from the file if not given)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count; write nothing.")
        parser.add_argument("--lang", default="en", help="Language of the messages (en, es, fr, ar, ru, pt).")

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("No such file: %(path)s") % {"path": path}) from exc
        ensure_countries()
        country = Country.objects.filter(code=options["country"].upper()).first()
        if country is None:
            raise CommandError(
                _("“%(code)s” is not an ISO 3166 country code.") % {"code": options["country"]}
            )
        try:
            created, updated = import_boundaries(
                read_geojson(data), country, options["level"], dry_run=options["dry_run"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(_("Nothing was imported.")) from exc
        prefix = _("Dry run: ") if options["dry_run"] else ""
        self.stdout.write(prefix + _("%(c)s areas created, %(u)s updated.") % {"c": created, "u": updated})
