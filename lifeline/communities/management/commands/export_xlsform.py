from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lifeline.communities.xlsform import build_xlsform

FORMS = {"community-profile": build_xlsform}


class Command(BaseCommand):
    help = "Write a questionnaire as an XLSForm for KoboToolbox, ODK or Ona, labelled in every interface language."

    def add_arguments(self, parser):
        parser.add_argument("form", choices=sorted(FORMS))
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        path = Path(options["output"])
        path.write_bytes(FORMS[options["form"]]())
        self.stdout.write(_("Wrote %(path)s") % {"path": path})
