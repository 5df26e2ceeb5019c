import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.management.commands._common import activate_language, organisation_from
from lifeline.core.models import AuditAction
from lifeline.core.registries import REGISTRIES, get_schema
from lifeline.core.tabular import export_table, personal_columns


class Command(BaseCommand):
    help = "Export a registry as CSV or XLSX, optionally with an HXL hashtag row."
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(REGISTRIES))
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--hxl", action="store_true", help="Add a row of HXL hashtags under the header.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument("--org", help="Only this organisation's records (id or short name).")
        parser.add_argument(
            "--personal", action="store_true", help="Include personal data columns (audited)."
        )
        parser.add_argument("--lang", default="en")

    def handle(self, *args, **options):
        activate_language(options)
        schema = get_schema(options["registry"])
        queryset = schema.model.objects.all()
        if options["org"]:
            queryset = queryset.filter(organisation=organisation_from(options["org"]))
        data = export_table(
            schema, queryset, fmt=options["format"], hxl=options["hxl"], include_personal=options["personal"]
        )
        with audit.acting_as(None, via="command"):
            audit.record(
                AuditAction.EXPORT,
                object_type=f"{schema.model._meta.app_label}.{schema.model._meta.model_name}",
                object_repr=_("%(n)s records (%(fmt)s)") % {"n": queryset.count(), "fmt": options["format"]},
                fields=personal_columns(schema) if options["personal"] else [],
            )
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(data)
            self.stderr.write(_("Wrote %(path)s") % {"path": options["output"]})
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
