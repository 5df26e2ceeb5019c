"""Reference geography: countries (ISO 3166) and administrative areas (P-codes).

Geometries are stored as GeoJSON text with their bounding box on indexed
columns, so that a cheap box test can run in the database before an exact
point-in-area test runs in Python (shapely). No GDAL needed.
"""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.names import country_name
from lifeline.geo.names import area_name


class Country(models.Model):
    code = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    geometry = models.TextField(_("outline (GeoJSON)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return country_name(self.code)


class AdminArea(models.Model):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="areas", verbose_name=_("country")
    )
    pcode = models.CharField(_("P-code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("local name"), max_length=200, blank=True)
    # Names in other languages, {language: name}; which one a reader sees: geo/names.area_name.
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    level = models.PositiveSmallIntegerField(_("admin level"), default=1)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent area"),
    )
    geometry = models.TextField(_("boundary (GeoJSON)"), blank=True)
    # A simplified copy of a detailed boundary, for maps; analysis always uses ``geometry``.
    display_geometry = models.TextField(_("boundary for maps (GeoJSON)"), blank=True)
    min_lat = models.FloatField(null=True, blank=True, db_index=True)
    max_lat = models.FloatField(null=True, blank=True, db_index=True)
    min_lon = models.FloatField(null=True, blank=True, db_index=True)
    max_lon = models.FloatField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self):
        return f"{self.shown_name} ({self.pcode})"

    @property
    def shown_name(self):
        """The name in the reader's language (``geo/names.area_name``)."""
        return area_name(self)

    def set_geometry(self, geometry: dict):
        """Store a GeoJSON geometry and its bounding box."""
        from shapely.geometry import shape

        geom = shape(geometry)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geom.bounds
        self.geometry = json.dumps(geometry, separators=(",", ":"))
