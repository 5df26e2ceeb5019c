from django.core.management.base import BaseCommand

from lifeline.messaging.channels import vapid


class Command(BaseCommand):
    help = "Create the VAPID key pair for Web Push once (if absent) and print the public key."

    def handle(self, *args, **options):
        from django.conf import settings

        if settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY:
            self.stdout.write(settings.VAPID_PUBLIC_KEY)
            self.stderr.write("VAPID keys come from the environment; no file written.")
            return
        keys, created = vapid.ensure_keys_file()
        self.stderr.write(f"{'Created' if created else 'Kept'} {vapid.keys_file()}")
        self.stdout.write(keys["public_key"])
