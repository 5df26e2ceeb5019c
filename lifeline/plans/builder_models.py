"""Plan documents written in Lifeline: an SOP for assisting migrants in emergencies (host country) and a
consular contingency plan (home country, one per post).

A document has sections in a shipped outline (``plans/outlines.py``), each Markdown with live blocks
(``{{block:contacts}}``, ``plans/blocks.py``). Every saved change is a numbered ``DocumentVersion`` (a
snapshot of the whole text), so any two versions compare. The document goes through the one two-person
approval (``core/approval.py``); approving it freezes its live blocks (``FrozenBlock``, with the time the
data were read) on the approved version, which is what an export of the approved document prints.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.approval import Approvable
from lifeline.core.audit import Audited
from lifeline.core.models import Action, Area
from lifeline.core.permissions import OwnedModel


class DocumentKind(models.TextChoices):
    SOP = "sop", _("SOP for assisting migrants in emergencies")
    CONSULAR = "consular", _("Consular contingency plan")


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting", _("Awaiting approval")
    PUBLISHED = "published", _("Approved")


class PlanDocument(Audited, Approvable, OwnedModel):
    permission_area = Area.PLANS
    creator_field = "created_by"
    approver_field = "approved_by"
    audit_exclude = ("created", "updated", "revision", "review_reminded_on")

    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.BASE_LANGUAGES, default="en"
    )
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
        help_text=_("The country the plan is for: its advice level and its hazards."),
    )
    area = models.ForeignKey(
        "geo.AdminArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Leave empty for the whole country."),
    )
    review_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12, help_text=_("Due for review this many months after approval.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("approved"), null=True, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)
    approved_version = models.ForeignKey(
        "plans.DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:document", args=[self.pk])

    @classmethod
    def changeable_by(cls, user):
        return cls.objects.for_user(user, Action.CHANGE)

    def organisation_id_for_approval(self):
        return self.organisation_id

    @property
    def editable(self):
        return self.state in (DocumentState.DRAFT, DocumentState.AWAITING)

    @property
    def review_due(self):
        """The date the approved plan is due for review (None before its first approval)."""
        if self.approved_version_id is None:
            return None
        approved = self.approved_version.created if self.published_at is None else self.published_at
        return add_months(timezone.localdate(approved), self.review_months)

    def is_due_for_review(self, today=None):
        due = self.review_due
        return due is not None and due <= (today or timezone.localdate())


def add_months(day, months):
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class DocumentSection(Audited, models.Model):
    """One section of the outline: Markdown text, and (for a phase of a consular plan) its actions.

    ``actions``: [{"text": ..., "role": ..., "timing": ...}], each one thing to do when the phase is
    activated, by whom, and when."""

    document = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"), blank=True, max_length=50000)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    audit_exclude = ("updated",)

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="plans_document_section_key")]

    def __str__(self):
        return f"{self.document} · {self.key}"


class DocumentVersion(models.Model):
    """A numbered snapshot of a document's text, written by each saved change (never changed after)."""

    document = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()  # {"title": ..., "sections": [{"key", "text", "actions"}]}
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="plans_document_version_number")
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"


class FrozenBlock(models.Model):
    """A live block as it read when a version was approved, in each staff language: what an export of the
    approved document prints. ``tables``: {language: [serialised document blocks]}."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="frozen_blocks")
    key = models.SlugField(max_length=40)
    tables = models.JSONField(default=dict)
    data_as_of = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="plans_frozen_block_key")]

    def __str__(self):
        return f"{self.version} · {self.key}"
