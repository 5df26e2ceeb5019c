"""Interpreters and translators, their languages, availability and deployments."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedJSONField, EncryptedTextField
from lifeline.core.models import Area, Language
from lifeline.core.permissions import OwnedModel


class Modality(models.TextChoices):
    WRITTEN = "written", _("Written translation")
    CONSECUTIVE = "consecutive", _("Consecutive interpreting")
    SIMULTANEOUS = "simultaneous", _("Simultaneous interpreting")
    SIGN = "sign", _("Sign language")
    REMOTE_PHONE = "remote_phone", _("Remote by phone")
    REMOTE_VIDEO = "remote_video", _("Remote by video")


REMOTE_MODALITIES = {Modality.REMOTE_PHONE, Modality.REMOTE_VIDEO}

# Messages of rules that the database, the forms and the import all enforce.
NO_CONSENT = _("No consent, no record: a person can be recorded only after they have agreed to be stored.")
SAME_LANGUAGE = _("A language pair needs two different languages.")
WINDOW_ORDER = _("“Until” must be after “from”.")
CERTIFICATION_WITHOUT_CERTIFIED = _("Tick “certified” when you name a certification.")

# The pairs column of the import writes dialects after “/”, scripts after “@”,
# certifications after “*” and separates pairs with “;”: keep those out of the text.
no_pair_syntax = RegexValidator(r"^[^;/@*]*$", _("Do not use ; / @ or * here."))
no_separator = RegexValidator(r"^[^;]*$", _("Do not use ; here."))


class Specialisation(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    LEGAL = "legal", _("Legal")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    CHILD = "child", _("Child protection")
    GBV = "gbv", _("Gender-based violence")
    EMERGENCY = "emergency", _("Emergency response")
    MEDIA = "media", _("Public information")


class Engagement(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    PAID = "paid", _("Paid")
    STAFF = "staff", _("Staff")


class Vetting(models.TextChoices):
    NOT_VETTED = "not_vetted", _("Not vetted")
    IN_PROGRESS = "in_progress", _("Vetting in progress")
    VETTED = "vetted", _("Vetted")
    EXPIRED = "expired", _("Vetting expired")


class Proficiency(models.IntegerChoices):
    BASIC = 1, _("Basic")
    WORKING = 2, _("Working")
    PROFESSIONAL = 3, _("Professional")
    NATIVE = 4, _("Native or bilingual")


class Interpreter(Audited, OwnedModel):
    permission_area = Area.INTERPRETERS
    # Phone, email and messaging handles are personal: interpreters/disclosure.py.
    # Languages and availability are shared with organisations whose jurisdiction covers the home area;
    # the contact channels stay with the owner's scope.
    shared_area_path = "home_area"

    full_name = models.CharField(_("full name"), max_length=200)
    phone = EncryptedTextField(_("phone (E.164)"), blank=True)
    email = EncryptedTextField(_("email"), blank=True)
    messaging = EncryptedJSONField(_("messaging handles"))
    modalities = models.JSONField(_("modalities"), default=list, blank=True)
    specialisations = models.JSONField(_("specialisations"), default=list, blank=True)
    home_area = models.ForeignKey(
        "geo.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("based in"),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    travel_range_km = models.PositiveIntegerField(_("travel range (km)"), default=0)
    always_available = models.BooleanField(_("on call 24/7"), default=False)
    engagement = models.CharField(
        _("volunteer or paid"), max_length=12, choices=Engagement.choices, default=Engagement.VOLUNTEER
    )
    vetting = models.CharField(
        _("vetting"), max_length=12, choices=Vetting.choices, default=Vetting.NOT_VETTED
    )
    vetted_on = models.DateField(_("vetted on"), null=True, blank=True)
    code_of_conduct_signed = models.DateField(_("code of conduct signed"), null=True, blank=True)
    consent_stored = models.BooleanField(_("consents to be stored"), default=False)
    consent_contact = models.BooleanField(_("consents to be contacted"), default=False)
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("interpreter or translator")
        verbose_name_plural = _("interpreters and translators")
        indexes = [models.Index(fields=["organisation", "full_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_stored=True),
                name="interpreter_consent_required",
                violation_error_message=NO_CONSENT,
            ),
        ]

    def __str__(self):
        return self.full_name

    def audit_repr(self):
        """The audit log outlives the record: it keeps no name, so a withdrawn consent erases the person."""
        return f"#{self.pk}"

    def modality_labels(self):
        return [Modality(m).label for m in self.modalities or [] if m in Modality.values]

    def specialisation_labels(self):
        return [Specialisation(s).label for s in self.specialisations or [] if s in Specialisation.values]

    @property
    def works_remotely(self):
        return bool(REMOTE_MODALITIES & set(self.modalities or []))

    def available_at(self, when: datetime.datetime):
        if self.always_available:
            return True
        windows = getattr(self, "_prefetched_objects_cache", {}).get("availability")
        windows = windows if windows is not None else self.availability.all()
        return any(w.covers(when) for w in windows)


class LanguagePair(models.Model):
    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="pairs")
    source = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    target = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("into"))
    both_directions = models.BooleanField(_("both directions"), default=True)
    dialect = models.CharField(_("dialect"), max_length=80, blank=True, validators=[no_pair_syntax])
    script = models.CharField(_("script (ISO 15924)"), max_length=4, blank=True)
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency"), choices=Proficiency.choices, default=Proficiency.PROFESSIONAL
    )
    certified = models.BooleanField(_("certified"), default=False)
    certification = models.CharField(
        _("certification"), max_length=200, blank=True, validators=[no_separator]
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("language pair")
        verbose_name_plural = _("language pairs")
        constraints = [
            models.UniqueConstraint(fields=["interpreter", "source", "target"], name="unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="pair_two_languages",
                violation_error_message=SAME_LANGUAGE,
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.arrow} {self.target}"

    @property
    def arrow(self):
        return "↔" if self.both_directions else "→"

    def clean(self):
        if self.certification and not self.certified:
            raise ValidationError({"certified": CERTIFICATION_WITHOUT_CERTIFIED})

    def serves(self, source_code, target_code):
        """Can this pair carry ``source_code`` into ``target_code``? An empty code means any language."""
        directions = [(self.source.code, self.target.code)]
        if self.both_directions:
            directions.append((self.target.code, self.source.code))
        return any(source_code in ("", s) and target_code in ("", t) for s, t in directions)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilityWindow(models.Model):
    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="window_ends_after_start",
                violation_error_message=WINDOW_ORDER,
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def covers(self, when):
        return when.weekday() == self.weekday and self.start <= when.time() < self.end


class Deployment(Audited, models.Model):
    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="deployments")
    date = models.DateField(_("date"))
    place = models.CharField(_("where"), max_length=200)
    event = models.CharField(_("for which event"), max_length=200)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    rating = models.PositiveSmallIntegerField(
        _("feedback (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")

    def __str__(self):
        return f"{self.date} {self.event}"
