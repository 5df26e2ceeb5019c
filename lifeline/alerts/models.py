"""CAP 1.2 alerts: authored here (with four-eyes approval) or imported from feeds and files.

An ``Alert`` is one CAP message; it holds one ``InfoBlock`` per language, and each
block its ``AlertArea``s. Contents are public warnings, not personal data: they are
audited as changes, not encrypted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.approval import Approvable
from lifeline.core.audit import Audited
from lifeline.core.models import Action, Area
from lifeline.core.permissions import OwnedModel


class Status(models.TextChoices):
    # Translators: migrants read this
    ACTUAL = "Actual", _("Actual")
    # Translators: migrants read this
    EXERCISE = "Exercise", _("Exercise")
    # Translators: migrants read this
    SYSTEM = "System", _("System")
    # Translators: migrants read this
    TEST = "Test", _("Test")
    # Translators: migrants read this
    DRAFT = "Draft", _("Draft (CAP)")


class MsgType(models.TextChoices):
    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")
    ACK = "Ack", _("Acknowledgement")
    ERROR = "Error", _("Error")


class CapScope(models.TextChoices):
    PUBLIC = "Public", _("Public")
    RESTRICTED = "Restricted", _("Restricted")
    PRIVATE = "Private", _("Private")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


class Origin(models.TextChoices):
    AUTHORED = "authored", _("Authored here")
    FEED = "feed", _("Imported from a feed")
    FILE = "file", _("Imported from a file")


class Category(models.TextChoices):
    GEO = "Geo", _("Geophysical")
    MET = "Met", _("Meteorological")
    SAFETY = "Safety", _("Public safety")
    SECURITY = "Security", _("Security")
    RESCUE = "Rescue", _("Rescue and recovery")
    FIRE = "Fire", _("Fire")
    HEALTH = "Health", _("Health")
    ENV = "Env", _("Environmental")
    TRANSPORT = "Transport", _("Transport")
    INFRA = "Infra", _("Infrastructure")
    CBRNE = "CBRNE", _("Chemical, biological, radiological, nuclear or explosive")
    OTHER = "Other", _("Other")


class ResponseType(models.TextChoices):
    SHELTER = "Shelter", _("Shelter in place")
    EVACUATE = "Evacuate", _("Evacuate")
    PREPARE = "Prepare", _("Prepare")
    EXECUTE = "Execute", _("Execute the plan")
    AVOID = "Avoid", _("Avoid the area")
    MONITOR = "Monitor", _("Monitor information")
    ASSESS = "Assess", _("Assess")
    ALL_CLEAR = "AllClear", _("All clear")
    NONE = "None", _("No action")


class Urgency(models.TextChoices):
    # Translators: migrants read this
    IMMEDIATE = "Immediate", _("Immediate")
    # Translators: migrants read this
    EXPECTED = "Expected", _("Expected")
    # Translators: migrants read this
    FUTURE = "Future", _("Future")
    # Translators: migrants read this
    PAST = "Past", _("Past")
    # Translators: migrants read this
    UNKNOWN = "Unknown", _("Unknown")


class Severity(models.TextChoices):
    # Translators: migrants read this
    EXTREME = "Extreme", _("Extreme")
    # Translators: migrants read this
    SEVERE = "Severe", _("Severe")
    # Translators: migrants read this
    MODERATE = "Moderate", _("Moderate")
    # Translators: migrants read this
    MINOR = "Minor", _("Minor")
    # Translators: migrants read this
    UNKNOWN = "Unknown", _("Unknown")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("Observed")
    LIKELY = "Likely", _("Likely")
    POSSIBLE = "Possible", _("Possible")
    UNLIKELY = "Unlikely", _("Unlikely")
    UNKNOWN = "Unknown", _("Unknown")


# States in which an alert is still editable (a change withdraws a submission), and in which it is live.
EDITABLE = (State.DRAFT, State.AWAITING)
LIVE = (State.PUBLISHED,)


class FeedKind(models.TextChoices):
    ATOM = "atom", _("Atom")
    RSS = "rss", _("RSS")


class FeedSubscription(Audited, OwnedModel):
    """A CAP feed of another agency that this organisation polls for alerts."""

    permission_area = Area.ALERTS

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed URL"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=8, choices=FeedKind.choices, default=FeedKind.ATOM)
    active = models.BooleanField(_("active"), default=True)
    last_polled = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    audit_exclude = ("created", "updated", "last_polled", "etag", "last_modified")

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed subscription")
        verbose_name_plural = _("feed subscriptions")
        constraints = [models.UniqueConstraint(fields=["organisation", "url"], name="alerts_feed_unique_url")]

    def __str__(self):
        return self.name


class Alert(Audited, Approvable, OwnedModel):
    """Authored alerts go through two-person approval (``core/approval.py``); imported ones arrive published."""

    permission_area = Area.ALERTS
    creator_field = "created_by"
    approver_field = "approved_by"
    audit_exclude = ("created", "updated", "revision")

    # CAP <alert> elements. Identifier and sent time are assigned at publication for authored alerts.
    identifier = models.CharField(_("identifier"), max_length=255, null=True, blank=True)
    sender = models.CharField(_("sender"), max_length=255)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTUAL)
    msg_type = models.CharField(
        _("message type"), max_length=10, choices=MsgType.choices, default=MsgType.ALERT
    )
    scope = models.CharField(_("scope"), max_length=10, choices=CapScope.choices, default=CapScope.PUBLIC)
    restriction = models.CharField(_("restriction"), max_length=500, blank=True)
    addresses = models.CharField(_("addresses"), max_length=1000, blank=True)
    codes = models.JSONField(_("codes"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    references = models.TextField(
        _("references"),
        blank=True,
        help_text=_("“sender,identifier,sent” of earlier messages, space-separated."),
    )
    incidents = models.CharField(_("incidents"), max_length=500, blank=True)
    updates = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
        verbose_name=_("updates or cancels"),
    )
    # Lifecycle here.
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.AUTHORED)
    feed = models.ForeignKey(
        FeedSubscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    raw_xml = models.TextField(_("message as received"), blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    override_reason = models.CharField(_("emergency override reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["sender", "identifier"])]
        # CAP identifiers are unique per sender; here, once per organisation (two agencies may import the same message).
        constraints = [
            models.UniqueConstraint(fields=["organisation", "identifier"], name="alerts_unique_identifier")
        ]

    def __str__(self):
        return self.headline or self.identifier or f"#{self.pk}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("alerts:detail", args=[self.pk])

    @classmethod
    def changeable_by(cls, user):
        return cls.objects.for_user(user, Action.CHANGE)

    def organisation_id_for_approval(self):
        return self.organisation_id

    @property
    def headline(self):
        first = self.first_info()
        return (first.headline or first.event) if first else ""

    def first_info(self):
        blocks = getattr(self, "_prefetched_objects_cache", {}).get("info")
        blocks = list(blocks) if blocks is not None else list(self.info.all())
        return blocks[0] if blocks else None

    def info_for(self, wanted):
        """The info block for a reader of ``wanted`` (``lifeline.core.languages.pick``), or None."""
        from lifeline.core.languages import pick

        blocks = getattr(self, "_prefetched_objects_cache", {}).get("info")
        return pick(list(blocks) if blocks is not None else list(self.info.all()), wanted)

    def reference_string(self):
        """This message as CAP names it in another's <references>."""
        from lifeline.alerts.cap import format_time

        return f"{self.sender},{self.identifier},{format_time(self.sent)}"

    @property
    def is_public(self):
        """Shown at the public URLs: authored here, published once, public scope."""
        return (
            self.origin == Origin.AUTHORED and self.published_at is not None and self.scope == CapScope.PUBLIC
        )

    @property
    def is_current(self):
        return self.state == State.PUBLISHED and (self.expires is None or self.expires > timezone.now())


