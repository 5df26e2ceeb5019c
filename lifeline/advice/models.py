"""Travel advice and destination briefings, written by a foreign ministry for its nationals.

A ``TravelAdvice`` is the advice for one place: a country, or an admin area or a
named region inside it. Its text lives in numbered ``AdviceVersion`` rows (one
per revision, kept forever) with one ``AdviceText`` per language. A version is
drafted, sent for approval, approved by someone else and published; publishing
supersedes the version published before (``services.approve``).

Published advice and briefings are public: anyone may read them without an
account. Drafts are the owning organisation's, read through ``for_user``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lifeline.core.approval import Approvable
from lifeline.core.audit import Audited
from lifeline.core.fields import EncryptedTextField
from lifeline.core.models import Action, Area
from lifeline.core.permissions import OwnedModel, ScopedQuerySet


class Level(models.IntegerChoices):
    # Translators: migrants read this
    NORMAL = 1, _("Exercise normal caution")
    # Translators: migrants read this
    HIGH = 2, _("Exercise a high degree of caution")
    # Translators: migrants read this
    RECONSIDER = 3, _("Reconsider your need to travel")
    # Translators: migrants read this
    DO_NOT_TRAVEL = 4, _("Do not travel")


# Colour, and a shape that tells the level apart without colour (with the number and the words).
LEVEL_STYLE = {
    Level.NORMAL: {"colour": "#1a6e2e", "icon": "●", "css": "level-1"},
    Level.HIGH: {"colour": "#7a5a00", "icon": "▲", "css": "level-2"},
    Level.RECONSIDER: {"colour": "#a33b00", "icon": "◆", "css": "level-3"},
    Level.DO_NOT_TRAVEL: {"colour": "#a40e26", "icon": "✖", "css": "level-4"},
}


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class AdviceQuerySet(ScopedQuerySet):
    """Advice is read and drafted by the owner's scope, and by the posts whose jurisdiction covers its country.

    A consular post drafts the advice its ministry keeps for the countries the post covers (the embassy in
    Amman, Jordan's); publishing stays with the owner's scope (``owned_by_scope``: the ministry approves)."""

    def owned_by_scope(self, user, action=Action.VIEW):
        return super().for_user(user, action)

    def for_user(self, user, action=Action.VIEW):
        from lifeline.core.permissions import has_perm

        owned = self.owned_by_scope(user, action)
        if not has_perm(user, self.model.permission_area, action):
            return owned
        covered = post_countries(user)
        if not covered:
            return owned
        by_post = models.Q(pk__in=[])
        for ancestors, countries in covered:
            by_post |= models.Q(organisation_id__in=ancestors, country_id__in=countries)
        return self.filter(models.Q(pk__in=owned.values("pk")) | by_post)


def post_countries(user):
    """[(ids of the organisations above a post, ids of the countries it covers)] for the posts in the user's
    scope (never for a whole-deployment scope: that reaches all advice already)."""
    from lifeline.core.models import Organisation, OrganisationKind
    from lifeline.core.permissions import visible_organisation_ids

    ids = visible_organisation_ids(user)
    if not ids:
        return []
    found = []
    for post in Organisation.objects.filter(id__in=ids, kind=OrganisationKind.CONSULAR_POST).prefetch_related(
        "jurisdiction_countries"
    ):
        countries = {country.pk for country in post.jurisdiction_countries.all()}
        ancestors, current, seen = set(), post.parent, {post.pk}
        while current is not None and current.pk not in seen:
            ancestors.add(current.pk)
            seen.add(current.pk)
            current = current.parent
        if countries and ancestors:
            found.append((ancestors, countries))
    return found


class TravelAdvice(Audited, OwnedModel):
    """The advice for a country, or for an admin area or named region inside it."""

    permission_area = Area.ADVICE

    objects = AdviceQuerySet.as_manager()

    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    area = models.ForeignKey(
        "geo.AdminArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admin area"),
    )
    region = models.CharField(
        _("region"),
        max_length=200,
        blank=True,
        help_text=_("A named region inside the country, when it is not one admin area."),
    )

    class Meta:
        ordering = ["country__code", "area__pcode", "region", "id"]
        verbose_name = _("travel advice")
        verbose_name_plural = _("travel advice")

    def __str__(self):
        place = self.place
        return f"{self.country.name}: {place}" if place else self.country.name

    @property
    def place(self):
        """The part of the country this advice covers ("" for the whole country)."""
        return self.area.shown_name if self.area_id else self.region

    @property
    def is_whole_country(self):
        return not self.area_id and not self.region


class AdviceVersion(Audited, Approvable, models.Model):
    """One revision of the advice; goes through two-person approval (``core/approval.py``)."""

    permission_area = Area.ADVICE
    creator_field = "author"
    approver_field = "approver"
    audit_exclude = ("created", "updated", "revision")

    advice = models.ForeignKey(TravelAdvice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.NORMAL)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    last_reviewed = models.DateField(_("last reviewed"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    summary_confirmed = models.BooleanField(
        _("the summary still holds at the new level"),
        default=False,
        help_text=_("Tick only if the level changes and the summary, unchanged, is still right."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["advice_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["advice", "number"], name="advice_unique_version_number")
        ]
        verbose_name = _("advice version")
        verbose_name_plural = _("advice versions")

    def __str__(self):
        return f"{self.advice} v{self.number}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("advice:version", args=[self.pk])

    @classmethod
    def changeable_by(cls, user):
        """Drafting: the owner's scope and the posts covering the country (``AdviceQuerySet``)."""
        return cls.objects.filter(advice__in=TravelAdvice.objects.for_user(user, Action.CHANGE))

    @classmethod
    def approvable_by(cls, user):
        """Approving: the owner's scope only (the ministry approves what its posts draft)."""
        return cls.objects.filter(advice__in=TravelAdvice.objects.owned_by_scope(user, Action.CHANGE))

    def organisation_id_for_approval(self):
        return self.advice.organisation_id

    @property
    def style(self):
        return LEVEL_STYLE[Level(self.level)]

    @property
    def editable(self):
        """A draft, or a version awaiting approval (a change withdraws the submission)."""
        return self.state in (State.DRAFT, State.AWAITING)


# The sections of an advice text, in reading order, with their headings.
SECTIONS = (
    # Translators: migrants read this
    ("safety", _("Safety and security")),
    # Translators: migrants read this
    ("hazards", _("Natural hazards")),
    # Translators: migrants read this
    ("health", _("Health")),
    # Translators: migrants read this
    ("laws", _("Local laws and customs")),
    # Translators: migrants read this
    ("entry", _("Entry and exit requirements")),
    # Translators: migrants read this
    ("emergency_numbers", _("Emergency numbers")),
    # Translators: migrants read this
    ("help", _("Where to get help")),
)


class AdviceText(Audited, models.Model):
    """One language of a version: a summary and the sections."""

    version = models.ForeignKey(AdviceVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(
        _("language"), max_length=35, help_text=_("ISO 639 code, such as en, fil or ar.")
    )
    summary = models.TextField(_("summary"))
    safety = models.TextField(_("safety and security"), blank=True)
    hazards = models.TextField(_("natural hazards"), blank=True)
    health = models.TextField(_("health"), blank=True)
    laws = models.TextField(_("local laws and customs"), blank=True)
    entry = models.TextField(_("entry and exit requirements"), blank=True)
    emergency_numbers = models.TextField(_("emergency numbers"), blank=True)
    help = models.TextField(
        _("where to get help"),
        blank=True,
        help_text=_("Shown above the posts whose jurisdiction covers the place."),
    )

    class Meta:
        ordering = ["version_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="advice_unique_text_language")
        ]
        verbose_name = _("advice text")
        verbose_name_plural = _("advice texts")

    def __str__(self):
        return f"{self.version} [{self.language}]"

    def sections(self):
        """(key, heading, text) of the sections that hold something."""
        return [(key, heading, getattr(self, key)) for key, heading in SECTIONS if getattr(self, key).strip()]


class AdviceSubscription(Audited, models.Model):
    """Someone to tell when the advice for a country changes.

    Either a registered national (who must have granted the ``advice_updates``
    consent, checked when sending), or an email address confirmed through a
    signed link. The address is encrypted; its blind index finds duplicates.
    """

    country = models.ForeignKey(
        "geo.Country", on_delete=models.CASCADE, related_name="+", verbose_name=_("country")
    )
    registration = models.ForeignKey(
        "nationals.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="advice_subscriptions",
    )
    email = EncryptedTextField(_("email"), blank=True)
    email_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=35, default="en")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration__isnull=False) | ~models.Q(email=""),
                name="advice_subscription_has_recipient",
            ),
        ]
        verbose_name = _("advice subscription")
        verbose_name_plural = _("advice subscriptions")

    def __str__(self):
        return f"#{self.pk} ({self.country_id})"

    def audit_repr(self):
        return f"#{self.pk}"  # never the address

    def save(self, *args, **kwargs):
        from lifeline.core.fields import blind_index

        self.email_index = blind_index(self.email)
        super().save(*args, **kwargs)


