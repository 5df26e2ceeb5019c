"""Capacity building: events, their sessions and participants, attendance, certificates with QR
verification, and (later) surveys, knowledge tests and training-of-trainers cascades.

This app owns the shared engines "people at events", "certificates" and "questions and assessments"
(DESIGN.md): eLearning and the indicators use them from here.

An event belongs to the organisation that organises it; its sessions, participants, attendance and
certificates are read through the event's scope. A participant's name and how to reach them are
personal (training/disclosure.py); their contact details are encrypted at rest."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedTextField
from lifeline.core.models import Area, Language
from lifeline.core.permissions import OwnedModel, ScopedQuerySet


class EventType(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration")
    WORKSHOP = "workshop", _("Workshop")
    TOT = "tot", _("Training of trainers")
    FOLLOW_UP = "follow_up", _("Follow-up field training")
    CONSULTATION = "consultation", _("Consultation")
    COORDINATION = "coordination", _("Coordination meeting")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure session")
    POST_ARRIVAL = "post_arrival", _("Post-arrival session")


# The guidance's recommended length of each type: (unit, least, most); "hours" or "days".
RECOMMENDED = {
    EventType.DEMONSTRATION: ("hours", 2, 4),
    EventType.WORKSHOP: ("days", 1, 2),
    EventType.TOT: ("days", 3, 5),
    EventType.FOLLOW_UP: ("days", 2, 3),
    EventType.PRE_DEPARTURE: ("hours", 2, 2),
    EventType.POST_ARRIVAL: ("hours", 2, 2),
}


class Stream(models.TextChoices):
    HOST = "host", _("Host country")
    HOME = "home", _("Home country")
    BOTH = "both", _("Both")


class Level(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    SUB_NATIONAL = "sub_national", _("Sub-national")
    LOCAL = "local", _("Local")


class Audience(models.TextChoices):
    RESPONDERS = "responders", _("Responders")
    CONSULAR = "consular", _("Consular staff")
    EMPLOYERS = "employers", _("Employers and recruiters")
    VOLUNTEERS = "volunteers", _("Migrants trained as volunteer responders")
    LOCAL_POPULATIONS = "local_populations", _("Local populations")


class ParticipantLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    SUB_NATIONAL = "sub_national", _("Sub-national")
    LOCAL = "local", _("Local")


class InstitutionType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_PROTECTION = "civil_protection", _("Civil protection or emergency services")
    CONSULAR = "consular", _("Embassy or consulate")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    NGO = "ngo", _("NGO / civil society")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    INTERNATIONAL = "international", _("International organisation")
    EMPLOYER = "employer", _("Employer or recruiter")
    MIGRANT_ASSOCIATION = "migrant_association", _("Migrant association")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another")


class ParticipantStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Event(Audited, OwnedModel):
    """An event organised by ``organisation`` (the organiser), with its partners (key contacts)."""

    permission_area = Area.TRAINING

    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices, default=EventType.WORKSHOP)
    stream = models.CharField(_("stream"), max_length=10, choices=Stream.choices, default=Stream.HOST)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.NATIONAL)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    partners = models.ManyToManyField(
        "directory.KeyContact", blank=True, related_name="+", verbose_name=_("partners")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("places"), default=30, help_text=_("Registrations beyond this go to the waiting list.")
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    description = models.TextField(_("description"), blank=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    # Unguessable: the public registration page's address (never the sequential id).
    public_code = models.CharField(max_length=32, unique=True, editable=False)
    # A replica event (a sub-national training given by trainers trained at a ToT): cascades later.
    replicates = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replicas",
        verbose_name=_("replicates the training of trainers"),
        limit_choices_to={"type": EventType.TOT},
    )
    # A certificate goes to who attended at least this share of the sessions (100: all of them).
    attendance_required = models.PositiveSmallIntegerField(
        _("attendance required for a certificate (%)"), default=100
    )

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["organisation", "starts"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.public_code:
            self.public_code = secrets.token_urlsafe(16)
        super().save(*args, **kwargs)

    def audience_labels(self):
        names = dict(Audience.choices)
        return [names.get(a, a) for a in self.audiences or []]


class Session(Audited, models.Model):
    """One part of an event's agenda."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    facilitators = models.CharField(_("facilitators"), max_length=300, blank=True)

    class Meta:
        ordering = ["event", "starts", "pk"]
        verbose_name = _("session")

    def __str__(self):
        return self.title


class ParticipantQuerySet(ScopedQuerySet):
    def for_user(self, user, action="view"):
        return self.filter(event__in=Event.objects.for_user(user, action))


class Participant(Audited, models.Model):
    """A person registered for an event (or waiting for a place)."""

    permission_area = Area.TRAINING

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    email = EncryptedTextField(_("email"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    # One registration per address and event (the public form's replay refused): a blind index.
    email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    institution_type = models.CharField(
        _("type of institution"),
        max_length=30,
        choices=InstitutionType.choices,
        default=InstitutionType.OTHER,
    )
    role = models.CharField(_("role or position"), max_length=200, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=ParticipantLevel.choices, default=ParticipantLevel.NATIONAL
    )
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    interpretation = models.CharField(_("interpretation needed"), max_length=200, blank=True)
    access_needs = models.CharField(_("access needs"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.REGISTERED
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    # Part of the signed attendance pass: a new value voids every pass given before (cancelled).
    pass_nonce = models.CharField(max_length=24, editable=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["event", "registered_at", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name

    def audit_repr(self):
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        if not self.pass_nonce:
            self.pass_nonce = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)


class Attendance(Audited, models.Model):
    """A participant seen at a session, once (a second scan of the same pass is refused)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, choices=[("scan", _("Scan")), ("list", _("List"))], default="scan")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="training_attendance_once")
        ]

    def audit_repr(self):
        return f"#{self.pk}"


class CertificateQuerySet(ScopedQuerySet):
    pass


class Certificate(Audited, OwnedModel):
    """A certificate of attendance (an event) or of completion (a course, later): the holder's name,
    what it is for and its date as they were when issued. Verified at a public page by ``code``."""

    permission_area = Area.TRAINING

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates"
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    issuer_name = models.CharField(_("issuer"), max_length=200)
    # Unguessable: the verification page's address, printed as a QR code on the certificate.
    code = models.CharField(max_length=32, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(revoked_at__isnull=True),
                name="training_one_valid_certificate",
            )
        ]

    def __str__(self):
        return self.title

    def audit_repr(self):
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = secrets.token_urlsafe(18)
        super().save(*args, **kwargs)

    @property
    def valid(self):
        return self.revoked_at is None