class InfoBlock(models.Model):
    """A CAP <info>: the alert in one language."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="info")
    language = models.CharField(_("language (BCP 47)"), max_length=35, default="en-US")
    categories = models.JSONField(_("categories"), default=list)
    event = models.CharField(_("event"), max_length=255)
    response_types = models.JSONField(_("response types"), default=list, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    audience = models.CharField(_("audience"), max_length=500, blank=True)
    event_codes = models.JSONField(_("event codes"), default=list, blank=True)
    parameters = models.JSONField(_("parameters"), default=list, blank=True)
    effective = models.DateTimeField(_("effective"), null=True, blank=True)
    onset = models.DateTimeField(_("onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    sender_name = models.CharField(_("sender name"), max_length=255, blank=True)
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    web = models.URLField(_("web page"), max_length=1000, blank=True)
    contact = models.CharField(_("contact"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("info block")
        verbose_name_plural = _("info blocks")

    def __str__(self):
        return f"{self.language}: {self.headline or self.event}"

    def save(self, *args, **kwargs):
        from lifeline.core.http import web_link

        self.web = web_link(self.web)  # whatever path wrote it, only an http(s) address is kept
        super().save(*args, **kwargs)

    @property
    def direction(self):
        from lifeline.core.languages import direction

        return direction(self.language)

    @property
    def language_name(self):
        from lifeline.core.names import language_name

        return language_name(self.language)

    def category_labels(self):
        return [Category(c).label if c in Category.values else c for c in self.categories]

    def response_labels(self):
        return [ResponseType(r).label if r in ResponseType.values else r for r in self.response_types]


class AlertArea(models.Model):
    """A CAP <area>: polygons, circles and geocodes; P-code geocodes name admin areas."""

    info = models.ForeignKey(InfoBlock, on_delete=models.CASCADE, related_name="areas")
    area_desc = models.CharField(_("area description"), max_length=500)
    polygons = models.JSONField(_("polygons"), default=list, blank=True)
    circles = models.JSONField(_("circles"), default=list, blank=True)
    geocodes = models.JSONField(_("geocodes"), default=list, blank=True)
    altitude = models.FloatField(_("altitude"), null=True, blank=True)
    ceiling = models.FloatField(_("ceiling"), null=True, blank=True)
    admin_areas = models.ManyToManyField(
        "geo.AdminArea", blank=True, related_name="+", verbose_name=_("admin areas")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("alert area")
        verbose_name_plural = _("alert areas")

    def __str__(self):
        return self.area_desc


class Outcome(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    DUPLICATE = "duplicate", _("Already imported")
    REJECTED = "rejected", _("Rejected")


class ImportLog(OwnedModel):
    """One CAP message met by an import (feed, file, command or API), and what became of it."""

    permission_area = Area.ALERTS

    feed = models.ForeignKey(
        FeedSubscription, null=True, blank=True, on_delete=models.CASCADE, related_name="logs"
    )
    url = models.CharField(_("URL or file"), max_length=1000, blank=True)
    identifier = models.CharField(_("identifier"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("import log entry")
        verbose_name_plural = _("import log")

    def __str__(self):
        return f"{self.outcome} {self.identifier or self.url}"
