"""Nationals abroad: the registrations a foreign service keeps of its citizens.

A registration belongs to the consular post whose jurisdiction covers the
person's residence (``organisation``), so post scoping is the ordinary
organisation scoping: a post sees its own, a ministry with "own and children"
scope sees all its posts. ``services.assign_post`` is the one rule that picks
the post.

What DESIGN.md calls sensitive is encrypted: the identity document, contact
channels, the address and the exact map point, medical details and the
emergency contact. Duplicates are found through blind indexes (keyed digests),
and crisis targeting uses a coarse point (two decimals, about 1 km) that is
stored in clear next to the admin area.
"""

import datetime
import math

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedJSONField, EncryptedTextField, MultilingualField, blind_index
from lifeline.core.models import Area
from lifeline.core.permissions import OwnedModel, ScopedQuerySet


class StayType(models.TextChoices):
    RESIDENT_WORKER = "resident_worker", _("Resident worker")
    RESIDENT = "resident", _("Resident (other)")
    STUDENT = "student", _("Student")
    TOURIST = "tourist", _("Tourist or visitor")
    TRANSIT = "transit", _("In transit")
    OTHER = "other", _("Other")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    TRAVEL_DOCUMENT = "travel_document", _("Emergency travel document")
    OTHER = "other", _("Other document")
    NONE = "none", _("No document")


class Sex(models.TextChoices):
    """As a travel document states it (ICAO 9303: F, M or X), for manifests that borders and carriers ask for."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified (X)")


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Valid, with the person")
    HELD = "held", _("Held by employer or another person")
    EXPIRED = "expired", _("Expired")
    LOST = "lost", _("Lost or stolen")
    UNKNOWN = "unknown", _("Unknown")


class SpecialNeed(models.TextChoices):
    MEDICAL = "medical", _("Medical condition")
    DISABILITY = "disability", _("Disability")
    PREGNANCY = "pregnancy", _("Pregnancy")
    ELDERLY = "elderly", _("Elderly")


class Source(models.TextChoices):
    SELF = "self", _("Self-registration in the app")
    WALK_IN = "walk_in", _("Staff, walk-in")
    PHONE = "phone", _("Staff, by phone")
    JUST_IN_TIME = "just_in_time", _("Just-in-time crisis form")
    IMPORT = "import", _("Import")


class Kind(models.TextChoices):
    JUST_IN_CASE = "just_in_case", _("Just in case")
    JUST_IN_TIME = "just_in_time", _("Just in time (crisis)")


class Purpose(models.TextChoices):
    """What a person agrees their data may be used for. Consular assistance is required."""

    ASSISTANCE = "assistance", _("Contact and help me in an emergency (consular assistance)")
    CRISIS_MESSAGES = "crisis_messages", _("Send me alerts and safety check-ins")
    ADVICE_UPDATES = "advice_updates", _("Tell me when travel advice for my destination changes")
    REFERRAL = "referral", _("Share my case with partner organisations that can help me")


COARSE_DIGITS = 2  # about 1.1 km of latitude: enough to target, too coarse to find a door.


class RegistrationQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(merged_into__isnull=True)


class Registration(Audited, OwnedModel):
    """One national (and their household) registered with the foreign service."""

    permission_area = Area.NATIONALS
    # What of it is personal, and who may see it: nationals/disclosure.py.
    # A host country's immigration authority never sees another country's nationals.
    hidden_from_immigration = models.Q(pk__isnull=False)

    kind = models.CharField(_("registration"), max_length=20, choices=Kind.choices, default=Kind.JUST_IN_CASE)
    source = models.CharField(
        _("registered by"), max_length=20, choices=Source.choices, default=Source.WALK_IN
    )
    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices, blank=True)
    nationality = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality")
    )
    document_type = models.CharField(
        _("document"), max_length=20, choices=DocumentType.choices, default=DocumentType.PASSPORT
    )
    document_number = EncryptedTextField(_("document number"), blank=True)
    document_status = models.CharField(
        _("document status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.UNKNOWN
    )
    document_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)

    phone = EncryptedTextField(_("phone (E.164)"), blank=True)
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email = EncryptedTextField(_("email"), blank=True)
    email_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    messaging = EncryptedJSONField(
        _("messaging handles"), blank=True
    )  # {"whatsapp": "+63...", "viber": "..."}
    languages = models.JSONField(
        _("preferred languages"), default=list, blank=True
    )  # BCP 47, most preferred first
    primary_language = models.CharField(
        _("first language"), max_length=35, blank=True, db_index=True, editable=False
    )

    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country of stay")
    )
    area = models.ForeignKey(
        "geo.AdminArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admin area"),
    )
    city = models.CharField(_("city or town"), max_length=120, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    location = EncryptedTextField(_("exact location (lat,lon)"), blank=True)
    lat = models.FloatField(null=True, blank=True, editable=False)  # coarse, COARSE_DIGITS decimals
    lon = models.FloatField(null=True, blank=True, editable=False)

    stay_type = models.CharField(
        _("stay"), max_length=20, choices=StayType.choices, default=StayType.RESIDENT_WORKER
    )
    arrival = models.DateField(_("arrival"), null=True, blank=True)
    departure = models.DateField(_("departure (end of trip)"), null=True, blank=True)
    review_date = models.DateField(_("residence review date"), null=True, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    recruiter = models.CharField(_("recruitment agency"), max_length=200, blank=True)

    special_needs = models.JSONField(_("special needs"), default=list, blank=True)  # SpecialNeed values
    needs_details = EncryptedTextField(_("details of needs"), blank=True)
    emergency_contact = EncryptedJSONField(
        _("emergency contact at home"), blank=True
    )  # {"name", "relation", "phone", "email"}

    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # A submission from the app carries a key, so that a retried self-registration does not create two.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["country", "lat", "lon"], name="nationals_reg_country_point"),
            models.Index(fields=["organisation", "area"], name="nationals_reg_org_area"),
        ]

    def __str__(self):
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    @property
    def full_name(self):
        return str(self)

    def audit_repr(self):
        return f"#{self.pk}"  # the audit log never holds a national's name

    def save(self, *args, **kwargs):
        prepare(self)
        super().save(*args, **kwargs)

    def trip_dates_changed(self):
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            return True
        return any(loaded.get(name) != getattr(self, name) for name in ("departure", "review_date"))

    @property
    def age(self):
        return age_on(self.date_of_birth)

    @property
    def need_labels(self):
        return need_labels(self.special_needs)

    @property
    def sex_label(self):
        return sex_label(self.sex)

    @property
    def language_names(self):
        from lifeline.core.names import language_name

        return [language_name(code) for code in self.languages or []]


def sex_label(value):
    """The sex as a document states it, in the reader's language ("" when not given)."""
    return str(Sex(value).label) if value in Sex.values else (value or "")


