"""Organisations, staff roles and scopes, the audit log, languages and branding."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.names import language_name, normalise_language


class Language(models.Model):
    """An ISO 639 / BCP 47 language, stored once under its normalised tag."""

    code = models.CharField(_("language code"), max_length=35, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return language_name(self.code)

    @classmethod
    def lookup(cls, code):
        """Return the Language for ``code`` (created on first use) or raise ValidationError."""
        tag = normalise_language(code)
        if tag is None:
            raise ValidationError(_("“%(code)s” is not an ISO 639 language code."), params={"code": code})
        return cls.objects.get_or_create(code=tag)[0]


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class OrganisationKind(models.TextChoices):
    CIVIL_PROTECTION = "civil_protection", _("Civil protection / emergency management agency")
    RESPONDER = "responder", _("Other responder (fire, health, police)")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent society")
    IMMIGRATION = "immigration", _("Immigration authority")
    FOREIGN_AFFAIRS = "foreign_affairs", _("Ministry of foreign affairs")
    CONSULAR_POST = "consular_post", _("Consular post or embassy")
    CRISIS_CELL = "crisis_cell", _("Crisis cell")
    LABOUR = "labour", _("Labour ministry")
    NGO = "ngo", _("NGO / civil society")
    MIGRANT_ASSOCIATION = "migrant_association", _("Migrant association")
    INTERNATIONAL = "international", _("International organisation")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    jurisdiction_areas = models.ManyToManyField(
        "geo.AdminArea", blank=True, related_name="+", verbose_name=_("jurisdiction (admin areas)")
    )
    jurisdiction_countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("jurisdiction (countries)")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    # Its own branding, shown to its staff and on public pages it publishes; an organisation
    # without it shows its parent's (core.branding). Colours left empty are the deployment's.
    brand_name = models.CharField(
        _("name shown in the header"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty (and the logo too) to show the parent organisation's branding."),
    )
    brand_logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    brand_primary_colour = models.CharField(
        _("primary colour"), max_length=7, blank=True, validators=[colour_validator]
    )
    brand_accent_colour = models.CharField(
        _("accent colour"), max_length=7, blank=True, validators=[colour_validator]
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be its own ancestor.")})
            ancestor = ancestor.parent


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    OFFICER = "officer", _("Officer")
    PARTNER = "partner", _("Partner")
    TRAINER = "trainer", _("Trainer")
    VIEWER = "viewer", _("Viewer")


class Scope(models.TextChoices):
    OWN = "own", _("Own organisation")
    CHILDREN = "children", _("Organisation and its children")
    DEPLOYMENT = "deployment", _("Whole deployment")


class Area(models.TextChoices):
    """Parts of the product that permissions are granted on."""

    CONTACTS = "contacts", _("Key contacts")
    COMMUNITIES = "communities", _("Community profiles")
    INTERPRETERS = "interpreters", _("Interpreters and translators")
    ORGANISATIONS = "organisations", _("Organisations and staff")
    AUDIT = "audit", _("Audit log")
    SETTINGS = "settings", _("Deployment settings")
    NATIONALS = "nationals", _("Nationals abroad")
    CRISES = "crises", _("Crises and check-ins")
    CASES = "cases", _("Assistance cases")
    ADVICE = "advice", _("Travel advice")
    ALERTS = "alerts", _("Alerts")
    MESSAGING = "messaging", _("Messaging")
    PLANS = "plans", _("Plans and checklists")
    TRAINING = "training", _("Capacity building")
    LEARNING = "learning", _("eLearning")
    RISK = "risk", _("Risk analysis")


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CHANGE = "change", _("Change")
    EXPORT = "export", _("Export")
    PERSONAL = "personal", _("See personal data")


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.OWN)
    # The shipped languages: a language a deployment adds must not change the model (and ask for a migration).
    language = models.CharField(_("language"), max_length=8, choices=settings.BASE_LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"


class RolePermission(models.Model):
    """One cell of the deployment's role matrix: may ``role`` do ``action`` on ``area``."""

    role = models.CharField(max_length=20, choices=Role.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    action = models.CharField(max_length=20, choices=Action.choices)
    allowed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "area", "action"], name="unique_role_area_action")
        ]
        verbose_name = _("role permission")
        verbose_name_plural = _("role permissions")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    VIEW = "view", _("View personal data")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOGOUT = "logout", _("Log out")
    SECOND_FACTOR = "second_factor", _("Second factor")
    SETTINGS = "settings", _("Settings change")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Append-only: database triggers refuse UPDATE and DELETE (see migrations)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=20, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class Stream(models.TextChoices):
    HOST = "host", _("Host country: emergency management that includes migrants")
    HOME = "home", _("Home country: protecting nationals abroad")
    BOTH = "both", _("Both")


def default_languages():
    return [code for code, _name in settings.LANGUAGES]


class Branding(models.Model):
    """The deployment's name, logo, colours, streams and languages (one row)."""

    product_name = models.CharField(_("product name"), max_length=80, default="Lifeline")
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#0b5394", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b45309", validators=[colour_validator]
    )
    streams = models.CharField(
        _("streams enabled"), max_length=8, choices=Stream.choices, default=Stream.BOTH
    )
    languages = models.JSONField(_("languages offered"), default=default_languages)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")

    def __str__(self):
        return self.product_name

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw):
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name, days=None):
        """Create a token and return (token, raw secret); the secret is shown once."""
        raw = "ll_" + secrets.token_urlsafe(32)
        days = days or settings.API_TOKEN_DAYS
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[3:11],
            digest=cls.hash(raw),
            expires=timezone.now() + timezone.timedelta(days=days),
        )
        return token, raw
