"""Action items (one model for every follow-up, whatever it came from) and drills.

An action item has an owner (a staff user, an organisation, or both), a due date, a status and a
source: a generic link to the record it came from (an answer of a checklist, a drill's finding, a
meeting's decision, a crisis phase's task, a participant's action plan). One list per owner reads
them all; the rules that write them are in ``plans/actions.py`` and ``plans/drills.py``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.models import Area, Organisation
from lifeline.core.permissions import OwnedModel, ScopedQuerySet

__all__ = ["ActionItem", "ActionStatus", "Drill", "DrillLevel", "SourceKind", "PENDING", "CLOSED"]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Statuses in which an item still waits for its owner.
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)


class SourceKind(models.TextChoices):
    CHECKLIST = "checklist", _("Checklist follow-up")
    DRILL = "drill", _("Drill finding")
    MEETING = "meeting", _("Meeting decision")
    CRISIS_PHASE = "crisis_phase", _("Crisis phase task")
    ACTION_PLAN = "action_plan", _("Participant's action plan")
    OTHER = "other", _("Other")


class ActionQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status__in=PENDING)

    def overdue(self, today=None):
        return self.pending().filter(due__lt=today or timezone.localdate())

    def due_soon(self, days, today=None):
        today = today or timezone.localdate()
        return self.pending().filter(due__gte=today, due__lte=today + timezone.timedelta(days=days))

    def overdue_first(self, today=None):
        """Overdue items first (oldest due date first), then the other pending ones by due date, then closed."""
        today = today or timezone.localdate()
        return self.annotate(
            rank=models.Case(
                models.When(status__in=PENDING, due__lt=today, then=models.Value(0)),
                models.When(status__in=PENDING, then=models.Value(1)),
                default=models.Value(2),
            )
        ).order_by("rank", "due", "pk")


class ActionItem(Audited, OwnedModel):
    """Something someone has to do by a date, and where it came from. ``organisation`` is the one that
    recorded it (its scope); the owner may be a person of another organisation, or an organisation."""

    permission_area = Area.PLANS

    text = models.TextField(_("action"), max_length=2000)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("owner (person)"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (organisation)"),
    )
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closing_note = models.TextField(_("closing note"), blank=True, max_length=2000)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    source_kind = models.CharField(
        _("source"), max_length=16, choices=SourceKind.choices, default=SourceKind.OTHER
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The last day a reminder went out for it: the daily job sends one a day at most.
    reminded_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()
    audit_exclude = ("created", "updated", "reminded_on")

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["owner_user", "status"]),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_pending(self):
        return self.status in PENDING

    @property
    def is_overdue(self):
        return self.is_pending and self.due < timezone.localdate()

    @property
    def owner_label(self):
        names = []
        if self.owner_user_id:
            names.append(self.owner_user.get_full_name() or self.owner_user.get_username())
        if self.owner_organisation_id:
            names.append(self.owner_organisation.name)
        return " · ".join(names)


class DrillLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    POST = "post", _("Consular post")
    CAPITAL = "capital", _("Capital")


class Drill(Audited, OwnedModel):
    """An exercise that tested a plan: who took part (migrant representatives counted) and what it found."""

    permission_area = Area.PLANS

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=10, choices=DrillLevel.choices, default=DrillLevel.LOCAL)
    scenario = models.TextField(_("scenario"), blank=True, max_length=4000)
    objectives = models.TextField(_("objectives"), blank=True, max_length=4000)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drills",
        verbose_name=_("plan tested"),
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    migrant_representatives = models.PositiveIntegerField(_("of them, migrant representatives"), default=0)
    notes = models.TextField(_("after-action notes"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:drill", args=[self.pk])
