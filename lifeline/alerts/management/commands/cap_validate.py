from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifeline.alerts.cap import CapError, parse
from lifeline.core.management.commands._common import activate_language


class Command(BaseCommand):
    help = (
        "Check CAP files: prints FILE: OK, or FILE:LINE: reason for each problem; exits 1 if any is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--lang", default="en")

    def handle(self, *args, **options):
        activate_language(options)
        failed = 0
        for name in options["files"]:
            path = Path(name)
            try:
                if not path.is_file():
                    raise CapError([(None, _("No such file."))])
                parse(path.read_bytes())
            except CapError as exc:
                failed += 1
                for line, message in exc.errors:
                    self.stderr.write(f"{name}:{line or 0}: {message}")
            else:
                self.stdout.write(f"{name}: OK")
        if failed:
            raise CommandError(
                _("%(n)s of %(total)s files are not valid CAP.")
                % {"n": failed, "total": len(options["files"])},
                returncode=1,
            )
