"""Lost updates refused: an edit is saved only over the version its author saw.

Two people open one record; the first saves; the second's save would silently erase the
first's changes. Every edit form carries the *version* of the record it was opened on, and
the save is refused with a clear "changed meanwhile" answer when the record has changed since.

The version is a fingerprint of the record's stored values (its own fields and the ids of its
many-to-many links), keyed with the deployment's secret so that it reveals nothing about them.
It needs no column and no migration, works for every model alike, and is compared again under
a row lock when the form saves, so two saves that both passed validation cannot both win.

- Pages: forms inherit ``VersionedForm`` (before ``forms.ModelForm``); the hidden ``edit_version``
  field is rendered by ``includes/form.html`` with the other hidden fields. After a refusal the
  form carries the new version: saving again, after a look, keeps the author's values. A refusal
  caught only under the row lock is answered by a 409 page (``core/errors.changed_meanwhile``).
- API: detail answers carry the version as an ``ETag``; a ``PUT`` with ``If-Match`` is held to it
  (412 when the record changed meanwhile: ``api/common.if_match`` for a form, ``matched_version``
  for a write service that re-checks it under the row lock); without it, it overwrites.
"""

import hashlib
import hmac
import json

from django import forms
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIELD = "edit_version"


def fingerprint(instance):
    """The version of ``instance`` as stored: 20 hex characters, "" for an unsaved record."""
    if instance is None or instance.pk is None:
        return ""
    values = {}
    for field in instance._meta.concrete_fields:
        values[field.attname] = field.value_from_object(instance)
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            values[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True).order_by())
    payload = json.dumps(values, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    key = f"{settings.SECRET_KEY}:version".encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:20]


def current_fingerprint(instance, lock=False):
    """The version of ``instance``'s row as the database holds it now (locked when ``lock``)."""
    manager = type(instance)._base_manager
    if lock:
        manager = manager.select_for_update()
    stored = manager.filter(pk=instance.pk).first()
    return fingerprint(stored) if stored is not None else ""


def last_change(instance):
    """(who, when) of the last audited change to ``instance``, or (None, None)."""
    from lifeline.core.audit import object_label
    from lifeline.core.models import AuditAction, AuditEntry

    entry = (
        AuditEntry.objects.filter(
            object_type=object_label(instance),
            object_id=str(instance.pk),
            action__in=[AuditAction.UPDATE, AuditAction.CREATE],
        )
        .order_by("-at", "-pk")
        .only("actor_name", "at")
        .first()
    )
    return (entry.actor_name or None, entry.at) if entry else (None, None)


def changed_meanwhile_message(instance):
    who, when = last_change(instance)
    if who and when:
        return _(
            "%(who)s changed this record at %(when)s, after you opened it. Your changes are not "
            "saved: check the record in another tab, then save again to keep yours."
        ) % {"who": who, "when": date_format(timezone.localtime(when), "DATETIME_FORMAT")}
    return _(
        "Someone changed this record after you opened it. Your changes are not saved: check the "
        "record in another tab, then save again to keep yours."
    )


class ChangedMeanwhile(Exception):
    def __init__(self, instance):
        self.instance = instance
        super().__init__(changed_meanwhile_message(instance))


class VersionedForm:
    """A model form that refuses to save over a version of the record its author did not see.

    Put it before ``forms.ModelForm`` in the bases. An empty or missing version (an API client
    that does not send one) is not checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
        if self.instance.pk is not None:
            self.initial.setdefault(FIELD, fingerprint(self.instance))

    def _stale(self, seen, current):
        return bool(seen) and self.instance.pk is not None and seen != current

    def _refuse(self):
        # The form comes back with the record's new version: saving again, after a look, wins.
        if self.is_bound and hasattr(self.data, "_mutable"):
            self.data = self.data.copy()
        if self.is_bound:
            key = self.add_prefix(FIELD)
            try:
                self.data[key] = current_fingerprint(self.instance)
            except TypeError:  # an immutable mapping: leave it
                pass
        raise forms.ValidationError(changed_meanwhile_message(self.instance), code="changed_meanwhile")

    def clean(self):
        cleaned = super().clean()
        # The instance still holds the stored values here (they are copied onto it after clean()).
        if self._stale(self.cleaned_data.get(FIELD), fingerprint(self.instance)):
            self._refuse()
        return cleaned

    def save(self, commit=True):
        if not commit or self.instance.pk is None or not self.cleaned_data.get(FIELD):
            return super().save(commit=commit)
        with transaction.atomic():
            if self._stale(self.cleaned_data[FIELD], current_fingerprint(self.instance, lock=True)):
                raise ChangedMeanwhile(self.instance)
            return super().save(commit=commit)
