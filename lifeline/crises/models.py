"""Crises and "are you safe?" check-ins.

A crisis belongs to its lead post (or the ministry); posts of the same ministry
whose jurisdiction meets the crisis see it too (``CrisisQuerySet.for_user``, the
one place that rule lives). Its affected area is any mix of a drawn or uploaded
polygon, a circle, admin areas and whole countries; ``services.registrations_in``
turns that into the registrations inside, and ``CrisisMember`` keeps the answer
so that figures, campaigns and boards join on it instead of passing id lists.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedTextField, MultilingualField
from lifeline.core.models import Action, Area, Organisation
from lifeline.core.permissions import (
    OwnedModel,
    ScopedQuerySet,
    _is_immigration_user,
    descendants_and_self,
    has_perm,
    visible_organisation_ids,
)


class CrisisType(models.TextChoices):
    CONFLICT = "conflict", _("Conflict")
    NATURAL_HAZARD = "natural_hazard", _("Natural hazard")
    EPIDEMIC = "epidemic", _("Epidemic")
    ACCIDENT = "accident", _("Accident")
    ECONOMIC = "economic", _("Economic crisis")
    MASS_EXPULSION = "mass_expulsion", _("Mass expulsion")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    PRECAUTIONARY = "precautionary", _("Precautionary")
    RESTRICTION = "restriction", _("Restriction")
    VOLUNTARY_RETURN = "voluntary_return", _("Voluntary return")
    MANDATORY_RETURN = "mandatory_return", _("Mandatory return")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


def new_token():
    return secrets.token_urlsafe(24)


def ministry_tree(organisation_id):
    """Ids of every organisation under the same top-level organisation (a ministry and its posts)."""
    org = Organisation.objects.only("id", "parent_id").get(pk=organisation_id)
    seen = {org.pk}
    while org.parent_id is not None and org.parent_id not in seen:
        seen.add(org.parent_id)
        org = Organisation.objects.only("id", "parent_id").get(pk=org.parent_id)
    return descendants_and_self(org.pk)


class CrisisQuerySet(ScopedQuerySet):
    def for_user(self, user, action=Action.VIEW):
        """The lead's crises, plus, read-only, those meeting the jurisdiction of a post of the same ministry."""
        if not has_perm(user, self.model.permission_area, action):
            return self.none()
        ids = visible_organisation_ids(user)
        if ids is None or action != Action.VIEW or not ids:
            return super().for_user(user, action)
        orgs = Organisation.objects.filter(id__in=ids)
        countries = set(orgs.values_list("jurisdiction_countries", flat=True)) - {None}
        areas = set(orgs.values_list("jurisdiction_areas", flat=True)) - {None}
        trees = set()
        for org_id in ids:
            if org_id not in trees:
                trees |= ministry_tree(org_id)
        meets = (
            models.Q(country__in=countries) | models.Q(countries__in=countries) | models.Q(areas__in=areas)
        )
        shared = self.filter(meets, organisation_id__in=trees).values("id")
        visible = self.filter(models.Q(organisation_id__in=ids) | models.Q(id__in=shared))
        return visible.exclude(self.model.hidden_from_immigration) if _is_immigration_user(user) else visible

    def active(self):
        return self.filter(status=Status.ACTIVE)


class Crisis(Audited, OwnedModel):
    permission_area = Area.CRISES
    # Crises lead to lists of nationals: nothing of them is shown to an immigration authority.
    hidden_from_immigration = models.Q(pk__isnull=False)

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(
        _("type"), max_length=20, choices=CrisisType.choices, default=CrisisType.NATURAL_HAZARD
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PRECAUTIONARY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    started = models.DateTimeField(_("started"), default=timezone.now)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country where it happens"),
        help_text=_("The polygon and the circle select registrations in this country."),
    )
    geometry = models.TextField(_("affected area (GeoJSON)"), blank=True)  # Polygon or MultiPolygon
    circle_lat = models.FloatField(_("circle centre, latitude"), null=True, blank=True)
    circle_lon = models.FloatField(_("circle centre, longitude"), null=True, blank=True)
    circle_radius_km = models.FloatField(_("circle radius (km)"), null=True, blank=True)
    areas = models.ManyToManyField(
        "geo.AdminArea", blank=True, related_name="+", verbose_name=_("admin areas")
    )
    countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("whole countries")
    )

    public_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    member_count = models.PositiveIntegerField(_("registrations in the area"), default=0, editable=False)
    counted = models.DateTimeField(_("counted"), null=True, blank=True, editable=False)

    objects = CrisisQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "id"]
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == Status.ACTIVE


