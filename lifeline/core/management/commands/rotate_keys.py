from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from lifeline.core import audit
from lifeline.core.fields import EncryptedJSONField, EncryptedTextField
from lifeline.core.models import AuditAction

BATCH = 1000


def encrypted_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, (EncryptedTextField, EncryptedJSONField))]


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal field under the first key of LIFELINE_ENCRYPTION_KEYS. "
        "Run after putting a new key first; then move the old keys to LIFELINE_RETIRED_KEYS "
        "and keep them there as long as any backup made before the rotation."
    )

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            names = [f.name for f in fields]
            ids = list(model._base_manager.values_list("pk", flat=True).order_by("pk"))
            for start in range(0, len(ids), BATCH):
                with transaction.atomic():
                    rows = list(
                        model._base_manager.filter(pk__in=ids[start : start + BATCH]).only("pk", *names)
                    )
                    # Reading decrypted with any key; saving encrypts with the first one.
                    model._base_manager.bulk_update(rows, names)
                total += len(rows)
            self.stdout.write(f"{model._meta.label}: {len(ids)} rows re-encrypted")
        self.stdout.write(
            "Done. Move the old keys from LIFELINE_ENCRYPTION_KEYS to LIFELINE_RETIRED_KEYS and keep them "
            "there as long as you keep backups made before today: those backups need them to be read."
        )
        with audit.acting_as(None, via="command"):
            audit.record(
                AuditAction.SETTINGS, object_type="core.encryption", object_repr=f"keys rotated: {total} rows"
            )