def need_labels(values):
    return [SpecialNeed(value).label for value in values or [] if value in SpecialNeed.values]


def prepare(registration):
    """Compute what a registration stores besides what was typed: indexes, coarse point, expiry.

    ``save`` calls it; so must any bulk insert (the demo, imports), which skips ``save``."""
    registration.document_index = blind_index(registration.document_number)
    registration.phone_index = blind_index(registration.phone)
    registration.email_index = blind_index(registration.email)
    registration.primary_language = (registration.languages or [""])[0]
    registration.lat, registration.lon = coarse_point(registration.location)
    if registration.kind == Kind.JUST_IN_CASE and (
        registration.expires_on is None or (registration.pk and registration.trip_dates_changed())
    ):
        registration.expires_on = default_expiry(registration)
    return registration


def coarse_point(location):
    """(lat, lon) rounded to COARSE_DIGITS from a "lat,lon" string, or (None, None)."""
    try:
        lat, lon = (float(part) for part in str(location or "").split(","))
    except ValueError:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lat, COARSE_DIGITS), round(lon, COARSE_DIGITS)


def age_on(born, day=None):
    if born is None:
        return None
    day = day or timezone.localdate()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    COMPANION = "companion", _("Travel companion")


class HouseholdMember(Audited, models.Model):
    """A person who lives or travels with the registered national."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices, blank=True)
    document_number = EncryptedTextField(_("document number"), blank=True)
    document_status = models.CharField(
        _("document status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.UNKNOWN
    )
    unaccompanied = models.BooleanField(_("unaccompanied minor"), default=False)
    special_needs = models.JSONField(_("special needs"), default=list, blank=True)

    class Meta:
        ordering = ["registration_id", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return self.name

    def audit_repr(self):
        return f"#{self.pk} (registration #{self.registration_id})"

    @property
    def age(self):
        return age_on(self.date_of_birth)

    @property
    def need_labels(self):
        return need_labels(self.special_needs)

    @property
    def sex_label(self):
        return sex_label(self.sex)

    @property
    def is_child(self):
        age = self.age
        return age is not None and age < 18


class Trip(Audited, models.Model):
    """A journey the national plans or makes beyond the place of stay: where to, from when until when.

    A crisis there finds them (the destination's country and area), as consular registration systems
    ask of travellers."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="trips")
    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("destination country")
    )
    area = models.ForeignKey(
        "geo.AdminArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destination area"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["registration_id", "start", "id"]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")

    def __str__(self):
        return f"{self.country_id} {self.start}"

    def audit_repr(self):
        return f"#{self.pk} (registration #{self.registration_id})"


class Consent(models.Model):
    """Consent per purpose, with the wording's language and when it was given or withdrawn."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"), default=True)
    language = models.CharField(_("language of the wording"), max_length=8, default="en")
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "purpose"], name="unique_consent_purpose")
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.granted}"


def retention_days():
    return settings.REGISTRATION_RETENTION_DAYS


def default_expiry(registration, today=None):
    """When a just-in-case registration lapses: some days after the trip ends or the residence review."""
    end = registration.departure or registration.review_date
    if end is None:
        end = (today or timezone.localdate()) + datetime.timedelta(days=365)
    return end + datetime.timedelta(days=retention_days())


class SignInCode(models.Model):
    """A one-time code sent by SMS or email to sign a national in without a password. Only a hash is kept."""

    address_index = models.CharField(max_length=40, db_index=True)  # blind index of the phone or email
    channel = models.CharField(max_length=10)  # "sms" or "email"
    ip_index = models.CharField(
        max_length=40, blank=True, db_index=True
    )  # blind index of the requesting address
    digest = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["address_index", "created"], name="nationals_code_addr_created")]


class DeviceToken(models.Model):
    """A long-lived token held by one of a national's devices; revocable from the app. Only a hash is kept."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="devices", null=True, blank=True
    )
    # Before the person has registered, a verified address is all the token stands for.
    address_index = models.CharField(max_length=40, blank=True, db_index=True)
    channel = models.CharField(max_length=10, blank=True)
    label = models.CharField(_("device"), max_length=80, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self):
        return self.label or f"#{self.pk}"

    @staticmethod
    def hash(raw):
        import hashlib

        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, registration=None, label="", address_index="", channel=""):
        """Create a token; returns (token, raw). The raw value is shown once, to the device."""
        import secrets

        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            registration=registration,
            label=label[:80],
            digest=cls.hash(raw),
            address_index=address_index,
            channel=channel,
        )
        return token, raw


