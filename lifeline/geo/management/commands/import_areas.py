import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lifeline.geo.models import Country
from lifeline.geo.services import ensure_countries, import_boundaries


class Command(BaseCommand):
    help = "Load administrative areas with P-codes from an OCHA COD GeoJSON boundary file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code, e.g. JO")
        parser.add_argument("--level", type=int, default=1)

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            geojson = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        ensure_countries()
        country = Country.objects.filter(code=options["country"].upper()).first()
        if country is None:
            raise CommandError(f"Unknown country code {options['country']}")
        try:
            created, updated = import_boundaries(geojson, country, options["level"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{created} areas created, {updated} updated.")
