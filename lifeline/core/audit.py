"""The append-only audit log: who did what to which object and fields, when, from where.

Creates, updates and deletes of audited models are recorded by signals, so no
path (pages, API, admin, commands) can skip them. Views and exports of personal
data are recorded by the code that shows or exports them, through ``record``.
The acting user comes from ``acting_as`` (set by middleware, the API and
commands).
"""

import contextlib
import contextvars
import copy
import json
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from lifeline.core.models import AuditAction, AuditEntry


@dataclass
class Actor:
    user: object = None
    ip: str | None = None
    via: str = "web"


_current = contextvars.ContextVar("lifeline_actor", default=Actor(via="system"))  # noqa: B039 (never mutated)


@contextlib.contextmanager
def acting_as(user=None, ip=None, via="web"):
    token = _current.set(Actor(user=user, ip=ip, via=via))
    try:
        yield
    finally:
        _current.reset(token)


def current_actor():
    return _current.get()


def _user_fields(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor_id": None, "actor_name": "", "organisation_id": None}
    profile = getattr(user, "profile", None)
    return {
        "actor_id": user.pk,
        "actor_name": user.get_username(),
        "organisation_id": profile.organisation_id if profile else None,
    }


def object_label(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def entry_values(
    action, obj=None, fields=None, reason="", user=None, object_type="", object_id="", object_repr=""
):
    """The column values of an audit entry for the current actor."""
    actor = current_actor()
    user = user if user is not None else actor.user
    if obj is not None:
        object_type = object_label(obj)
        object_id = str(obj.pk)
        object_repr = obj.audit_repr() if hasattr(obj, "audit_repr") else str(obj)
    return {
        "at": timezone.now(),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": str(object_repr)[:200],
        "fields": sorted(fields or []),
        "reason": reason[:300],
        "ip": actor.ip,
        "via": actor.via,
        **_user_fields(user),
    }


def inserted_sql(ctx):
    """The audit entries of the rows a one-statement write inserts: an ``INSERT ... SELECT`` over
    ``ctx.rows`` (see ``crises.answering``), built from this model's table and column names. ``ctx``
    gives ``object_id`` and ``repr`` as SQL over those rows; ``inserted_values`` gives the rest."""
    sql = {name: ctx.param(name) for name in _INSERTED}
    sql["object_id"] = f"CAST({ctx.object_id} AS text)"
    sql["object_repr"] = f"SUBSTR({ctx.repr}, 1, 200)"
    fields = [f for f in AuditEntry._meta.concrete_fields if f.name in sql]
    return (
        f"INSERT INTO {AuditEntry._meta.db_table} ({', '.join(f.column for f in fields)}) "
        f"SELECT {', '.join(sql[f.name] for f in fields)} FROM {ctx.rows}"
    )


def inserted_values(ctx):
    """The values of ``inserted_sql``'s entries: the current actor's, now (``ctx.object_type`` and
    ``ctx.fields`` say what was created)."""
    values = entry_values(AuditAction.CREATE, fields=ctx.fields, object_type=ctx.object_type)
    values["fields"] = json.dumps(values["fields"])
    return {name: values[name] for name in _INSERTED}


# The columns of an entry that ``inserted_sql`` takes as values (the object is the inserted row).
_INSERTED = (
    "at",
    "actor_id",
    "actor_name",
    "organisation_id",
    "action",
    "object_type",
    "fields",
    "reason",
    "ip",
    "via",
)


class EntryTemplate:
    """The same entry for many objects (an import): built once, stamped per object."""

    def __init__(self, action, model, fields, user=None):
        self.base = entry_values(
            action, fields=fields, user=user, object_type=f"{model._meta.app_label}.{model._meta.model_name}"
        )

    def for_object(self, obj):
        values = dict(self.base)
        values["object_id"] = str(obj.pk)
        values["object_repr"] = (obj.audit_repr() if hasattr(obj, "audit_repr") else str(obj))[:200]
        return values


def entry(*args, **kwargs):
    """Build (not save) an audit entry for the current actor."""
    return AuditEntry(**entry_values(*args, **kwargs))


def record(action, obj=None, fields=None, reason="", **kwargs):
    e = entry(action, obj=obj, fields=fields, reason=reason, **kwargs)
    e.save()
    return e


class Audited:
    """Mixin for models whose creates, updates and deletes are logged with field names."""

    audit_exclude = ("created", "updated")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = instance._snapshot()
        return instance

    def _snapshot(self):
        return {
            f.attname: copy.deepcopy(getattr(self, f.attname))
            for f in self._meta.concrete_fields
            if f.attname in self.__dict__
        }

    def changed_fields(self):
        names = [
            f.attname
            for f in self._meta.concrete_fields
            if f.name not in self.audit_exclude and f.name != "id"
        ]
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            return names
        return [n for n in names if n in loaded and getattr(self, n) != loaded[n]]


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Audited):
        return
    fields = instance.changed_fields()
    if created or fields:
        record(AuditAction.CREATE if created else AuditAction.UPDATE, obj=instance, fields=fields)
    instance._loaded = instance._snapshot()


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, Audited):
        record(AuditAction.DELETE, obj=instance)


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Links (languages, areas, focal points) are changes too; record them on the record that owns them."""
    if action not in ("post_add", "post_remove", "post_clear") or (action != "post_clear" and not pk_set):
        return
    if not reverse and isinstance(instance, Audited):
        names = [f.name for f in instance._meta.many_to_many if f.remote_field.through is sender]
        record(AuditAction.UPDATE, obj=instance, fields=names)
    elif reverse and issubclass(model, Audited):
        names = [f.name for f in model._meta.many_to_many if f.remote_field.through is sender]
        for owner in model._base_manager.filter(pk__in=pk_set or []):
            record(AuditAction.UPDATE, obj=owner, fields=names)


post_save.connect(_on_save, dispatch_uid="lifeline-audit-save")
m2m_changed.connect(_on_m2m, dispatch_uid="lifeline-audit-m2m")
post_delete.connect(_on_delete, dispatch_uid="lifeline-audit-delete")


def save_entries(values):
    """Append many entries at once (imports): dicts from ``entry_values``, one prepared INSERT."""
    from lifeline.core.bulk import insert_rows

    insert_rows(AuditEntry, list(values))