class PostDetails(Audited, models.Model):
    """What the public needs to know about a consular post: when it is open, how to reach it, where it is."""

    organisation = models.OneToOneField(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="post_details",
        limit_choices_to={"kind": "consular_post"},
        verbose_name=_("consular post"),
    )
    office_hours = MultilingualField(_("office hours"), default=dict, blank=True)  # {language code: text}
    emergency_phone = models.CharField(_("emergency phone (E.164)"), max_length=20, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    public_notes = models.TextField(_("public notes"), blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consular post details")
        verbose_name_plural = _("consular post details")

    def __str__(self):
        return str(self.organisation)

    def hours_in(self, language=None):
        """Office hours for a reader of ``language`` (``Texts.text_for``); "" if none."""
        return self.office_hours.text_for([language] if language else []) or ""

    def distance_km(self, lat, lon):
        if self.latitude is None or self.longitude is None:
            return None
        return haversine_km(lat, lon, self.latitude, self.longitude)


EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


class ReportedStatus(models.TextChoices):
    """What a person can say about themselves without being asked (the same values as a check-in answer)."""

    SAFE = "safe", _("Safe")
    NEED_HELP = "need_help", _("Needs help")


class StatusReport(Audited, models.Model):
    """ "I am safe" or "I need help", given in the app when no check-in asked: the person's own news.

    Answers to a check-in are ``crises.CheckInAnswer``; ``nationals.services.latest_status`` reads both."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="status_reports")
    status = models.CharField(_("status"), max_length=20, choices=ReportedStatus.choices)
    via = models.CharField(_("via"), max_length=10, default="app")
    at = models.DateTimeField(_("when"), default=timezone.now)
    idempotency_key = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["registration", "-at"], name="nationals_status_latest")]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "idempotency_key"], name="nationals_status_idempotent"
            )
        ]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self):
        return f"{self.get_status_display()} ({self.at:%Y-%m-%d %H:%M})"

    def audit_repr(self):
        return f"#{self.pk} (registration #{self.registration_id})"


class DistinctPair(models.Model):
    """Two registrations that staff checked and found to be two people: never suggested as duplicates again."""

    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    reason = models.CharField(_("why they are two people"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="nationals_distinct_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="nationals_distinct_pair_order"
            ),
        ]
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")

    def __str__(self):
        return f"#{self.first_id} ≠ #{self.second_id}"


class MergeRecord(models.Model):
    """What a merge changed, so it can be undone: ids and field names only, never the values of people's data.

    ``moved`` is {link label: [row ids that pointed at ``other`` before the merge]}; ``filled`` is
    {field name: the kept record's (empty) value before the merge}; ``consents`` is {consent id:
    [granted, language, at]} for the kept record's consents the merge changed."""

    keep = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    moved = models.JSONField(default=dict, blank=True)
    filled = models.JSONField(default=dict, blank=True)
    consents = models.JSONField(default=dict, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge of registrations")
        verbose_name_plural = _("merges of registrations")

    def __str__(self):
        return f"#{self.other_id} → #{self.keep_id}"
