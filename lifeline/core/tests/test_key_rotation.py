import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from lifeline.directory.models import KeyContact


def _raw(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT channels FROM directory_keycontact WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotation_re_encrypts_under_the_new_key(org_a, settings):
    old = settings.ENCRYPTION_KEYS[0]
    contact = KeyContact.objects.create(
        organisation=org_a, name="A", channels=[{"type": "email", "value": "a@example.org"}]
    )
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, old]
    call_command("rotate_keys", stdout=io.StringIO())
    Fernet(new.encode()).decrypt(_raw(contact.pk).encode())  # readable with the new key alone
    settings.ENCRYPTION_KEYS = [new]
    assert KeyContact.objects.get(pk=contact.pk).channels == [{"type": "email", "value": "a@example.org"}]


def test_a_retired_key_still_reads_rows_written_before_the_rotation(org_a, settings):
    """A backup made before a rotation holds rows under the old key: restored, they must still read."""
    old = settings.ENCRYPTION_KEYS[0]
    contact = KeyContact.objects.create(
        organisation=org_a, name="A", channels=[{"type": "email", "value": "a@example.org"}]
    )
    before_rotation = _raw(contact.pk)
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "LIFELINE_RETIRED_KEYS" in out.getvalue()
    # The old key leaves the active list and is kept as retired; the "restore" puts the old ciphertext back.
    settings.ENCRYPTION_KEYS, settings.RETIRED_KEYS = [new], [old]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_keycontact SET channels = %s WHERE id = %s", [before_rotation, contact.pk]
        )
    assert KeyContact.objects.get(pk=contact.pk).channels == [{"type": "email", "value": "a@example.org"}]
    # New writes use the active key only, never a retired one.
    contact.save()
    Fernet(new.encode()).decrypt(_raw(contact.pk).encode())
