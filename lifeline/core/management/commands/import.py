from django.core.management.base import BaseCommand

from lifeline.core.management.commands._common import run_file_import
from lifeline.core.registries import REGISTRIES, get_schema
from lifeline.core.tabular import import_table


class Command(BaseCommand):
    help = (
        "Import a registry from CSV or XLSX: every row is checked first; if any is bad, nothing is written."
    )
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(REGISTRIES))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--org", help="Organisation (id or short name) that will own the records.")
        parser.add_argument("--lang", default="en", help="Language of the messages (en, es, fr, ar, ru, pt).")

    def handle(self, *args, **options):
        schema = get_schema(options["registry"])
        run_file_import(self, options, lambda *args, **kwargs: import_table(schema, *args, **kwargs))
