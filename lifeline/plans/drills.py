"""Drills: record an exercise and its findings. Every write here, one function each.

A drill belongs to the organisation that held it and may name the plan it tested (one the user
reads in the register). Its findings are action items (``plans.actions``) whose source is the drill,
tracked to closure on the owners' lists like every other action.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lifeline.plans import actions
from lifeline.plans.actions import acting
from lifeline.plans.models import Plan
from lifeline.plans.models_actions import ActionItem, Drill, SourceKind

FIELDS = (
    "title",
    "held_on",
    "level",
    "scenario",
    "objectives",
    "plan",
    "participants",
    "migrant_representatives",
    "notes",
)


def save_drill(user, drill, data):
    """Create (``drill`` unsaved, its ``organisation`` set) or change a drill from plain values."""
    if drill.pk:
        stored = Drill.objects.get(pk=drill.pk)
        actions._check_scope(user, stored.organisation_id)
        drill.organisation_id = stored.organisation_id
    else:
        actions._check_scope(user, drill.organisation_id)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"not fields of a drill: {sorted(unknown)}")
    for name, value in data.items():
        setattr(drill, name, value)
    if drill.plan_id and not Plan.objects.for_user(user).filter(pk=drill.plan_id).exists():
        raise PermissionDenied
    if (drill.migrant_representatives or 0) > (drill.participants or 0):
        raise ValidationError(
            _("Migrant representatives are counted among the participants: there cannot be more of them.")
        )
    drill.full_clean(exclude=["organisation", "plan"])
    with acting(user), transaction.atomic():
        drill.save()
    return drill


def add_finding(user, drill, text, due, owner_user=None, owner_organisation=None):
    """A finding of the drill, as an action item with an owner and a due date."""
    return actions.save_action(
        user,
        ActionItem(organisation_id=drill.organisation_id),
        text,
        due,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        source=drill,
        source_kind=SourceKind.DRILL,
    )


def findings(drill):
    return actions.for_sources([drill]).get(drill.pk, [])
