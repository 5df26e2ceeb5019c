"""Two-person approval: the one workflow for everything published only after a second person's check.

An item (a model that inherits ``Approvable``: alerts, travel advice versions, and later plans, course
adaptations and learning packages) goes draft → awaiting approval → published, or back to draft.
The rules, in one place:

- every change of the content records who made it among the item's contributors (``record_change``);
  its creator always counts as one;
- a change after submission withdraws the submission: the item is a draft again (audited);
- who submits vouches for the content and counts as a contributor too;
- the approver needs CHANGE on the item's area in the role matrix, must reach its organisation
  (``approvable_by``: by default whoever may change it; travel advice narrows it to the owner's scope,
  so a post drafts and its ministry approves), and must be none of its contributors;
- every step is a conditional UPDATE on the state and revision the acting user saw, so of two concurrent
  approvals (or an approval and an edit) exactly one wins, and nothing changed unseen gets published.

Approvers hear of a submission by email (``notify_approvers``) and find it in their inbox (``waiting_for``).
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifeline.core import audit
from lifeline.core.models import Action, AuditAction
from lifeline.core.permissions import has_perm

log = logging.getLogger(__name__)

DRAFT = "draft"
SUBMITTED = "awaiting"
PUBLISHED = "published"
EDITABLE = (DRAFT, SUBMITTED)


class Approvable(models.Model):
    """Fields and hooks of an item under two-person approval.

    The model keeps its own ``state`` field (whose values include ``DRAFT``, ``SUBMITTED`` and
    ``PUBLISHED``), a ``published_at`` time, sets ``permission_area``, ``creator_field`` and
    ``approver_field`` (the names of its foreign keys to the user who created and who approved it),
    and implements ``changeable_by(user)`` and ``organisation_id_for_approval()``.
    """

    revision = models.PositiveIntegerField(default=0, editable=False)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=gettext_lazy("contributors"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("submitted by"),
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted"), null=True, blank=True, editable=False)

    permission_area = None
    creator_field = "created_by"
    approver_field = "approved_by"

    class Meta:
        abstract = True

    @classmethod
    def changeable_by(cls, user):
        """The items ``user`` may change (the role matrix and the organisations the user's scope reaches)."""
        raise NotImplementedError

    @classmethod
    def approvable_by(cls, user):
        """The items ``user`` may approve (a subset of ``changeable_by``); by default the same."""
        return cls.changeable_by(user)

    def organisation_id_for_approval(self):
        raise NotImplementedError


def approvable_models():
    return [model for model in apps.get_models() if issubclass(model, Approvable)]


def _stale():
    return ValidationError(
        _("Someone else changed this item meanwhile: reload the page and try again."), code="stale"
    )


def _sync(item, **values):
    """Set on the object what an UPDATE just wrote, and tell the audit snapshot, so a later save logs no step twice."""
    loaded = getattr(item, "_loaded", None)
    for name, value in values.items():
        setattr(item, name, value)
        if loaded is not None:
            attname = item._meta.get_field(name).attname
            loaded[attname] = getattr(item, attname)


def _claim(item, states, **values):
    """The conditional UPDATE every step goes through: it writes only if the item is still as the user saw it."""
    model = type(item)
    columns = {
        model._meta.get_field(name).attname: value.pk if isinstance(value, models.Model) else value
        for name, value in values.items()
    }
    revision = item.revision
    claimed = model._base_manager.filter(pk=item.pk, state__in=states, revision=revision).update(
        revision=F("revision") + 1, **columns
    )
    if not claimed:
        raise _stale()
    _sync(item, revision=revision + 1, **values)


def contributor_ids(item):
    """Who created, changed or submitted the item: none of them may approve it."""
    ids = set(item.contributors.values_list("pk", flat=True)) if item.pk else set()
    creator = getattr(item, f"{item.creator_field}_id", None)
    if creator is not None:
        ids.add(creator)
    return ids


def may_change(item, user):
    return (
        has_perm(user, item.permission_area, Action.CHANGE)
        and type(item).changeable_by(user).filter(pk=item.pk).exists()
    )


def may_approve_scope(item, user):
    """Whether ``item`` is within what ``user`` may approve (the role matrix and ``approvable_by``)."""
    return (
        has_perm(user, item.permission_area, Action.CHANGE)
        and type(item).approvable_by(user).filter(pk=item.pk).exists()
    )


def may_approve(item, user):
    """Whether ``user`` may approve ``item`` now (for pages: whether to offer the button)."""
    return (
        item.state == SUBMITTED
        and user is not None
        and user.is_authenticated
        and user.pk not in contributor_ids(item)
        and may_approve_scope(item, user)
    )


def _require_change(item, user):
    if not may_change(item, user):
        raise PermissionDenied


def record_change(item, user):
    """Call in the transaction that saves a change of the item's content (before saving the item itself).

    Records ``user`` as a contributor. A submitted item goes back to draft, with an audit entry; an item
    that is no longer a draft or awaiting approval, or that changed since it was read, refuses the change
    (the caller's transaction rolls back)."""
    _require_change(item, user)
    with transaction.atomic():
        was_submitted = item.state == SUBMITTED
        _claim(item, EDITABLE, state=DRAFT, submitted_by=None, submitted_at=None)
        item.contributors.add(user)
        if was_submitted:
            audit.record(
                AuditAction.UPDATE,
                obj=item,
                fields=["state"],
                user=user,
                reason=_("Changed after submission: withdrawn from approval."),
            )
    return was_submitted


def submit(item, user, check=None):
    """Ask for a second person's approval. ``check(item)`` raises ValidationError if the content is not ready."""
    _require_change(item, user)
    if item.state != DRAFT:
        raise ValidationError(_("Only a draft can be submitted for approval."), code="state")
    if check is not None:
        check(item)
    with transaction.atomic():
        _claim(item, (DRAFT,), state=SUBMITTED, submitted_by=user, submitted_at=timezone.now())
        item.contributors.add(user)  # who submits vouches for the content: another person approves it
        audit.record(
            AuditAction.UPDATE,
            obj=item,
            fields=["state", "submitted_by", "submitted_at"],
            user=user,
            reason=_("Submitted for approval."),
        )
        model, pk = type(item), item.pk
        transaction.on_commit(lambda: notify_approvers(model._base_manager.get(pk=pk)), robust=True)
    return item


def return_to_draft(item, user):
    """Send an item awaiting approval back to draft (the approver asks for changes, or the author withdraws it)."""
    _require_change(item, user)
    if item.state != SUBMITTED:
        raise ValidationError(_("Only an item awaiting approval can be sent back."), code="state")
    with transaction.atomic():
        _claim(item, (SUBMITTED,), state=DRAFT, submitted_by=None, submitted_at=None)
        audit.record(
            AuditAction.UPDATE, obj=item, fields=["state"], user=user, reason=_("Sent back to draft.")
        )
    return item


def approve(item, user, publish=None):
    """A second person approves: the item is published. ``publish(item)`` does the item's own publishing
    (in the same transaction; raising ValidationError there undoes the approval)."""
    if not may_approve_scope(item, user):
        raise PermissionDenied
    if item.state != SUBMITTED:
        raise ValidationError(_("Only an item awaiting approval can be approved."), code="state")
    if user.pk in contributor_ids(item):
        raise ValidationError(
            _("You wrote, changed or submitted this: someone else must approve it."), code="contributor"
        )
    return _publish(item, user, user, (SUBMITTED,), publish, _("Approved and published."))


def publish_alone(item, user, reason, publish=None, check=None):
    """Emergency: publish without a second person; the reason is required and audited. ``check(item)``
    raises ValidationError if the content is not ready (the same check as ``submit``): nothing changes."""
    if not may_approve_scope(item, user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for publishing without approval."), code="reason")
    if item.state not in EDITABLE:
        raise ValidationError(_("Only a draft or an item awaiting approval can be published."), code="state")
    if check is not None:
        check(item)
    return _publish(
        item, user, None, EDITABLE, publish, _("Emergency override: %(reason)s") % {"reason": reason}
    )


def _publish(item, user, approver, states, publish, reason):
    before = {
        name: getattr(item, name) for name in ("state", "revision", "published_at", item.approver_field)
    }
    loaded = dict(getattr(item, "_loaded", {}) or {})
    try:
        with transaction.atomic():
            _claim(
                item, states, state=PUBLISHED, published_at=timezone.now(), **{item.approver_field: approver}
            )
            audit.record(
                AuditAction.UPDATE,
                obj=item,
                fields=["state", "published_at", item.approver_field],
                user=user,
                reason=reason,
            )
            if publish is not None:
                publish(item)
    except Exception:
        for name, value in before.items():
            setattr(item, name, value)
        if hasattr(item, "_loaded"):
            item._loaded = loaded
        raise
    return item


# --- approvers: the inbox and the email ----------------------------------------------------


def waiting_for(user):
    """Every item awaiting approval that ``user`` may approve (never one they contributed to), oldest first."""
    if user is None or not user.is_authenticated:
        return []
    found = []
    for model in approvable_models():
        if not has_perm(user, model.permission_area, Action.CHANGE):
            continue
        queryset = (
            model.approvable_by(user)
            .filter(state=SUBMITTED)
            .exclude(contributors=user)
            .exclude(**{model.creator_field: user})
            .select_related("submitted_by")
        )
        found.extend(queryset)
    return sorted(found, key=lambda item: (item.submitted_at or timezone.now(), item.pk))


def may_approve_anything(user):
    """Whether the role matrix lets ``user`` approve any kind of item (whether to show the inbox)."""
    return any(has_perm(user, model.permission_area, Action.CHANGE) for model in approvable_models())


def waiting_count(user):
    if user is None or not user.is_authenticated:
        return 0
    count = 0
    for model in approvable_models():
        if has_perm(user, model.permission_area, Action.CHANGE):
            count += (
                model.approvable_by(user)
                .filter(state=SUBMITTED)
                .exclude(contributors=user)
                .exclude(**{model.creator_field: user})
                .count()
            )
    return count


def eligible_approvers(item):
    """Staff of the item's organisation (and of the organisations above it) who may approve it, with an email."""
    from django.contrib.auth import get_user_model

    from lifeline.core.models import Organisation

    organisation_ids, current = (
        [],
        Organisation.objects.filter(pk=item.organisation_id_for_approval()).first(),
    )
    while current is not None and current.pk not in organisation_ids:
        organisation_ids.append(current.pk)
        current = current.parent
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, profile__organisation_id__in=organisation_ids)
        .exclude(email="")
        .select_related("profile")
        .order_by("pk")
    )
    return [user for user in candidates if may_approve(item, user)]


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def notify_approvers(item):
    """Email each eligible approver, in their own language, that ``item`` waits for them. Returns how many."""
    if item.state != SUBMITTED:
        return 0
    submitter = item.submitted_by
    submitter = (submitter.get_full_name() or submitter.get_username()) if submitter else ""
    messages = []
    for user in eligible_approvers(item):
        language = getattr(user.profile, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            values = {
                "kind": item._meta.verbose_name,
                "title": str(item),
                "who": submitter,
                "url": _absolute(item.get_absolute_url()),
                "inbox": _absolute(reverse("approvals")),
            }
            subject = _("Waiting for your approval: %(title)s") % values
            body = "\n\n".join(
                [
                    _("%(who)s submitted this %(kind)s for approval: “%(title)s”.") % values,
                    _("Check it and approve it, or send it back to draft: %(url)s") % values,
                    _("Everything waiting for your approval: %(inbox)s") % values,
                    _("You receive this because you may approve it; its authors may not."),
                ]
            )
        messages.append(mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if not messages:
        return 0
    try:
        with mail.get_connection() as connection:
            return connection.send_messages(messages) or 0
    except OSError:
        log.exception("approval notice for %s %s not sent", item._meta.label, item.pk)
        return 0
