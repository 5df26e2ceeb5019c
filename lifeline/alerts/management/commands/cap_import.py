from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifeline.alerts.cap import MAX_BYTES
from lifeline.alerts.feeds import FetchError, fetch
from lifeline.alerts.models import Origin, Outcome
from lifeline.alerts.services import import_cap
from lifeline.core.audit import acting_as
from lifeline.core.management.commands._common import activate_language, organisation_from


class Command(BaseCommand):
    help = (
        "Import CAP messages from files or http(s) URLs; duplicates are skipped, Updates and Cancels applied."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
        parser.add_argument("--org", help="Organisation (id or short name) that keeps the imported alerts.")
        parser.add_argument("--lang", default="en")

    def _read(self, source):
        if urlsplit(source).scheme in ("http", "https"):
            return fetch(source).content, Origin.FEED
        path = Path(source)
        if not path.is_file():
            raise FetchError(_("No such file."))
        if path.stat().st_size > MAX_BYTES:
            raise FetchError(_("The file is larger than %(max)s bytes.") % {"max": MAX_BYTES})
        return path.read_bytes(), Origin.FILE

    def handle(self, *args, **options):
        activate_language(options)
        organisation = organisation_from(options["org"])
        rejected = 0
        with acting_as(None, via="command"):
            for source in options["sources"]:
                try:
                    data, origin = self._read(source)
                except FetchError as exc:
                    rejected += 1
                    self.stderr.write(f"{source}: {exc}")
                    continue
                result = import_cap(data, organisation, origin=origin, url=source)
                label = Outcome(result.outcome).label
                if result.ok:
                    self.stdout.write(f"{source}: {label} {result.identifier}")
                else:
                    rejected += 1
                    self.stderr.write(f"{source}: {label}\n{result.reason}")
        if rejected:
            raise CommandError(
                _("%(n)s of %(total)s messages were not imported.")
                % {"n": rejected, "total": len(options["sources"])},
                returncode=1,
            )
