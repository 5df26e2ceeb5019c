"""Action items (one model for every follow-up, whatever it came from), drills, coordination bodies
with their meetings, and agreements.

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

__all__ = [
    "ActionItem",
    "ActionStatus",
    "Agreement",
    "CoordinationBody",
    "Drill",
    "DrillLevel",
    "Meeting",
    "SourceKind",
    "PENDING",
    "CLOSED",
]


def _agreement_choices():
    from lifeline.directory.models import AgreementStatus

    return AgreementStatus.choices


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


class CoordinationBody(Audited, OwnedModel):
    """A standing group (a working group, a coordination cell) whose members are key contacts."""

    permission_area = Area.PLANS

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=DrillLevel.choices, default=DrillLevel.LOCAL)
    purpose = models.TextField(_("purpose"), blank=True, max_length=4000)
    members = models.ManyToManyField(
        "directory.KeyContact", blank=True, related_name="coordination_bodies", verbose_name=_("members")
    )
    focal_points = models.ManyToManyField(
        "directory.KeyContact",
        blank=True,
        related_name="+",
        verbose_name=_("focal points"),
        help_text=_("Members who speak for the body and receive its requests."),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:body", args=[self.pk])


class Meeting(Audited, models.Model):
    """A meeting of a coordination body: its minutes, and its decisions as action items."""

    body = models.ForeignKey(CoordinationBody, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    created = models.DateTimeField(auto_now_add=True)

    audit_exclude = ("created",)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.title} ({self.held_on.isoformat()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:meeting", args=[self.pk])


class Agreement(Audited, OwnedModel):
    """An agreement (an MoU, an informal arrangement) with its parties. The one record of it: a key
    contact's agreement status is derived from the agreements that name it (``coordination.sync_contacts``)."""

    permission_area = Area.PLANS

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=[(v, label) for v, label in _agreement_choices() if v != "none"],
        default="mou_draft",
    )
    contacts = models.ManyToManyField(
        "directory.KeyContact",
        blank=True,
        related_name="agreements",
        verbose_name=_("parties (key contacts)"),
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("parties (organisations)")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    renewal_due = models.DateField(_("renewal due"), null=True, blank=True)
    focal_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible for renewal"),
    )
    link = models.URLField(_("link to the document"), blank=True, max_length=500)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    reminded_on = models.DateField(null=True, blank=True)

    audit_exclude = ("created", "updated", "reminded_on")

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:agreement", args=[self.pk])
