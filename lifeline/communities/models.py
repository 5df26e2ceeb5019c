"""Community profiles: collective profiles of migrant groups, never individuals.

Every save of a profile keeps a numbered version (a snapshot of its fields), so
earlier versions can be read and compared.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.models import Area, Language
from lifeline.core.permissions import OwnedModel


class Sector(models.TextChoices):
    DOMESTIC = "domestic_work", _("Domestic work")
    CONSTRUCTION = "construction", _("Construction")
    AGRICULTURE = "agriculture", _("Agriculture")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HOSPITALITY = "hospitality", _("Hotels and restaurants")
    RETAIL = "retail", _("Retail and trade")
    HEALTH_CARE = "care", _("Health and care")
    TRANSPORT = "transport", _("Transport")
    FISHING = "fishing", _("Fishing")
    STUDENTS = "students", _("Students")
    INFORMAL = "informal", _("Informal economy")
    OTHER = "other", _("Other")


class Housing(models.TextChoices):
    EMPLOYER = "employer", _("Housed by employer")
    LIVE_IN = "live_in", _("Live-in (in the employer's home)")
    RENTED = "rented", _("Rented shared housing")
    INFORMAL = "informal", _("Informal settlement")
    CAMP = "camp", _("Camp or collective centre")
    MIXED = "mixed", _("Mixed")


class Vulnerability(models.TextChoices):
    IRREGULAR_STATUS = "irregular_status", _("Many with irregular status (aggregate)")
    DOCUMENTS_HELD = "documents_held", _("Documents held by employers")
    LANGUAGE = "language", _("Little knowledge of local languages")
    ISOLATION = "isolation", _("Isolation (live-in, remote sites)")
    WORKING_CONDITIONS = "working_conditions", _("Hazardous working conditions")
    NO_HEALTH_COVER = "no_health_cover", _("No health cover")
    DEBT = "debt", _("Recruitment debt")
    DETENTION = "detention", _("Risk of detention")
    CHILDREN = "children", _("Unaccompanied or separated children")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    UNKNOWN = "unknown", _("Unknown")


PERCENT_FIELDS = (
    "literacy_rate",
    "female_pct",
    "children_pct",
    "elderly_pct",
    "phone_use_pct",
    "smartphone_pct",
)
PERCENT_RANGE = (0, 100)


def share_problems(values):
    """The rules on a profile's percentages, for forms and imports alike: a list of (field, message)."""
    problems = [
        (name, _("Enter a percentage from 0 to 100."))
        for name in PERCENT_FIELDS
        if values.get(name) is not None and not PERCENT_RANGE[0] <= values[name] <= PERCENT_RANGE[1]
    ]
    if problems:
        return problems
    children, elderly = values.get("children_pct"), values.get("elderly_pct")
    if children is not None and elderly is not None and children + elderly > 100:
        problems.append(
            ("elderly_pct", _("Children under 18 and people over 60 cannot add up to more than 100%."))
        )
    phones, smartphones = values.get("phone_use_pct"), values.get("smartphone_pct")
    if phones is not None and smartphones is not None and smartphones > phones:
        problems.append(
            ("smartphone_pct", _("More people cannot have a smartphone than have a mobile phone."))
        )
    return problems


def choice_labels(choices_cls, keys):
    labels = dict(choices_cls.choices)
    return [labels.get(key, key) for key in keys or []]


class CommunityProfile(Audited, OwnedModel):
    permission_area = Area.COMMUNITIES
    # Collective knowledge: read by every organisation whose jurisdiction covers these areas.
    shared_area_path = "areas"

    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example: Filipino domestic workers in Amman.")
    )
    origin_countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("origin")
    )
    ethnicity = models.CharField(_("ethnic groups"), max_length=200, blank=True)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="+", verbose_name=_("languages spoken")
    )
    literacy_rate = models.PositiveSmallIntegerField(_("literacy rate (%)"), null=True, blank=True)
    literacy_notes = models.CharField(_("languages read and literacy"), max_length=300, blank=True)
    estimated_size = models.PositiveIntegerField(_("estimated size"), null=True, blank=True)
    size_source = models.CharField(_("source of estimate"), max_length=200, blank=True)
    size_date = models.DateField(_("date of estimate"), null=True, blank=True)
    female_pct = models.PositiveSmallIntegerField(_("women and girls (%)"), null=True, blank=True)
    children_pct = models.PositiveSmallIntegerField(_("children under 18 (%)"), null=True, blank=True)
    elderly_pct = models.PositiveSmallIntegerField(_("people over 60 (%)"), null=True, blank=True)
    areas = models.ManyToManyField(
        "geo.AdminArea", blank=True, related_name="+", verbose_name=_("where they live and work")
    )
    locations_note = models.CharField(_("neighbourhoods and sites"), max_length=300, blank=True)
    sectors = models.JSONField(_("sectors of work"), default=list, blank=True)
    housing = models.CharField(_("housing"), max_length=12, choices=Housing.choices, blank=True)
    vulnerabilities = models.JSONField(_("vulnerability factors"), default=list, blank=True)
    vulnerability_notes = models.TextField(_("vulnerability notes (aggregated)"), blank=True)
    networks = models.TextField(_("networks and associations"), blank=True)
    focal_points = models.ManyToManyField(
        "directory.KeyContact",
        blank=True,
        related_name="focal_point_of",
        verbose_name=_("leaders and focal points"),
    )
    reached_by = models.ManyToManyField(
        "directory.KeyContact",
        blank=True,
        related_name="communities_reached",
        verbose_name=_("contacts who reach them"),
    )
    trusted_channels = models.CharField(_("trusted channels"), max_length=300, blank=True)
    media = models.CharField(_("media used"), max_length=300, blank=True)
    phone_use_pct = models.PositiveSmallIntegerField(_("with a mobile phone (%)"), null=True, blank=True)
    smartphone_pct = models.PositiveSmallIntegerField(_("with a smartphone (%)"), null=True, blank=True)
    apps = models.CharField(_("messaging apps used"), max_length=200, blank=True)
    religious_needs = models.CharField(_("religious needs"), max_length=300, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    cultural_needs = models.CharField(_("cultural needs"), max_length=300, blank=True)
    fear_of_enforcement = models.CharField(
        _("fear of enforcement"), max_length=8, choices=Level.choices, default=Level.UNKNOWN
    )
    past_emergency_experience = models.TextField(_("past emergency experience"), blank=True)
    consular_presence = models.CharField(_("consular presence"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for name, message in share_problems({name: getattr(self, name) for name in PERCENT_FIELDS}):
            errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def sector_labels(self):
        return choice_labels(Sector, self.sectors)

    def vulnerability_labels(self):
        return choice_labels(Vulnerability, self.vulnerabilities)


class ProfileVersion(models.Model):
    profile = models.ForeignKey(CommunityProfile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["profile", "number"], name="unique_profile_version")]
        verbose_name = _("profile version")
        verbose_name_plural = _("profile versions")

    def __str__(self):
        return f"{self.profile} v{self.number}"
