"""Export plan documents (SOPs, consular contingency plans) as DOCX or PDF, for operators and scripts."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from lifeline.core.audit import acting_as
from lifeline.plans import builders
from lifeline.plans.builder_models import PlanDocument


class Command(BaseCommand):
    help = (
        "Export one plan document (PLAN_ID, -o FILE) or all of them (--all, -o FOLDER) as DOCX or PDF. "
        "Without --as, only approved plans, as approved (the restricted annex withheld); with --as USERNAME, "
        "what that staff member would export (--data live for today's data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", nargs="?", type=int)
        parser.add_argument("--all", action="store_true", help="Every plan document, one file each.")
        parser.add_argument("--format", required=True, choices=builders.FORMATS)
        parser.add_argument("--lang", default="", help="One of the staff languages (default: the plan's).")
        parser.add_argument("-o", "--output", required=True, help="A file (one plan) or a folder (--all).")
        parser.add_argument("--as", dest="username", default="", help="Export as this staff member.")
        parser.add_argument("--data", choices=(builders.FROZEN, builders.LIVE), default="")

    def handle(self, *args, plan_id=None, all=False, format, lang, output, username, data, **options):
        if bool(plan_id) == bool(all):
            raise CommandError("Give one PLAN_ID or --all.")
        if lang and lang not in builders.staff_languages():
            raise CommandError(
                f"Unknown language {lang!r}: use one of {', '.join(builders.staff_languages())}."
            )
        user = None
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
        documents = PlanDocument.objects.select_related("organisation", "approved_version")
        if user is not None:
            documents = documents.for_user(user)
        if all:
            folder = Path(output)
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"{output} is not a folder.")
            folder.mkdir(parents=True, exist_ok=True)
            targets = [(d, None) for d in documents.order_by("pk")]
        else:
            document = documents.filter(pk=plan_id).first()
            if document is None:
                raise CommandError(
                    f"No plan document {plan_id}" + (f" that {username} may read." if user else ".")
                )
            targets = [(document, Path(output))]
        written = []
        with acting_as(user, via="command"):
            for document, path in targets:
                mode = data or (builders.FROZEN if document.approved_version_id else builders.LIVE)
                if user is None and mode != builders.FROZEN:
                    if all:
                        self.stderr.write(
                            f"Skipped plan {document.pk}: not approved yet (give --as USERNAME).\n"
                        )
                        continue
                    raise CommandError(
                        f"Plan {document.pk} has no approved version: give --as USERNAME to export it with "
                        "the data that staff member sees today."
                    )
                try:
                    content, name = builders.export(
                        user, document, lang or document.language, format, mode, system=user is None
                    )
                except PermissionDenied as exc:
                    raise CommandError(f"{username} may not export plan {document.pk}.") from exc
                except ValidationError as exc:
                    raise CommandError(f"Plan {document.pk}: {' '.join(exc.messages)}") from exc
                target = path or Path(output) / name
                try:
                    target.write_bytes(content)
                except OSError as exc:
                    raise CommandError(f"Cannot write {target}: {exc.strerror}.") from exc
                written.append(str(target))
        if all and not written:
            raise CommandError("No plan document exported.")
        self.stdout.write("".join(f"{path}\n" for path in written))
