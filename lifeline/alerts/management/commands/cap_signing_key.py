"""Give an organisation a key to sign its CAP messages (``lifeline manage cap_signing_key``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from lifeline.alerts import signing
from lifeline.core.models import Organisation


class Command(BaseCommand):
    help = (
        "Make (--generate) or install (--key and --cert) the key that signs an organisation's CAP "
        "messages; without either, show which key signs them."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's id or short name")
        parser.add_argument(
            "--generate", action="store_true", help="a new RSA key and a self-signed certificate"
        )
        parser.add_argument("--days", type=int, default=730, help="validity of a generated certificate")
        parser.add_argument("--key", help="a PEM private key (unencrypted) issued for the organisation")
        parser.add_argument("--cert", help="the PEM certificate of that key")

    def handle(self, *args, organisation, generate, days, key, cert, **options):
        lookup = Q(short_name__iexact=organisation)
        if organisation.isdigit():
            lookup |= Q(pk=int(organisation))
        found = list(Organisation.objects.filter(lookup)[:2])
        if len(found) != 1:
            raise CommandError(f"No single organisation is called {organisation!r}.")
        org = found[0]
        if generate and (key or cert):
            raise CommandError("Give either --generate or --key and --cert, not both.")
        if bool(key) != bool(cert):
            raise CommandError("--key and --cert go together.")
        if generate:
            key_pem, cert_pem = signing.make_self_signed(org.name, days=days)
        elif key:
            try:
                key_pem, cert_pem = Path(key).read_bytes(), Path(cert).read_bytes()
            except OSError as exc:
                raise CommandError(str(exc)) from exc
        else:
            pair = signing.signing_pair(org)
            if pair is None:
                self.stdout.write(f"{org}: CAP messages go out unsigned (no key for it or its parents).")
            else:
                self.stdout.write(f"{org}: {signing.status_for_pair(pair)}")
            return
        try:
            key_path, cert_path = signing.install_pair(org.pk, key_pem, cert_pem)
        except ValueError as exc:
            raise CommandError(f"The key and the certificate do not belong together: {exc}") from exc
        self.stdout.write(f"{org}: signing key {key_path} (mode 600), certificate {cert_path}.")
        self.stdout.write("Keep a copy of both with the deployment's other keys (docs/operators/backups.md).")
