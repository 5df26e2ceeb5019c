"""Action items: every write and the rules they follow, one function each.

Checklist follow-ups, drill findings, meeting decisions, crisis phase tasks and participants' action
plans are all ``ActionItem``s, written here. Each function takes the acting user and plain values,
checks the right (``core.permissions``), refuses bad input with a translated ``ValidationError``
(changing nothing), writes in a transaction and is audited (the model is ``Audited``).

Who may do what: staff with the right to change plans in the scope of the recording organisation
create and edit items; the owner (the person named) may also move their own item along (in
progress, done, dropped) even when it was recorded by another organisation.
"""

import contextlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.models import Action, Area, Organisation
from lifeline.core.permissions import has_perm, organisation_ids_for
from lifeline.plans.models_actions import CLOSED, ActionItem, ActionStatus, SourceKind

AREA = Area.PLANS
# A pending item whose due date is within this many days is "due soon" (reminders, the home card).
DUE_SOON_DAYS = 7


# Reading -----------------------------------------------------------------------------------------


def visible(user):
    """The items the user reads: those of the organisations in their scope, and those they own."""
    if not has_perm(user, AREA, Action.VIEW):
        return ActionItem.objects.none()
    ids = organisation_ids_for(user, AREA)
    queryset = ActionItem.objects.all()
    if ids is not None:
        queryset = queryset.filter(Q(organisation_id__in=ids) | Q(owner_user=user))
    return queryset.select_related("owner_user", "owner_organisation", "organisation")


def mine(user):
    """The user's own list: items naming them, and items of their organisation that name nobody."""
    profile = getattr(user, "profile", None)
    owned = Q(owner_user=user)
    if profile is not None:
        owned |= Q(owner_user__isnull=True, owner_organisation_id=profile.organisation_id)
    return visible(user).filter(owned)


def may_edit(user, item):
    """Change the text, owner and due date: the right to change plans in the recording organisation's scope."""
    if not has_perm(user, AREA, Action.CHANGE):
        return False
    ids = organisation_ids_for(user, AREA)
    return ids is None or item.organisation_id in ids


def may_move(user, item):
    """Change the status (and close): whoever may edit it, and its owner."""
    if may_edit(user, item):
        return True
    return bool(item.owner_user_id and item.owner_user_id == getattr(user, "pk", None)) and has_perm(
        user, AREA, Action.VIEW
    )


def owner_users(user):
    """The staff the user may name as owners: active accounts of the organisations in their scope."""
    ids = organisation_ids_for(user, AREA)
    users = get_user_model().objects.filter(is_active=True, profile__isnull=False)
    if ids is not None:
        users = users.filter(profile__organisation_id__in=ids)
    return users.select_related("profile__organisation").order_by("first_name", "last_name", "username")


def owner_organisations(user):
    """Any organisation of the deployment may be named (a drill's finding often falls to a partner)."""
    return Organisation.objects.order_by("name")


def source_of(obj):
    """(content type, id) of a source record, for filters."""
    return ContentType.objects.get_for_model(type(obj)), obj.pk