class Briefing(Audited, OwnedModel):
    """A destination briefing for the pre-departure / post-arrival module."""

    permission_area = Area.ADVICE

    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    area = models.ForeignKey(
        "geo.AdminArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admin area"),
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Published briefings are public.")
    )
    last_reviewed = models.DateField(_("last reviewed"))

    class Meta:
        ordering = ["country__code", "area__pcode", "id"]
        verbose_name = _("destination briefing")
        verbose_name_plural = _("destination briefings")

    def __str__(self):
        return f"{self.country.name}: {self.area.shown_name}" if self.area_id else self.country.name


# The preparedness checklist, one item a line in each field.
CHECKLIST = (
    ("kit", _("Emergency kit")),
    ("documents", _("Documents")),
    ("contacts", _("Contacts")),
    ("plan", _("Plan")),
)


class BriefingText(Audited, models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(
        _("language"), max_length=35, help_text=_("ISO 639 code, such as en, fil or ar.")
    )
    title = models.CharField(_("title"), max_length=200)
    hazards = models.TextField(_("local hazards"))
    kit = models.TextField(_("emergency kit"), blank=True, help_text=_("One item a line."))
    documents = models.TextField(_("documents"), blank=True, help_text=_("One item a line."))
    contacts = models.TextField(_("contacts"), blank=True, help_text=_("One item a line."))
    plan = models.TextField(_("plan"), blank=True, help_text=_("One item a line."))
    during_alerts = models.TextField(_("what to do during alerts"), blank=True)
    emergency_numbers = models.TextField(_("emergency numbers"), blank=True)

    class Meta:
        ordering = ["briefing_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "language"], name="advice_unique_briefing_language")
        ]
        verbose_name = _("briefing text")
        verbose_name_plural = _("briefing texts")

    def __str__(self):
        return f"{self.briefing} [{self.language}]"

    def checklist(self):
        """(key, heading, [items]) for the parts of the checklist that hold items."""
        rows = []
        for key, heading in CHECKLIST:
            items = [line.strip(" -•*\t") for line in getattr(self, key).splitlines() if line.strip(" -•*\t")]
            if items:
                rows.append((key, heading, items))
        return rows
