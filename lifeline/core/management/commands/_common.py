from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifeline.core.models import Organisation
from lifeline.core.registry_views import is_id


def activate_language(options):
    translation.activate(options.get("lang") or "en")


def organisation_from(value):
    """An organisation by id or exact (short) name; the only one if there is just one."""
    qs = Organisation.objects.all()
    if value:
        match = (
            qs.filter(pk=int(value))
            if is_id(value)
            else (qs.filter(short_name=value) | qs.filter(name=value))
        )
        if match.count() != 1:
            raise CommandError(_("No single organisation matches “%(value)s”.") % {"value": value})
        return match.get()
    if qs.count() == 1:
        return qs.get()
    raise CommandError(_("Name the organisation with --org (id or short name)."))


def run_file_import(command, options, importer):
    """The part every import command shares: read the file, import as the system, report.

    ``importer(data, filename, organisation, dry_run=...)`` returns a tabular Report;
    bad rows go to stderr and the command exits non-zero."""
    from lifeline.core.audit import acting_as

    activate_language(options)
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    organisation = organisation_from(options["org"])
    with acting_as(None, via="command"):
        report = importer(path.read_bytes(), path.name, organisation, dry_run=options["dry_run"])
    for error in report.errors:
        command.stderr.write(str(error))
    if not report.ok:
        raise CommandError(report.summary())
    command.stdout.write(report.summary())
