"""Write an assessment of a checklist as DOCX, PDF or XLSX (the same files as its page's buttons)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifeline.core.audit import acting_as
from lifeline.plans.models import Assessment
from lifeline.plans.services import EXPORT_FORMATS, assessment_file, export_language


class Command(BaseCommand):
    help = "Export an assessment of a checklist as DOCX, PDF or XLSX (audited)."
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("assessment", help="The assessment's id (in its page's address).")
        parser.add_argument("--format", required=True, help="docx, pdf or xlsx")
        parser.add_argument("--lang", default="en", help="Language of the file (en, es, fr, ar, ru, pt).")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, **options):
        try:
            language = export_language(options["lang"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        translation.activate(language)
        fmt = options["format"].lower()
        if fmt not in EXPORT_FORMATS:
            raise CommandError(
                _("Unknown format “%(format)s”: choose one of %(choices)s.")
                % {"format": options["format"], "choices": ", ".join(EXPORT_FORMATS)}
            )
        value = options["assessment"]
        assessment = (
            Assessment.objects.select_related("version__template", "organisation", "plan")
            .filter(pk=int(value))
            .first()
            if value.isdigit() and len(value) < 19
            else None
        )
        if assessment is None:
            raise CommandError(_("No assessment has the id “%(id)s”.") % {"id": value})
        with acting_as(None, via="command"):
            data = assessment_file(assessment, fmt, language)
        try:
            with open(options["output"], "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(
                _("Could not write %(path)s: %(reason)s")
                % {"path": options["output"], "reason": exc.strerror}
            ) from exc
        self.stderr.write(_("Wrote %(path)s") % {"path": options["output"]})
