"""Create the first organisation and its administrator on a new deployment (``lifeline first-admin``)."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lifeline.core import audit
from lifeline.core.models import Organisation, OrganisationKind, Role, Scope, StaffProfile
from lifeline.geo.models import Country
from lifeline.geo.services import ensure_countries


class Command(BaseCommand):
    help = (
        "Create the owning organisation and its first administrator (whole-deployment scope). "
        "The password is asked for, or read from LIFELINE_ADMIN_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="full name of the owning organisation")
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code, e.g. JO")
        parser.add_argument(
            "--kind", default=OrganisationKind.CIVIL_PROTECTION, choices=OrganisationKind.values
        )
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)

    def handle(self, *args, organisation, country, kind, username, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"the user {username} exists already")
        password = os.environ.get("LIFELINE_ADMIN_PASSWORD") or self._ask()
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        ensure_countries()
        place = Country.objects.filter(code=country.upper()).first()
        if place is None:
            raise CommandError(f"unknown country code {country}")
        with audit.acting_as(None, via="command"), transaction.atomic():
            org, _created = Organisation.objects.get_or_create(
                name=organisation, defaults={"kind": kind, "country": place}
            )
            user = User.objects.create_superuser(username=username, email=email, password=password)
            StaffProfile.objects.create(
                user=user, organisation=org, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT
            )
        self.stdout.write(
            f"Created {username}, administrator of {org.name}. At the first log-in the product asks this "
            "account to set up an authenticator app (any TOTP app: FreeOTP, Aegis, Google Authenticator) "
            "and shows one-time backup codes: print them and keep them in a safe."
        )

    def _ask(self):
        import getpass

        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return first
