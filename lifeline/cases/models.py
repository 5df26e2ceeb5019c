"""Assistance requests of nationals abroad, handled as cases by the responsible post.

A case belongs to the post handling it (``organisation``), so post scoping is the
ordinary organisation scoping. What the person wrote (summary, messages), where
they are and how to reach a walk-in are encrypted. The internal notes of staff and
the messages exchanged with the person are two models, so that no query meant for
the app can ever return a note. The rules (workflow, due times, referral consent,
duplicates, merging) live in ``services``.
"""

import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedTextField
from lifeline.core.models import Area
from lifeline.core.permissions import OwnedModel, ScopedQuerySet


class Category(models.TextChoices):
    DOCUMENTS = "documents", _("Lost or stolen documents")
    DETENTION = "detention", _("Arrest or detention")
    MEDICAL = "medical", _("Medical emergency")
    EVACUATION = "evacuation", _("Evacuation or relocation")
    SHELTER = "shelter", _("Shelter")
    FOOD_WATER = "food_water", _("Food and water")
    REPATRIATION = "repatriation", _("Repatriation")
    WAGES = "wages", _("Unpaid wages or exploitation")
    TRAFFICKING = "trafficking", _("Trafficking")
    GBV = "gbv", _("Gender-based violence")
    DEATH = "death", _("Death of a relative")
    MISSING = "missing", _("Missing person")
    OTHER = "other", _("Other")


class CaseSource(models.TextChoices):
    APP = "app", _("App")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in")
    STAFF = "staff", _("Staff")


class Priority(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.IN_PROGRESS, Status.REFERRED, Status.REOPENED)


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT (read when used, so tests can move it) that have no URL."""

    def url(self, name):
        raise ValueError("Case photos have no public URL: serve them through the cases:photo view.")


_private = PrivateStorage()


def private_storage():
    """Case photos: only ``views.case_photo`` serves them, after the permission check."""
    return _private


def photo_name(instance, filename):
    extension = ".png" if filename.lower().endswith(".png") else ".jpg"
    return f"cases/{secrets.token_urlsafe(24)}{extension}"


class CaseQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class CaseTeam(Audited, OwnedModel):
    """A group of officers of one post that cases can be assigned to."""

    permission_area = Area.CASES

    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="case_teams", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("case team")
        verbose_name_plural = _("case teams")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_case_team_name")]

    def __str__(self):
        return self.name


class Case(Audited, OwnedModel):
    permission_area = Area.CASES
    # What of it is personal, and who may see it: cases/disclosure.py.
    # A host country's immigration authority never sees another country's nationals.
    hidden_from_immigration = models.Q(pk__isnull=False)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    registration = models.ForeignKey(
        "nationals.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("registration"),
    )
    # Only for a person who is not registered (a walk-in, a phone call): the least needed to reach them.
    contact_name = EncryptedTextField(_("name"), blank=True)
    contact_phone = EncryptedTextField(_("phone (E.164)"), blank=True)
    contact_phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    summary = EncryptedTextField(_("what happened"))
    location = EncryptedTextField(_("location (lat,lon)"), blank=True)
    area = models.ForeignKey(
        "geo.AdminArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admin area"),
    )
    photo = models.FileField(_("photo"), storage=private_storage, upload_to=photo_name, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CaseSource.choices, default=CaseSource.STAFF
    )

    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    priority_reason = models.CharField(_("reason for the priority"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned officer"),
    )
    team = models.ForeignKey(
        CaseTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    idempotency_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="cases_org_status_due"),
            models.Index(fields=["registration", "category", "created"], name="cases_reg_category"),
        ]

    def __str__(self):
        return self.reference

    def audit_repr(self):
        return self.reference  # never the person's name or story

    def save(self, *args, **kwargs):
        from lifeline.core.fields import blind_index

        self.contact_phone_index = blind_index(self.contact_phone)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @cached_property
    def person_label(self):
        if self.registration_id:
            return str(self.registration)
        return self.contact_name or _("Unregistered person")


class Direction(models.TextChoices):
    IN = "in", _("From the person")
    OUT = "out", _("To the person")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS = "status", _("Status changed")
    ASSIGNMENT = "assignment", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    REFERRAL = "referral", _("Referred")
    NOTE = "note", _("Internal note")
    MESSAGE = "message", _("Message")
    MERGE = "merge", _("Merged")


class CaseEvent(Audited, models.Model):
    """One line of a case's history. Holds no personal text: only what changed, by whom, when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    before = models.CharField(max_length=120, blank=True)
    after = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def audit_repr(self):
        return f"{self.case_id}:{self.kind}"

    def describe(self):
        """The change in words: "New → Triaged", "Normal → High", or what was linked."""
        labels = {
            EventKind.STATUS: Status,
            EventKind.PRIORITY: Priority,
            EventKind.CREATED: CaseSource,
            EventKind.MESSAGE: Direction,
        }.get(self.kind)
        if labels is None:
            return " → ".join(v for v in (self.before, self.after) if v)

        def label(value):
            return labels(value).label if value in labels.values else value

        return " → ".join(str(label(v)) for v in (self.before, self.after) if v)


class InternalNote(Audited, models.Model):
    """Staff only: never sent to the person, never in the app's API."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(_("note"))
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def audit_repr(self):
        return f"#{self.pk} (case {self.case_id})"


class CaseMessage(Audited, models.Model):
    """The exchange with the person, shown in the app. ``read_at`` is the other side's read receipt."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(_("message"))
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # From the app: a retry of the same message (the phone was offline) carries the same key.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["case", "idempotency_key"], name="cases_message_idempotent")
        ]

    def audit_repr(self):
        return f"#{self.pk} (case {self.case_id})"


class ConsentBasis(models.TextChoices):
    REGISTRATION = "registration", _("Given in the registration (referral purpose)")
    ASKED = "asked", _("Asked by staff and recorded on the referral")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


class Referral(Audited, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    contact = models.ForeignKey(
        "directory.KeyContact",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    consent_basis = models.CharField(_("consent"), max_length=12, choices=ConsentBasis.choices)
    consented_at = models.DateTimeField(_("consent given"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("note to the partner"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def audit_repr(self):
        return f"#{self.pk} (case {self.case_id})"