class CrisisMember(models.Model):
    """The materialised result of targeting: one row per registration inside the crisis area.

    A cache rebuilt by ``services.materialise``: without database FK constraints (their
    per-row checks doubled the time of writing 100,000 members); deletes cascade in the ORM,
    and readers join on Registration, so a stale row can never show a deleted person."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    registration = models.ForeignKey(
        "nationals.Registration", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crisis", "registration"], name="crises_member_unique")
        ]


class CheckInStatus(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    SAFE = "safe", _("Safe")
    NEED_HELP = "need_help", _("Needs help")
    NOT_IN_AREA = "not_in_area", _("Not in the area")
    UNREACHABLE = "unreachable", _("Unreachable")


class Via(models.TextChoices):
    APP = "app", _("App")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone call")
    STAFF = "staff", _("Staff")


class CheckInCampaign(Audited, models.Model):
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="campaigns")
    messages = MultilingualField(_("message per language"), default=dict)  # {"en": "...", "fil": "..."}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started = models.DateTimeField(_("started"), default=timezone.now)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    # The messaging engine's send that carried it (its dashboard counts the answers).
    send = models.ForeignKey(
        "messaging.Send", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-started", "-id"]
        verbose_name = _("check-in campaign")
        verbose_name_plural = _("check-in campaigns")

    def __str__(self):
        return f"{self.crisis} · {self.started:%Y-%m-%d %H:%M}"

    def fallback_languages(self):
        """The send's fallback languages (None: the deployment's defaults), so the app chooses as the send did."""
        return (self.send.fallback_languages or None) if self.send_id and self.send else None

    def language_for(self, languages):
        """The language of the message a person whose languages are ``languages`` gets, by SMS, email, push or
        in the app: ``messages.language_for``, with the send's fallback languages."""
        return self.messages.language_for(languages, self.fallback_languages())

    def message_for(self, languages):
        """The message in ``language_for(languages)``; "" if there is none."""
        return self.messages.text_for(languages, self.fallback_languages()) or ""


class CheckInRequest(models.Model):
    """ "Are you safe?" asked of one registration; its status is the latest answer."""

    campaign = models.ForeignKey(CheckInCampaign, on_delete=models.CASCADE, related_name="requests")
    registration = models.ForeignKey("nationals.Registration", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.NO_ANSWER
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "registration"], name="crises_request_unique")
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="crises_request_status"),
            models.Index(fields=["registration", "campaign"], name="crises_request_reg"),
        ]

    def audit_repr(self):
        return f"#{self.pk} (registration #{self.registration_id})"


class CheckInAnswer(Audited, models.Model):
    """Every answer, time-stamped, in the order it came; retries carry the same idempotency key."""

    request = models.ForeignKey(CheckInRequest, on_delete=models.CASCADE, related_name="answers")
    registration = models.ForeignKey("nationals.Registration", on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=20, choices=CheckInStatus.choices)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    note = EncryptedTextField(_("note"), blank=True)
    location = EncryptedTextField(_("location (lat,lon)"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "idempotency_key"], name="crises_answer_idempotent"
            )
        ]

    def audit_repr(self):
        return f"#{self.pk} (registration #{self.registration_id})"

    @staticmethod
    def audit_repr_sql(pk, registration_id):
        """``audit_repr`` in SQL, for the check-in's one statement (``crises.answering``)."""
        return f"'#' || {pk} || ' (registration #' || {registration_id} || ')'"


class JustInTimeSubmission(models.Model):
    """A just-in-time form sent once: the hidden key makes a resubmission find the first registration."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(unique=True)
    registration = models.ForeignKey("nationals.Registration", on_delete=models.CASCADE, related_name="+")
    need_help = models.BooleanField(_("needs help now"), default=False)
    household_size = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    children = models.PositiveSmallIntegerField(_("children under 18"), default=0)
    at = models.DateTimeField(default=timezone.now)


class CheckInProposal(OwnedModel):
    """Relay between the streams: another authority's alert covers this post's nationals; ask them?"""

    permission_area = Area.CRISES
    hidden_from_immigration = models.Q(pk__isnull=False)

    alert = models.ForeignKey("alerts.Alert", on_delete=models.CASCADE, related_name="+")
    headline = models.CharField(_("alert"), max_length=255)
    people = models.PositiveIntegerField(_("registrations inside"))
    languages = models.JSONField(_("first languages"), default=dict)  # {"fil": 120, "en": 30}
    crisis = models.ForeignKey(Crisis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "organisation"], name="crises_proposal_unique")
        ]
        verbose_name = _("proposed check-in")
        verbose_name_plural = _("proposed check-ins")

    def __str__(self):
        return self.headline
