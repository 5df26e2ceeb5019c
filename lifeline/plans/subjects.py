"""Kinds of record, owned by other apps, that an assessment can be about besides an organisation or a plan.

An app registers its kind once (in its ``AppConfig.ready``): the engine then asks that app, never
its own role check, whether a user may answer such an assessment, so the scope stays the owning
app's (a child on an evacuation is seen by those who see the crisis and reach the child's people).
The plans pages never list these assessments (``Assessment.objects.for_user`` leaves them out).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    kind: str  # stored in ``Assessment.subject``
    template_key: str  # the shipped checklist every assessment of this kind uses
    may_change: Callable  # (user, assessment) -> bool


_registry: dict[str, Subject] = {}


def register(subject):
    _registry[subject.kind] = subject


def get(kind):
    """The registered subject kind; a ``LookupError`` for a kind nobody registered."""
    try:
        return _registry[kind]
    except KeyError as exc:
        raise LookupError(f"No app registered the assessment subject {kind!r}.") from exc


def template_keys():
    """Keys of the checklists answered only through another app (not offered for an organisation or a plan)."""
    return {subject.template_key for subject in _registry.values()}
