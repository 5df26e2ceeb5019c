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
