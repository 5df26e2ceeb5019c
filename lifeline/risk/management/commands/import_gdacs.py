import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lifeline.core.audit import acting_as
from lifeline.risk.gdacs import MAX_BYTES, GdacsError, fetch_document
from lifeline.risk.services import import_gdacs


class Command(BaseCommand):
    help = (
        "Import one GDACS RSS or GeoJSON document (a file or an http(s) address) as the poller would: "
        "new events stored, new episodes update theirs, posts with nationals inside get a proposal. "
        "A malformed document is refused whole, with its reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a file, or an http(s) address")

    def handle(self, *args, source, **options):
        try:
            if source.startswith(("http://", "https://")):
                data = fetch_document(source)
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"{source}: no such file")
                if path.stat().st_size > MAX_BYTES:
                    raise CommandError(f"{source}: larger than {MAX_BYTES} bytes")
                data = path.read_bytes()
            with acting_as(None, via="command"):
                report = import_gdacs(data)
        except GdacsError as exc:
            raise CommandError(f"{source}: nothing imported.\n" + "\n".join(exc.messages)) from None
        self.stdout.write(json.dumps(report))
