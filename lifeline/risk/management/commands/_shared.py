"""What the risk import commands share: the file, the organisation, the messages' language."""

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from lifeline.core.management.commands._common import activate_language, organisation_from


def common_arguments(parser):
    parser.add_argument("file")
    parser.add_argument("--org", help="Organisation (id or short name) that will keep the data.")
    parser.add_argument(
        "--source", default="", help="Where the figures come from (default: the file's name)."
    )
    parser.add_argument("--lang", default="en", help="Language of the messages (en, es, fr, ar, ru, pt).")
    parser.add_argument(
        "--dry-run", action="store_true", help="Check the file and show what it holds; write nothing."
    )


def prepare(options):
    """(bytes, file name, organisation) from the options, or CommandError with the reason."""
    activate_language(options)
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    return path.read_bytes(), path.name, organisation_from(options.get("org"))


def parse_date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None


def finish(command, report):
    for error in report.errors:
        command.stderr.write(str(error))
    if not report.ok:
        raise CommandError(report.summary())
    command.stdout.write(report.summary())
