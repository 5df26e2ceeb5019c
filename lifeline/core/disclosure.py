"""Who may see what about a person: one disclosure policy per model, the one place that decides.

Each app declares the policies of its models in its own ``disclosure.py`` (loaded when the
project starts, see ``CoreConfig.ready``)::

    register(Policy("nationals.registration", Area.NATIONALS, personal=(...), derived={...}))

A policy says which fields are personal, which permission unlocks them (``Action.PERSONAL``
on one area, whatever page, API operation, export, manifest or audience shows them), and
whether showing them is audited. Everything that shows a person's details asks it::

    see = disclosure.to(user, Registration)   # or disclosure.to(user, registration)
    see.allowed                     # may the user see the personal fields?
    see.may("phone"), {{ see.phone }}  # may this field be shown (True for non-personal fields)
    see.value(obj, "phone")         # the value, or MASK
    see.masked(data)                # a dict with the personal keys set to None
    see.audit(obj, reason)          # one VIEW entry for the object (the fields that held something)
    see.audit_listing(objs, reason) # one INSERT for a listed page: an entry per person shown
    see.audit_export(count, fmt)    # one EXPORT entry for a file

Reads are audited once per request or listing, never per field; nothing is audited when
nothing personal was shown (the role may not see it, or the fields were empty).
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps

from lifeline.core import audit
from lifeline.core.models import Action, AuditAction

MASK = "•••"
EMPTY = (None, "", [], {})

_policies = {}


@dataclass(frozen=True)
class Policy:
    model: str  # "app_label.model_name"
    area: str  # the permission area whose Action.PERSONAL unlocks the personal fields
    personal: tuple  # the fields that are personal
    derived: dict = field(default_factory=dict)  # attribute -> the personal fields it shows (full_name...)
    audited: bool = True  # showing or exporting the personal fields writes an audit entry
    named: bool = False  # str(obj) is personal (a person's name)
    # Only on records in the user's own scope (``for_user``), never on those read as shared
    # knowledge of other organisations (``readable_by``: interpreters).
    own_scope_only: bool = False
    unlock: str = Action.PERSONAL

    def is_personal(self, name):
        return name in self.personal or name in self.derived

    def allowed(self, user):
        from lifeline.core.permissions import has_perm

        return has_perm(user, self.area, self.unlock)

    def held(self, obj):
        """The personal fields of ``obj`` that hold something (and so would be shown)."""
        return [name for name in self.personal if _holds(getattr(obj, name, None))]


def register(policy):
    _policies[policy.model] = policy
    return policy


def _label(model):
    if isinstance(model, str):
        return model.lower()
    return f"{model._meta.app_label}.{model._meta.model_name}"


def policy_for(model):
    """The policy of a model (a class, an instance or "app.model"); KeyError if it has none."""
    return _policies[_label(model)]


def policies():
    return dict(_policies)


def autodiscover():
    """Import every installed app's ``disclosure`` module (its models' policies)."""
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.disclosure")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.disclosure":
                raise


def _holds(value):
    if isinstance(value, (list, dict, tuple)):
        return bool(value)
    return value is not None and value != "" and bool(getattr(value, "name", True))


class Masked:
    """A read-only view of a record for one user: its personal attributes (fields and the
    properties derived from them) read as ``MASK``; everything else passes through."""

    __slots__ = ("_obj", "_see")

    def __init__(self, obj, see):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_see", see)

    def __getattr__(self, name):
        value = getattr(self._obj, name)
        if self._see.may(name) or not _holds(value):
            return value
        return MASK

    def __setattr__(self, name, value):
        raise AttributeError("a masked record is read-only")

    def __str__(self):
        return MASK if self._see.policy.named else str(self._obj)

    def __eq__(self, other):
        return self._obj == (other._obj if isinstance(other, Masked) else other)

    def __hash__(self):
        return hash(self._obj)


class Disclosure:
    """A policy as it applies to one user (and one record, if given): what may be shown, and the audit of what was."""

    def __init__(self, policy, user, obj=None):
        self.policy, self.user = policy, user
        self.allowed = policy.allowed(user)
        if self.allowed and obj is not None and policy.own_scope_only and obj.pk is not None:
            self.allowed = type(obj).objects.for_user(user).filter(pk=obj.pk).exists()

    def may(self, name):
        """Whether the field or attribute ``name`` may be shown (True for what is not personal)."""
        return self.allowed or not self.policy.is_personal(name)

    def __getitem__(self, name):
        """Templates: ``{% if see.phone %}``. Only personal names are keys; ``see.allowed`` is the attribute."""
        if not self.policy.is_personal(name):
            raise KeyError(name)
        return self.allowed

    def value(self, obj, name, mask=MASK):
        """The attribute, or ``mask`` (when it holds something) if the user may not see it."""
        value = getattr(obj, name)
        if self.may(name):
            return value
        return mask if _holds(value) else value

    def wrap(self, obj):
        """``obj`` as templates may see it: personal attributes read as MASK unless allowed."""
        return obj if obj is None or self.allowed else Masked(obj, self)

    def wrap_all(self, objs):
        return [self.wrap(obj) for obj in objs]

    def masked(self, data, blank=None):
        """A copy of ``data`` (a dict of field values) with the personal keys set to ``blank``."""
        if self.allowed:
            return dict(data)
        return {key: (blank if self.policy.is_personal(key) else value) for key, value in data.items()}

    def shown(self, obj):
        """The personal fields of ``obj`` that this user is shown (for the audit entry)."""
        return self.policy.held(obj) if self.allowed else []

    def columns(self, names):
        """Of ``names``, those the user may be given (export columns)."""
        return [name for name in names if self.may(name)]

    def audit(self, obj, reason="", action=AuditAction.VIEW, fields=None):
        """One entry for an object whose details were shown; none if nothing personal was."""
        shown = self.shown(obj) if fields is None else (fields if self.allowed else [])
        if not self.policy.audited or not shown:
            return None
        return audit.record(action, obj=obj, fields=shown, reason=reason)

    def audit_listing(self, objs, reason="", fields=None, action=AuditAction.VIEW):
        """A listed page of people (or a file of them, ``action`` EXPORT): one INSERT, an entry per
        object whose details were shown, so that each person's history says who saw them."""
        objs = [obj for obj in objs if obj is not None]
        if not self.policy.audited or not self.allowed or not objs:
            return
        model = type(objs[0])
        fields = list(self.policy.personal) if fields is None else list(fields)
        template = audit.EntryTemplate(action, model, fields)
        entries = []
        for obj in objs:
            values = template.for_object(obj)
            values["reason"] = str(reason)[:300]
            entries.append(values)
        audit.save_entries(entries)

    def audit_export(self, count, fmt, columns=None, reason="", object_type=""):
        """One EXPORT entry for a file of ``count`` records (exports are always audited)."""
        from django.utils.translation import gettext as _

        columns = self.columns(self.policy.personal if columns is None else columns)
        personal = [name for name in columns if self.policy.is_personal(name)]
        return audit.record(
            AuditAction.EXPORT,
            object_type=object_type or self.policy.model,
            object_repr=_("%(n)s records (%(fmt)s)") % {"n": count, "fmt": fmt},
            fields=personal if self.allowed else [],
            reason=reason,
        )


def may_see(user, model):
    """Whether ``user`` may see the personal fields of ``model`` (False for a model with none)."""
    policy = _policies.get(_label(model))
    return policy is not None and policy.allowed(user)


def require(user, model):
    """Refuse (403) a user who may not see ``model``'s personal fields: who may not see them may not write them."""
    from django.core.exceptions import PermissionDenied

    if not to(user, model).allowed:
        raise PermissionDenied


def to(user, model):
    """The disclosure of ``model``'s personal fields to ``user`` (``model``: a class, or one record)."""
    obj = None if isinstance(model, (str, type)) else model
    return Disclosure(policy_for(model), user, obj)
