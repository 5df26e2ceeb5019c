from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from lifeline.core.images import ImageRefused, clean_image
from lifeline.core.models import (
    Action,
    Area,
    AuditAction,
    Branding,
    Organisation,
    Role,
    RolePermission,
    Scope,
)


def offer_organisations(field, organisations, label=None):
    """Limit an organisation field to those the user may write to; preselect the only one."""
    field.queryset = organisations
    if label:
        field.label = label
    if organisations.count() == 1:
        field.initial = organisations.first()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"), help_text=_("First row: column names. An HXL hashtag row may follow.")
    )
    organisation = forms.ModelChoiceField(queryset=None, label=_("Import into"))
    dry_run = forms.BooleanField(label=_("Dry run: show what would change, write nothing"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB."),
                params={"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


class LanguageCodesField(forms.CharField):
    """ISO 639 codes separated by commas or semicolons → list of Language objects."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("ISO 639 codes separated by commas, for example: ar, fil, ur."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            return ", ".join(getattr(v, "code", str(v)) for v in items)
        return value

    def clean(self, value):
        from django.core.exceptions import ValidationError

        from lifeline.core.models import Language

        value = super().clean(value)
        codes = [c.strip() for c in value.replace(";", ",").split(",") if c.strip()]
        languages, errors = [], []
        for code in codes:
            try:
                languages.append(Language.lookup(code))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return languages


class OtpVerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class OtpSetupForm(forms.Form):
    token = forms.CharField(
        label=_("The 6-digit code your app shows"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What will use it, for example: the ministry's app."),
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + AuditAction.choices
    )
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, entries):
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_name__icontains=data["actor"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["object_type"]:
            entries = entries.filter(object_type__icontains=data["object_type"])
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
        return entries


LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 1024


class BrandingForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Branding
        fields = [
            "product_name",
            "owner_name",
            "logo",
            "primary_colour",
            "accent_colour",
            "streams",
            "languages",
        ]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and "logo" in self.changed_data:
            if logo.size > LOGO_MAX_BYTES:
                raise forms.ValidationError(_("The logo must be smaller than 512 KB."))
            try:
                data, fmt = clean_image(
                    logo,
                    LOGO_MAX_BYTES,
                    max_side=LOGO_MAX_SIDE,
                    not_image=_("The logo must be a PNG or JPEG image."),
                )
            except ImageRefused as exc:
                raise forms.ValidationError(str(exc)) from None
            # Stored as the cleaned copy, under a name of our choosing, so it is always served
            # as the image it is.
            return ContentFile(data, name=f"logo.{'png' if fmt == 'PNG' else 'jpg'}")
        return logo


class RoleMatrixForm(forms.Form):
    """One checkbox per role × area × action; personal data can never go to a role without view."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {(p.role, p.area, p.action): p.allowed for p in RolePermission.objects.all()}
        self.rows = []
        for role, role_label in Role.choices:
            for area, area_label in Area.choices:
                cells = []
                for action, action_label in Action.choices:
                    name = f"{role}__{area}__{action}"
                    self.fields[name] = forms.BooleanField(
                        required=False,
                        initial=current.get((role, area, action), False),
                        label=f"{role_label}: {area_label}: {action_label}",
                    )
                    cells.append(self[name])
                self.rows.append((role_label, area_label, cells))

    def clean(self):
        data = super().clean()
        for role in Role.values:
            if role == "administrator" and not data.get(f"{role}__settings__change"):
                raise forms.ValidationError(_("Administrators must keep the right to change settings."))
            for area in Area.values:
                others = [data.get(f"{role}__{area}__{a}") for a in Action.values if a != Action.VIEW]
                if any(others) and not data.get(f"{role}__{area}__view"):
                    raise forms.ValidationError(
                        _("A role must be able to view an area before it can do anything else there.")
                    )
        return data

    def save(self):
        changed = []
        for permission in RolePermission.objects.all():
            allowed = bool(
                self.cleaned_data.get(f"{permission.role}__{permission.area}__{permission.action}")
            )
            if permission.allowed != allowed:
                permission.allowed = allowed
                permission.save(update_fields=["allowed"])
                changed.append(f"{permission.role}.{permission.area}.{permission.action}")
        return changed


SCOPE_RANK = {"own": 0, "children": 1, "deployment": 2}


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "country",
            "parent",
            "jurisdiction_areas",
            "jurisdiction_countries",
            "email",
            "phone",
            "address",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisations, may_set_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            organisations.exclude(pk=self.instance.pk) if self.instance.pk else organisations
        )
        if self.instance.pk and not may_set_kind:
            # The type decides what an organisation may see (an immigration authority never sees
            # personal data), so only a superuser changes it once the organisation exists.
            self.fields["kind"].disabled = True
        self.fields["jurisdiction_areas"].required = False
        self.fields["jurisdiction_countries"].required = False
        self.fields["jurisdiction_countries"].help_text = _("For a consular post: the countries it covers.")

    def clean(self):
        data = super().clean()
        self.instance.parent = data.get("parent")
        if self.instance.pk:
            self.instance.clean()
        return data


class StaffForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope = forms.ChoiceField(label=_("Scope"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisations, max_scope, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = organisations
        self.fields["scope"].choices = [
            (v, l) for v, l in Scope.choices if SCOPE_RANK[v] <= SCOPE_RANK[max_scope]
        ]
        if user is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"]
        taken = get_user_model().objects.filter(username__iexact=username)
        if self.user is not None:
            taken = taken.exclude(pk=self.user.pk)
        if taken.exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username
