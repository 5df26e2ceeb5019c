"""Send one email through the whole engine (queue, worker, SMTP), to prove a deployment can send."""

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from lifeline.core.models import Organisation
from lifeline.messaging import services


class Command(BaseCommand):
    help = "Queue a test email to ADDRESS through the messaging engine; a worker sends it."

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument(
            "--organisation", help="name or id of the sending organisation (default: the first)"
        )
        parser.add_argument(
            "--copies",
            type=int,
            default=1,
            help="send to this many plus-addresses (name+1@host ...) to test fan-out across workers",
        )

    def handle(self, address, organisation=None, copies=1, **options):
        try:
            validate_email(address)
        except Exception as exc:
            raise CommandError(f"not an email address: {address}") from exc
        if not 1 <= copies <= 10_000:
            raise CommandError("--copies must be between 1 and 10,000")
        local, _at, host = address.partition("@")
        addresses = [address] if copies == 1 else [f"{local}+{i}@{host}" for i in range(1, copies + 1)]
        orgs = Organisation.objects.order_by("pk")
        if organisation:
            orgs = (
                orgs.filter(pk=int(organisation))
                if organisation.isdigit()
                else orgs.filter(name=organisation)
            )
        org = orgs.first()
        if org is None:
            raise CommandError(
                "no organisation yet: create the first one from /admin/ (see the operators' guide)"
            )
        with transaction.atomic():
            send = services.start_send(
                organisation=org,
                user=None,
                name="Test message",
                audience={
                    "kind": "static",
                    "recipients": [{"key": f"test:{a}", "addresses": {"email": a}} for a in addresses],
                },
                texts={"en": {"subject": "Lifeline test message", "body": "This deployment can send email."}},
                channels=["email"],
                source="operator test",
            )
        self.stdout.write(f"send {send.pk} queued to {len(addresses)} address(es)")
