"""Migrant-inclusive risk analysis: where migrants are (presence figures with their source and date),
which hazards reach them (hazard zones, GDACS events, imported alerts), and which languages warnings
need. This app owns "which languages are spoken in this area" (DESIGN.md, shared engines)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.models import Area
from lifeline.core.permissions import OwnedModel


class OfficialStatus(models.TextChoices):
    OFFICIAL = "official", _("official")
    DE_FACTO = "de_facto_official", _("de facto official")
    REGIONAL = "official_regional", _("official in a region")
    NONE = "", _("not official")


class OriginLanguage(Audited, models.Model):
    """A language spoken by people from a country of origin: one row of the deployment's table,
    seeded from CLDR's territory language data and edited by the deployment's staff."""

    permission_area = Area.RISK

    country = models.CharField(_("country of origin"), max_length=2, db_index=True)  # ISO 3166 alpha-2
    language = models.CharField(_("language"), max_length=35)  # normalised BCP 47 tag
    share = models.DecimalField(
        _("share of the population (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("official status"), max_length=20, choices=OfficialStatus.choices, default="", blank=True
    )
    source = models.CharField(_("source"), max_length=200)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "-share", "language"]
        constraints = [
            models.UniqueConstraint(fields=["country", "language"], name="risk_origin_language_unique")
        ]

    def __str__(self):
        return f"{self.country}: {self.language}"

    @property
    def language_name(self):
        from lifeline.core.names import language_name

        return language_name(self.language)


class AlertLevel(models.TextChoices):
    GREEN = "Green", _("Green")
    ORANGE = "Orange", _("Orange")
    RED = "Red", _("Red")


LEVEL_RANK = {AlertLevel.GREEN: 1, AlertLevel.ORANGE: 2, AlertLevel.RED: 3}


class GdacsEvent(models.Model):
    """A GDACS event (earthquake, tropical cyclone, flood, volcano, drought, wildfire) as last read:
    its latest episode, alert level, dates, where it is (bounding box and, when given, its shape)."""

    permission_area = Area.RISK

    event_type = models.CharField(_("hazard"), max_length=4)
    event_id = models.PositiveBigIntegerField(_("GDACS event"))
    episode_id = models.PositiveBigIntegerField(_("episode"))
    alert_level = models.CharField(_("alert level"), max_length=8, choices=AlertLevel.choices)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=300, blank=True)
    population = models.CharField(max_length=300, blank=True)
    countries = models.JSONField(default=list)  # ISO 3166 alpha-2 codes
    from_date = models.DateTimeField(null=True, blank=True)
    to_date = models.DateTimeField(null=True, blank=True)
    bbox = models.JSONField(default=list)  # [min lon, min lat, max lon, max lat]
    geometry = models.TextField(blank=True)  # GeoJSON Polygon or MultiPolygon, when the document had one
    link = models.URLField(max_length=500, blank=True)
    is_current = models.BooleanField(default=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-from_date", "-event_id"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "event_id"], name="risk_gdacs_event_unique")
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id}: {self.name}"

    @property
    def rank(self):
        return LEVEL_RANK.get(self.alert_level, 0)


class ProposalKind(models.TextChoices):
    CHECKIN = "checkin", _("a check-in")
    ADVICE = "advice", _("an advice review")


class GdacsProposal(OwnedModel):
    """Relay from GDACS to a post: an event covers its registered nationals; ask them, or review the
    advice? One per event and post; a new episode revises it."""

    permission_area = Area.CRISES
    hidden_from_immigration = models.Q(pk__isnull=False)

    event = models.ForeignKey(GdacsEvent, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=8, choices=ProposalKind.choices)
    headline = models.CharField(max_length=300)
    alert_level = models.CharField(max_length=8, choices=AlertLevel.choices)
    episode_id = models.PositiveBigIntegerField()
    people = models.PositiveIntegerField()
    languages = models.JSONField(default=dict)  # {"fil": 120, "en": 30}
    revision = models.PositiveIntegerField(default=1)
    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-updated"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="risk_gdacs_proposal_unique")
        ]

    def __str__(self):
        return self.headline


# --- presence and hazard zones (the exposure analysis) ---------------------------------------------


class PresenceKind(models.TextChoices):
    SUBNATIONAL = "subnational", _("Sub-national table (admin area × nationality)")
    STOCK = "stock", _("International migrant stock (origin × destination)")


class Sex(models.TextChoices):
    TOTAL = "", _("Both sexes")
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class PresenceDataset(Audited, OwnedModel):
    """One imported table of migrant presence: its source and date stay with every figure."""

    permission_area = Area.RISK

    kind = models.CharField(_("kind"), max_length=12, choices=PresenceKind.choices)
    source = models.CharField(_("source"), max_length=300)
    date = models.DateField(_("date of the figures"), null=True, blank=True)
    country = models.ForeignKey(
        "geo.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    filename = models.CharField(_("file"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "source"]
        verbose_name = _("presence dataset")
        verbose_name_plural = _("presence datasets")

    def __str__(self):
        return f"{self.source} ({self.date or '?'})"


class PresenceFigure(models.Model):
    """How many people of one origin live in one place (an admin area, or a whole country)."""

    dataset = models.ForeignKey(PresenceDataset, on_delete=models.CASCADE, related_name="figures")
    destination = models.ForeignKey("geo.Country", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "geo.AdminArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.ForeignKey("geo.Country", on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    count = models.PositiveBigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["dataset", "area"], name="risk_fig_dataset_area"),
            models.Index(fields=["destination", "origin", "year"], name="risk_fig_dest_origin"),
        ]


class HazardType(models.TextChoices):
    FLOOD = "flood", _("Flood")
    FLASH_FLOOD = "flash_flood", _("Flash flood")
    EARTHQUAKE = "earthquake", _("Earthquake")
    LANDSLIDE = "landslide", _("Landslide")
    CYCLONE = "cyclone", _("Tropical cyclone")
    DROUGHT = "drought", _("Drought")
    WILDFIRE = "wildfire", _("Wildfire")
    HEAT = "heat", _("Extreme heat")
    TSUNAMI = "tsunami", _("Tsunami")
    VOLCANO = "volcano", _("Volcano")
    INDUSTRIAL = "industrial", _("Industrial accident")
    OTHER = "other", _("Other hazard")


class HazardClass(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


class HazardLayer(Audited, OwnedModel):
    """One imported hazard map (a GeoJSON file of zones), with its source and date."""

    permission_area = Area.RISK

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.ForeignKey(
        "geo.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("hazard layer")
        verbose_name_plural = _("hazard layers")

    def __str__(self):
        return self.name


class HazardZone(models.Model):
    layer = models.ForeignKey(HazardLayer, on_delete=models.CASCADE, related_name="zones")
    hazard = models.CharField(_("hazard"), max_length=12, choices=HazardType.choices)
    level = models.CharField(_("likelihood or severity"), max_length=10, choices=HazardClass.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    geometry = models.TextField(_("zone (GeoJSON)"))
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lon = models.FloatField()

    class Meta:
        ordering = ["layer", "pk"]
