"""Where migrants are and which hazards reach them: the figures the exposure analysis reads.

Every figure keeps where it comes from (its dataset's source) and when it was true (its date).
Figures are statistics, not people's records: anyone who may view risk analysis reads every
dataset; an organisation changes only its own (``for_user(user, Action.CHANGE)``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.models import Area
from lifeline.core.permissions import OwnedModel


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