def for_sources(objects):
    """{source id: [items]} for many source records of one model (the pages that list findings)."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    found = {}
    items = ActionItem.objects.filter(
        source_type=content_type, source_id__in=[o.pk for o in objects]
    ).select_related("owner_user", "owner_organisation")
    for item in items.order_by("due", "pk"):
        found.setdefault(item.source_id, []).append(item)
    return found


# Writing -----------------------------------------------------------------------------------------


def acting(user):
    """The audit log's actor for a write: the request's (middleware) or, when a command or a test
    calls the service directly, the acting user given to it."""
    actor = audit.current_actor()
    if actor.user is not None:
        return contextlib.nullcontext()
    return audit.acting_as(user, ip=actor.ip, via=actor.via)


def _check_scope(user, organisation_id):
    if not has_perm(user, AREA, Action.CHANGE):
        raise PermissionDenied
    ids = organisation_ids_for(user, AREA)
    if ids is not None and organisation_id not in ids:
        raise PermissionDenied


def _check_values(user, text, due, owner_user, owner_organisation):
    if not (text or "").strip():
        raise ValidationError(_("Say what is to be done."))
    if len(text) > 2000:
        raise ValidationError(_("The action is longer than 2000 characters."))
    if due is None:
        raise ValidationError(_("An action needs a due date."))
    if owner_user is None and owner_organisation is None:
        raise ValidationError(_("An action needs an owner: a person, an organisation or both."))
    if owner_user is not None and not owner_users(user).filter(pk=owner_user.pk).exists():
        raise ValidationError(_("Choose an owner among the staff you work with."))


def save_action(
    user,
    item,
    text,
    due,
    owner_user=None,
    owner_organisation=None,
    source=None,
    source_kind=None,
):
    """Create (``item`` unsaved, its ``organisation`` set) or change an action item."""
    if item.pk:
        stored = ActionItem.objects.get(pk=item.pk)
        _check_scope(user, stored.organisation_id)
        item.organisation_id = stored.organisation_id
    else:
        _check_scope(user, item.organisation_id)
        item.created_by = user
    _check_values(user, text, due, owner_user, owner_organisation)
    item.text = text.strip()
    item.due = due
    item.owner_user = owner_user
    item.owner_organisation = owner_organisation
    if source is not None:
        item.source_type, item.source_id = source_of(source)
    if source_kind is not None:
        item.source_kind = source_kind
    with acting(user), transaction.atomic():
        item.save()
    return item


def set_status(user, item, status, note=""):
    """Move an item along; closing it (done or dropped) records when, and a dropped one says why."""
    if not may_move(user, item):
        raise PermissionDenied
    if status not in ActionStatus.values:
        raise ValidationError(_("Choose a status: open, in progress, done or dropped."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError(_("The closing note is longer than 2000 characters."))
    if status == ActionStatus.DROPPED and not note:
        raise ValidationError(_("Say why the action is dropped."))
    with acting(user), transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        item.status = status
        if status in CLOSED:
            item.closing_note = note
            item.closed_at = item.closed_at or timezone.now()
        else:
            item.closed_at = None
            if note:
                item.closing_note = note
        item.save()
    return item


# Checklist follow-ups ----------------------------------------------------------------------------


def follow_up_of(answer):
    """The action item that follows up an answer of a checklist (the newest), or None."""
    if answer is None or answer.pk is None:
        return None
    content_type, pk = source_of(answer)
    return ActionItem.objects.filter(source_type=content_type, source_id=pk).order_by("-pk").first()


def sync_follow_up(user, answer, text, due, owner_user=None, owner_organisation=None):
    """What an answer's "follow-up action" fields say, kept as its action item through ``save_action``.

    Empty text on an answer that had a pending follow-up drops it (with a note); a closed one is
    left as it is, and a new text after it makes a new item. Returns the item or None."""
    item = follow_up_of(answer)
    text = (text or "").strip()
    if not text:
        if item is not None and item.is_pending:
            return set_status(user, item, ActionStatus.DROPPED, _("Removed from the checklist answer."))
        return item
    if item is None or not item.is_pending:  # a closed follow-up stays as it was closed: a new one
        item = ActionItem(organisation_id=answer.assessment.organisation_id)
    elif (item.text, item.due, item.owner_user_id, item.owner_organisation_id) == (
        text,
        due,
        owner_user.pk if owner_user else None,
        owner_organisation.pk if owner_organisation else None,
    ):
        return item  # the answer saved again with the same follow-up: nothing to write or audit
    return save_action(
        user,
        item,
        text,
        due,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        source=answer,
        source_kind=SourceKind.CHECKLIST,
    )


# Reminders ---------------------------------------------------------------------------------------


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def send_reminders(today=None, soon_days=DUE_SOON_DAYS):
    """Email each owner (a person with an address) their overdue and due-soon items, once a day at most.

    Items owned by an organisation only show on its list and its staff's home page; they are not
    mailed to anyone. Returns the number of emails sent."""
    today = today or timezone.localdate()
    horizon = today + timezone.timedelta(days=soon_days)
    items = (
        ActionItem.objects.pending()
        .filter(due__lte=horizon, owner_user__isnull=False, owner_user__is_active=True)
        .exclude(owner_user__email="")
        .exclude(reminded_on=today)
        .select_related("owner_user__profile")
        .order_by("owner_user_id", "due", "pk")
    )
    by_user = {}
    for item in items:
        by_user.setdefault(item.owner_user, []).append(item)
    sent = 0
    for owner, owned in by_user.items():
        profile = getattr(owner, "profile", None)
        language = (profile.language if profile is not None else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            overdue = [i for i in owned if i.due < today]
            soon = [i for i in owned if i.due >= today]
            lines = []
            if overdue:
                lines.append(_("Overdue:"))
                lines += [f"- {i.due.isoformat()}: {i.text}" for i in overdue]
            if soon:
                lines.append(_("Due in the next %(days)s days:") % {"days": soon_days})
                lines += [f"- {i.due.isoformat()}: {i.text}" for i in soon]
            lines.append(_("Your actions: %(url)s") % {"url": _absolute(reverse("plans:my_actions"))})
            subject = _("Your actions: %(overdue)s overdue, %(soon)s due soon") % {
                "overdue": len(overdue),
                "soon": len(soon),
            }
        try:
            mail.send_mail(subject, "\n".join(lines), None, [owner.email])
        except OSError:
            continue  # the next run tries again: nothing was marked
        ActionItem.objects.filter(pk__in=[i.pk for i in owned]).update(reminded_on=today)
        sent += 1
    return sent
