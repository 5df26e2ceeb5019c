"""Model fields that keep personal data encrypted at rest.

Values are encrypted with Fernet (AES-128-CBC + HMAC) under the keys in
``settings.ENCRYPTION_KEYS``; the first key encrypts, every key decrypts, so
keys can be rotated (``manage.py rotate_keys``). Keys retired by a rotation
(``settings.RETIRED_KEYS``) only decrypt, for backups made before it. Encrypted columns cannot be
searched or sorted in the database: that is the point.
"""

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute


@lru_cache(maxsize=4)
def _fernet(keys):
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"LIFELINE_ENCRYPTION_KEYS is not a list of Fernet keys: {exc}") from exc


def fernet():
    return _fernet(tuple(settings.ENCRYPTION_KEYS) + tuple(settings.RETIRED_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A value could not be decrypted: is LIFELINE_ENCRYPTION_KEYS (or LIFELINE_RETIRED_KEYS) complete?"
        ) from exc


class EncryptedTextField(models.TextField):
    """Text stored encrypted; empty stays empty so that blank fields cost nothing."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)


class EncryptedJSONField(models.TextField):
    """A JSON value (list or dict) stored as encrypted text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if not value:
            return self.get_default()
        return json.loads(decrypt(value))

    def to_python(self, value):
        if isinstance(value, (list, dict)) or value is None:
            return value
        return json.loads(value)

    def get_prep_value(self, value):
        if value in (None, [], {}, ""):
            return ""
        return encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


def blind_index(value: str) -> str:
    """A keyed digest of a normalised value, for finding equal encrypted values.

    Lets staff find duplicates (same document or phone) without storing the value
    in clear. Keyed with ``settings.INDEX_KEY``, which does not rotate with the
    encryption keys; empty values give an empty index.
    """
    import hashlib
    import hmac

    normalised = "".join(str(value or "").split()).casefold()
    if not normalised:
        return ""
    return hmac.new(settings.INDEX_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()[:40]


class Texts(dict):
    """{language tag: text}, with the one accessor that chooses for a person (``lifeline.core.languages``)."""

    def text_for(self, wanted, defaults=None):
        """The text for a person (or their list of languages): ``languages.pick``; None if there is none."""
        from lifeline.core.languages import pick

        return pick(self, wanted, defaults)

    def language_for(self, wanted, defaults=None):
        """The language of ``text_for``'s text: ``languages.pick_language``; None if there is none."""
        from lifeline.core.languages import pick_language

        return pick_language(self, wanted, defaults)


class _TextsAttribute(DeferredAttribute):
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = Texts(value) if isinstance(value, dict) else value


class MultilingualField(models.JSONField):
    """One text in several languages, stored as JSON {language tag: text} (a check-in, a message's parts, office
    hours). Reading gives a ``Texts``, whose ``text_for(person_or_languages)`` is the one way to choose.

    Stored exactly as a ``JSONField`` (``deconstruct`` says so): moving a field to it needs no migration."""

    descriptor_class = _TextsAttribute

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
