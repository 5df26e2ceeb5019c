from django.conf import settings
from django.core.management.base import BaseCommand

from lifeline.core import demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo deployment: idempotent."

    def handle(self, *args, **options):
        demo.load(self.stdout)
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000 and log in as one of:")
        for username, _org_key, role, scope, _superuser in demo.USERS:
            self.stdout.write(f"  {username:<12} {role.label:<14} {scope.label}")
        self.stdout.write(f"Password for every demo user: {demo.PASSWORD}")
        self.stdout.write(
            "Roles that see personal data ask for a second factor: use a backup code "
            f"({', '.join(demo.BACKUP_CODES[:3])} ... {demo.BACKUP_CODES[-1]}; each works once; "
            "run load_demo again to reset them), or set up an authenticator app from My account."
        )
        self.stdout.write("")
        self.stdout.write(
            "The app for nationals is at http://127.0.0.1:8000/app/: sign in with any email address. "
            + where_codes_go()
        )


def where_codes_go():
    """Where the app's one-time sign-in codes appear with this deployment's email settings."""
    backend = settings.EMAIL_BACKEND
    sms = "" if settings.SMS_GATEWAY_URL else " (SMS sign-in needs an SMS gateway, which the demo has not.)"
    if backend.endswith("console.EmailBackend"):
        where = (
            "Its sign-in code is printed in the terminal where the server runs (emails go to the console)."
        )
    elif backend.endswith("filebased.EmailBackend"):
        where = f"Its sign-in code is written as an email file in {getattr(settings, 'EMAIL_FILE_PATH', '')}."
    elif backend.endswith("smtp.EmailBackend"):
        where = (
            f"Its sign-in code is emailed through {settings.EMAIL_HOST}:{settings.EMAIL_PORT} "
            "(a loopback mail server shows it in its own page or log)."
        )
    else:
        where = f"Its sign-in code is sent by email with {backend}."
    return where + sms
