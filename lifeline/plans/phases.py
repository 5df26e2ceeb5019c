"""Activating a phase of a post's consular contingency plan during a crisis: the phase's actions become
action items (``plans.actions.save_action``) whose source is the crisis, with an owner and a due date.

Who may: whoever may change the crisis (the lead post and those above it) and the plans of the post
whose plan it is. The plan is the crisis lead's own consular plan. A phase is activated once per
crisis; a closed crisis takes no new phase. Everything or nothing is written, and it is audited.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lifeline.core.models import Action, Area, Role
from lifeline.core.permissions import has_perm
from lifeline.crises.models import Crisis, Phase
from lifeline.plans import actions
from lifeline.plans.builder_models import DocumentKind, DocumentState, PlanDocument
from lifeline.plans.models_actions import ActionItem, ActionStatus, SourceKind
from lifeline.plans.models_phases import PhaseActivation

# A timing such as "Within 24 hours", "in 2 days", "3 weeks"; "same day" and the like mean the start.
_AMOUNT = re.compile(r"(\d+)\s*(hour|hr|h\b|day|d\b|week|wk)", re.IGNORECASE)
_AT_ONCE = ("same day", "on activation", "immediately", "at once", "today")
_UNIT_HOURS = {"hour": 1, "hr": 1, "h": 1, "day": 24, "d": 24, "week": 168, "wk": 168}


def section_key(phase):
    """The consular outline's section of a phase (``phase-voluntary-return``)."""
    return "phase-" + phase.replace("_", "-")


def due_from(started, timing):
    """The due date of an action whose timing reads ``timing``, the crisis having started at ``started``;
    None when the timing says no length of time (the caller uses today)."""
    text = (timing or "").strip().lower()
    found = _AMOUNT.search(text)
    if found:
        unit = found.group(2).lower()
        hours = int(found.group(1)) * _UNIT_HOURS[unit]
        return timezone.localdate(started + datetime.timedelta(hours=hours))
    if any(words in text for words in _AT_ONCE):
        return timezone.localdate(started)
    return None


def plans_for(user, crisis):
    """The consular plans a phase of may be activated on this crisis by this user (approved first);
    empty when the user may not activate any."""
    if not may_activate(user, crisis):
        return PlanDocument.objects.none()
    return (
        PlanDocument.objects.for_user(user, Action.CHANGE)
        .filter(kind=DocumentKind.CONSULAR, organisation_id=crisis.organisation_id)
        .order_by("-approved_version_id", "-pk")
    )


def may_activate(user, crisis):
    if not (has_perm(user, Area.CRISES, Action.CHANGE) and has_perm(user, Area.PLANS, Action.CHANGE)):
        return False
    return Crisis.objects.for_user(user, Action.CHANGE).filter(pk=crisis.pk).exists()


def phase_actions(document, phase):
    """The phase's actions as approved (the approved version), else as the plan stands now."""
    key = section_key(phase)
    if document.approved_version_id is not None:
        for section in document.approved_version.content.get("sections", []):
            if section.get("key") == key:
                return list(section.get("actions") or [])
        return []
    section = document.sections.filter(key=key).first()
    return list(section.actions) if section is not None else []


def _role_matches(role_text, role_value, language):
    wanted = role_text.strip().casefold()
    if not wanted:
        return False
    names = {role_value.casefold()}
    for code in {"en", language or "en"}:
        with translation.override(code):
            names.add(str(Role(role_value).label).casefold())
    return wanted in names


def owner_for(user, post, role_text, language):
    """The one active staff member of the post holding the role, if exactly one does (and the acting user
    may name them); else None."""
    staff = (
        get_user_model().objects.filter(is_active=True, profile__organisation=post).select_related("profile")
    )
    matching = [u for u in staff if _role_matches(role_text, u.profile.role, language)]
    if len(matching) != 1:
        return None
    return actions.owner_users(user).filter(pk=matching[0].pk).first()


def activate_phase(user, crisis, document, phase, today=None):
    """Make the phase's actions the crisis's tasks. Returns the ``PhaseActivation``."""
    if not may_activate(user, crisis):
        raise PermissionDenied
    if not plans_for(user, crisis).filter(pk=document.pk).exists():
        raise PermissionDenied
    if phase not in Phase.values:
        raise ValidationError(_("Choose a phase of the plan."))
    if not crisis.is_active:
        raise ValidationError(_("This emergency is closed: no phase can be activated any more."))
    if PhaseActivation.objects.filter(crisis=crisis, phase=phase).exists():
        raise ValidationError(
            _("The phase “%(phase)s” is already activated: its tasks are listed below.")
            % {"phase": Phase(phase).label}
        )
    planned = [a for a in phase_actions(document, phase) if str(a.get("text", "")).strip()]
    if not planned:
        raise ValidationError(_("This phase of the plan has no actions yet: add them to the plan first."))
    today = today or timezone.localdate()
    post = document.organisation
    try:
        with actions.acting(user), transaction.atomic():
            activation = PhaseActivation.objects.create(
                crisis=crisis, document=document, phase=phase, activated_by=user
            )
            made = []
            for planned_action in planned:
                item = ActionItem(organisation_id=post.pk)
                actions.save_action(
                    user,
                    item,
                    str(planned_action["text"]),
                    due_from(crisis.started, planned_action.get("timing")) or today,
                    owner_user=owner_for(user, post, str(planned_action.get("role", "")), document.language),
                    owner_organisation=post,
                    source=crisis,
                    source_kind=SourceKind.CRISIS_PHASE,
                )
                made.append(item)
            activation.tasks.set(made)
    except IntegrityError:  # activated by someone else at the same moment
        raise ValidationError(
            _("The phase “%(phase)s” is already activated: its tasks are listed below.")
            % {"phase": Phase(phase).label}
        ) from None
    return activation


def panel(user, crisis):
    """What the crisis page shows: the activated phases with their tasks (those the user may read),
    "N of M done", and the plans and phases the user may still activate."""
    activations = list(
        PhaseActivation.objects.filter(crisis=crisis).select_related("document", "activated_by")
    )
    task_ids = {a.pk: list(a.tasks.values_list("pk", flat=True)) for a in activations}
    all_ids = [pk for ids in task_ids.values() for pk in ids]
    visible = {item.pk: item for item in actions.visible(user).filter(pk__in=all_ids).order_by("due", "pk")}
    phases = []
    for activation in activations:
        tasks = [visible[pk] for pk in sorted(task_ids[activation.pk]) if pk in visible]
        phases.append(
            {
                "activation": activation,
                "label": Phase(activation.phase).label,
                "tasks": tasks,
                "done": sum(1 for t in tasks if t.status == ActionStatus.DONE),
            }
        )
    documents = list(plans_for(user, crisis)) if crisis.is_active else []
    done = {a.phase for a in activations}
    return {
        "phases": phases,
        "documents": documents,
        "approved": [d for d in documents if d.state == DocumentState.PUBLISHED],
        "open_phases": [(value, label) for value, label in Phase.choices if value not in done],
    }
