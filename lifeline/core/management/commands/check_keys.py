"""Can every encrypted value be read with the configured keys? Run after a restore (``lifeline restore`` does)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lifeline.core.fields import fernet
from lifeline.core.management.commands.rotate_keys import encrypted_fields


class Command(BaseCommand):
    help = (
        "Try to decrypt every encrypted value in the database with LIFELINE_ENCRYPTION_KEYS and "
        "LIFELINE_RETIRED_KEYS; fail if any needs a key that is not there."
    )

    def handle(self, *args, **options):
        keys = fernet()
        read = unreadable = 0
        for model in apps.get_models():
            table = model._meta.db_table
            for field in encrypted_fields(model):
                column = connection.ops.quote_name(field.column)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {column} FROM {connection.ops.quote_name(table)} WHERE {column} <> ''"
                    )
                    while rows := cursor.fetchmany(2000):
                        for (value,) in rows:
                            try:
                                keys.decrypt(value.encode())
                                read += 1
                            except Exception:  # counted and reported
                                unreadable += 1
        if unreadable:
            raise CommandError(
                f"{unreadable} encrypted values cannot be read with the configured keys ({read} can): "
                "put the key they were written with in LIFELINE_RETIRED_KEYS"
            )
        self.stdout.write(f"All {read} encrypted values can be read.")
