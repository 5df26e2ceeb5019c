"""Checklists (versioned templates), assessments against them, and the register of an organisation's plans.

A template has versions; a published version is frozen (its sections and items refuse changes),
so an assessment keeps the version it was made with and editing a template never rewrites past
scores. Texts of templates are ``MultilingualField``s in any content language.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedTextField, MultilingualField
from lifeline.core.models import Action, Area, Organisation
from lifeline.core.permissions import OwnedModel, ScopedQuerySet


class Stream(models.TextChoices):
    HOST = "host", _("Host country")
    HOME = "home", _("Home country")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


# What each answer counts for in a section's score; "not applicable" counts for nothing either way.
ANSWER_POINTS = {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0}


class Frozen(ValidationError):
    """A published version (or a section or item of one) was to be changed."""


class ChecklistTemplate(models.Model):
    """A checklist, shipped (no organisation: every organisation reads it) or an organisation's own."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stream = models.CharField(_("stream"), max_length=10, choices=Stream.choices, default=Stream.HOST)
    title = MultilingualField(_("title"), default=dict)
    summary = MultilingualField(_("summary"), default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key

    def published(self):
        """The newest published version, or None."""
        return self.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()


class TemplateVersion(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["template", "number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="plans_version_number")]

    def __str__(self):
        return f"{self.template.key} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, state=VersionState.PUBLISHED).exists():
            raise Frozen(_("A published version cannot be changed: make a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.state == VersionState.PUBLISHED:
            raise Frozen(_("A published version cannot be changed: make a new version."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        return self.state == VersionState.PUBLISHED


class _PartOfVersion(models.Model):
    """A section or an item: frozen with its version."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if TemplateVersion.objects.filter(pk=self._version_id(), state=VersionState.PUBLISHED).exists():
            raise Frozen(_("A published version cannot be changed: make a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if TemplateVersion.objects.filter(pk=self._version_id(), state=VersionState.PUBLISHED).exists():
            raise Frozen(_("A published version cannot be changed: make a new version."))
        return super().delete(*args, **kwargs)


class Section(_PartOfVersion):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    # Stable across versions: progress between assessments made with different versions compares by key.
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"))
    title = MultilingualField(_("title"), default=dict)
    guidance = MultilingualField(_("guidance"), default=dict, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="plans_section_key"),
            models.UniqueConstraint(fields=["version", "position"], name="plans_section_position"),
        ]

    def _version_id(self):
        return self.version_id

    def __str__(self):
        return self.key


class Item(_PartOfVersion):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=80)
    position = models.PositiveIntegerField(_("position"))
    text = MultilingualField(_("question"), default=dict)
    guidance = MultilingualField(_("guidance"), default=dict, blank=True)

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "key"], name="plans_item_key"),
            models.UniqueConstraint(fields=["section", "position"], name="plans_item_position"),
        ]

    def _version_id(self):
        return Section.objects.filter(pk=self.section_id).values_list("version_id", flat=True).first()

    def __str__(self):
        return self.key


class PlanKind(models.TextChoices):
    CONTINGENCY = "contingency", _("Contingency plan")
    EARLY_WARNING = "early_warning", _("Early-warning system")
    SOP = "sop", _("Standard operating procedures")
    CONSULAR = "consular", _("Consular contingency plan")
    OTHER = "other", _("Other plan")


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT with no URL: only the permission-checked views of this app serve them."""

    def url(self, name):
        raise ValueError("Plans' files have no public URL: serve them through the plans views.")


_private = PrivateStorage()


def private_storage():
    return _private


def document_name(instance, filename):
    return _file_name("plans/documents", filename)


def evidence_name(instance, filename):
    return _file_name("plans/evidence", filename)


def _file_name(folder, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{secrets.token_urlsafe(24)}.{extension[:8]}"


class Plan(Audited, OwnedModel):
    """A plan or early-warning system the organisation already has, in the register."""

    permission_area = Area.PLANS

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.CONTINGENCY)
    document = models.FileField(
        _("document"), storage=private_storage, upload_to=document_name, blank=True, max_length=200
    )
    link = models.URLField(_("link to the document"), blank=True, max_length=500)
    areas = models.ManyToManyField(
        "geo.AdminArea", blank=True, related_name="+", verbose_name=_("areas covered")
    )
    last_revised = models.DateField(_("last revised"), null=True, blank=True)
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("The unit or post that keeps it.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class AssessmentState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class AssessmentQuerySet(ScopedQuerySet):
    def for_user(self, user, action=Action.VIEW):
        """Assessments of an organisation or of one of its plans in the user's scope. One about another
        app's subject (a child on an evacuation) is never reached this way: its app checks its scope."""
        return super().for_user(user, action).filter(subject="")


class Assessment(Audited, OwnedModel):
    """An organisation (or one of its registered plans) checked against a template version on a date.

    ``subject`` names another app's kind of record the assessment is about instead (``plans.subjects``):
    such an assessment is reached, and its scope checked, only through that app (the evacuation's
    child checklist); the plans pages never list it."""

    permission_area = Area.PLANS

    subject = models.CharField(_("subject"), max_length=40, blank=True, default="", db_index=True)
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="assessments")
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    assessed_on = models.DateField(_("date of the assessment"))
    state = models.CharField(
        _("state"), max_length=12, choices=AssessmentState.choices, default=AssessmentState.IN_PROGRESS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self):
        return f"{self.version} · {self.assessed_on}"

    @property
    def is_completed(self):
        return self.state == AssessmentState.COMPLETED


class AnswerRecord(Audited, models.Model):
    """The answer to one item of an assessment, with its evidence. Its follow-up is an action item
    (``models_actions.ActionItem``) whose source is this answer: ``plans.actions.follow_up_of``."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    evidence_file = models.FileField(
        _("evidence (file)"), storage=private_storage, upload_to=evidence_name, blank=True, max_length=200
    )
    evidence_link = models.URLField(_("evidence (link)"), blank=True, max_length=500)
    # A note about the person an assessment is about (a child on an evacuation): people's data, encrypted.
    private_note = EncryptedTextField(_("note"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    audit_exclude = ("updated",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="plans_one_answer_per_item")
        ]


# Action items and drills live in their own module; imported here so that Django registers them.
# Plan documents written here (SOPs, consular contingency plans): their own module.
from lifeline.plans.builder_models import (  # noqa: E402, F401
    DocumentKind,
    DocumentSection,
    DocumentState,
    DocumentVersion,
    FrozenBlock,
    PlanDocument,
)
from lifeline.plans.models_actions import *  # noqa: E402, F403
from lifeline.plans.models_phases import PhaseActivation  # noqa: E402, F401
