"""Key contacts: organisations and individuals who help reach migrants."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedJSONField
from lifeline.core.models import Area, Language
from lifeline.core.permissions import OwnedModel, ScopedQuerySet


class ContactKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    INDIVIDUAL = "individual", _("Individual")


class ContactCategory(models.TextChoices):
    MIGRANT_ASSOCIATION = "migrant_association", _("Migrant association")
    COMMUNITY_LEADER = "community_leader", _("Community leader")
    FAITH = "faith", _("Faith group or leader")
    NGO = "ngo", _("NGO / civil society")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    CONSULATE = "consulate", _("Consulate or embassy")
    EMPLOYER = "employer", _("Employer")
    RECRUITER = "recruiter", _("Recruitment agency")
    MEDIA = "media", _("Media or radio")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    HEALTH = "health", _("Health provider")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class ChannelType(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    SIGNAL = "signal", _("Signal")
    VIBER = "viber", _("Viber")
    FACEBOOK = "facebook", _("Facebook")
    EMAIL = "email", _("Email")
    RADIO = "radio", _("Radio")
    WEBSITE = "website", _("Website")


class TrustLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Not assessed")


class AgreementStatus(models.TextChoices):
    NONE = "none", _("None")
    INFORMAL = "informal", _("Informal arrangement")
    DRAFT = "mou_draft", _("MoU in negotiation")
    SIGNED = "mou_signed", _("MoU signed")
    EXPIRED = "expired", _("Expired")


class KeyContactQuerySet(ScopedQuerySet):
    def stale(self, today=None):
        """Contacts not verified within the deployment's re-verification period."""
        today = today or timezone.localdate()
        limit = today - timezone.timedelta(days=settings.CONTACT_VERIFY_AFTER_DAYS)
        return self.filter(models.Q(last_verified__lt=limit) | models.Q(last_verified__isnull=True))


class KeyContact(Audited, OwnedModel):
    permission_area = Area.CONTACTS
    # The channels are personal: directory/disclosure.py.
    # Individuals (community leaders are often migrants themselves) are never shown to an immigration authority.
    hidden_from_immigration = models.Q(kind="individual")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ContactKind.choices, default=ContactKind.ORGANISATION
    )
    category = models.CharField(
        _("category"), max_length=32, choices=ContactCategory.choices, default=ContactCategory.OTHER
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, help_text=_("Organisation an individual belongs to.")
    )
    role_title = models.CharField(_("role or title"), max_length=120, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    channels = EncryptedJSONField(_("contact channels"), help_text=_("Encrypted at rest."))
    coverage_areas = models.ManyToManyField(
        "geo.AdminArea", blank=True, related_name="+", verbose_name=_("coverage areas")
    )
    coverage_note = models.CharField(_("coverage note"), max_length=300, blank=True)
    available_24_7 = models.BooleanField(_("reachable 24/7"), default=False)
    trust_level = models.CharField(
        _("trust level"), max_length=10, choices=TrustLevel.choices, default=TrustLevel.UNKNOWN
    )
    capacity = models.CharField(
        _("capacity"), max_length=300, blank=True, help_text=_("What they can do in an emergency.")
    )
    agreement_status = models.CharField(
        _("agreement"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.NONE
    )
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = KeyContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("key contact")
        verbose_name_plural = _("key contacts")
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self):
        return self.name

    def audit_repr(self):
        """Organisations are named in the audit log; individuals only by id."""
        return self.name if self.kind == ContactKind.ORGANISATION else f"#{self.pk}"

    @property
    def needs_verification(self):
        if self.last_verified is None:
            return True
        age = (timezone.localdate() - self.last_verified).days
        return age > settings.CONTACT_VERIFY_AFTER_DAYS

    def channel_values(self, kind):
        return [c.get("value", "") for c in self.channels or [] if c.get("type") == kind]
