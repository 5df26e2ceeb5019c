import re

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.forms.models import ModelChoiceIterator
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
from lifeline.core.names import (
    country_label,
    country_name,
    country_options,
    find_country,
    find_language,
    language_label,
    language_options,
)
from lifeline.core.versions import VersionedForm


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


def listed(formset, fields):
    """What a page's formset lists, for a write service: the forms kept (stored ones not deleted,
    new ones with something written in them), and each one's values of ``fields``, in that order."""
    kept = [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None)
        and not form.cleaned_data.get("DELETE")
        and (form.instance.pk is not None or form.has_changed())
    ]
    return kept, [{name: form.cleaned_data.get(name) for name in fields} for form in kept]


NESTED_KEY = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")


def show_invalid(errors, form, nested=None, parts=None):
    """Put a write service's refusal (``core.errors.Invalid``'s {field: [messages]}) beside the
    page's fields: on ``form``; for a nested list (``nested``: {name: (formset, forms)}, the forms
    in the order of the list given to the service), ``name[i].field`` beside that field of the
    i-th form, ``name[i]`` above it and ``name`` above the formset; for a part of the page with a
    form of its own (``parts``: {name: form}), ``name.field`` and ``name``. What names nothing on
    the page goes above the form. A field that already shows an error (the page's own reading of
    it) keeps that one alone; a message already above a form is not repeated."""
    nested, parts = nested or {}, parts or {}
    for key, messages in errors.items():
        match = NESTED_KEY.match(key)
        head, _dot, rest = key.partition(".")
        if match and match.group(1) in nested:
            _formset, forms_ = nested[match.group(1)]
            target, field = forms_[int(match.group(2))], match.group(3)
        elif key in nested:
            nested[key][0].non_form_errors().extend(messages)
            continue
        elif head in parts:
            target, field = parts[head], rest or None
        else:
            target, field = form, key
        field = field if field in target.fields else None
        if field is not None and field in target.errors:
            continue
        for message in messages:
            if field is not None or message not in target.non_field_errors():
                target.add_error(field, message)


def split_entries(text):
    """What a person typed into a picker for several values → the entries, in order.

    Entries are separated by semicolons or new lines (names may contain commas, e.g.
    "Congo, the Democratic Republic of the"); a text without either is split on commas."""
    text = str(text or "")
    parts = re.split(r"[;\n]", text) if re.search(r"[;\n]", text) else text.split(",")
    return [part.strip() for part in parts if part.strip()]


def deployment_country_codes():
    """The countries this deployment works in (``core/defaults``)."""
    from lifeline.core import defaults

    return defaults.deployment_country_codes()


class PickerInput(forms.TextInput):
    """A text box with a list of names to pick from, searchable by typing (an HTML datalist).

    Works without JavaScript; ``lifeline/picker.js`` lets a box that takes several values
    suggest the next one after a semicolon."""

    template_name = "core/widgets/picker.html"

    def __init__(self, options, multiple=False, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.options = options
        self.multiple = multiple

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["list_id"] = f"{widget['attrs'].get('id') or name}-options"
        widget["multiple"] = self.multiple
        widget["options"] = self.options()
        return context


class _PickerField(forms.CharField):
    """Shared by the language and country pickers: one value or several, parsed by ``find``."""

    multiple_help = _("Type to search; separate several with a semicolon.")

    def __init__(self, *args, multiple=False, model=False, max_items=None, **kwargs):
        self.multiple, self.model, self.max_items = multiple, model, max_items
        kwargs.setdefault("widget", PickerInput(self.options, multiple=multiple))
        kwargs.setdefault("max_length", 2000 if multiple else 200)
        if multiple:
            kwargs.setdefault("help_text", self.multiple_help)
        super().__init__(*args, **kwargs)

    def _label_of(self, item):
        code = getattr(item, "code", item)
        return self.label_of(code) if code else ""

    def prepare_value(self, value):
        if hasattr(value, "all"):
            value = list(value.all())
        if isinstance(value, (list, tuple)):
            return "; ".join(self._label_of(item) for item in value)
        if isinstance(value, str) and value and not self.multiple:
            code = self.find(value)  # what the person typed, shown back as it was understood
            return self.label_of(code) if code else value
        if value and not isinstance(value, str):
            return self._label_of(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        entries = split_entries(text) if self.multiple else ([text.strip()] if text.strip() else [])
        codes, unknown = [], []
        for entry in entries:
            code = self.find(entry)
            if code is None:
                unknown.append(entry)
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise forms.ValidationError([self.unknown_message % {"value": entry} for entry in unknown])
        if self.max_items:
            codes = codes[: self.max_items]
        if self.model:
            codes = [self.to_object(code) for code in codes]
        if self.multiple:
            return codes
        return codes[0] if codes else (None if self.model else "")


class LanguageField(_PickerField):
    """A language, or several (most preferred first), picked by name in the reader's language.

    Accepts "Tagalog", "Sudanese Arabic", "árabe", "tl" or "apd"; returns normalised codes
    (``tl`` → ``fil``), or ``Language`` rows with ``model=True``."""

    unknown_message = _(
        "“%(value)s” is not a language we know. Type its name, for example Tagalog, or its code, tl."
    )

    @staticmethod
    def find(text):
        return find_language(text)

    @staticmethod
    def label_of(code):
        return language_label(code)

    @staticmethod
    def options():
        return [(label, label) for label in (language_label(code) for _name, code in language_options())]

    @staticmethod
    def to_object(code):
        from lifeline.core.models import Language

        return Language.objects.get_or_create(code=code)[0]


class CountryField(_PickerField):
    """A country, or several, picked by name in the reader's language (or by ISO 3166 code),
    with the deployment's own countries offered first. ``model=True`` returns ``Country`` rows."""

    unknown_message = _(
        "“%(value)s” is not a country we know. Type its name or its code, for example Jordan or JO."
    )

    @staticmethod
    def find(text):
        return find_country(text)

    @staticmethod
    def label_of(code):
        return country_label(code)

    @staticmethod
    def options():
        return [
            (country_label(code), country_label(code))
            for _name, code in country_options(first=deployment_country_codes())
        ]

    @staticmethod
    def to_object(code):
        from lifeline.geo.models import Country

        country = Country.objects.filter(code=code).first()
        if country is None:
            raise forms.ValidationError(
                _("%(country)s is not set up in this deployment."), params={"country": country_name(code)}
            )
        return country


class CountryChoiceIterator(ModelChoiceIterator):
    """Countries sorted by their name in the reader's language, the deployment's own first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        first = deployment_country_codes()
        countries = sorted(self.queryset, key=lambda c: (c.code not in first, c.name.casefold()))
        for country in countries:
            yield self.choice(country)


def offer_countries(field, queryset=None, preselect=False, organisations=None):
    """Make a country choice field list countries by name in the reader's language, own first.

    ``preselect``: when ``organisations`` (else the deployment) work in one country only, it is
    chosen already (``core/defaults.only_country``)."""
    from lifeline.core import defaults
    from lifeline.geo.models import Country

    field.iterator = CountryChoiceIterator
    field.queryset = Country.objects.all() if queryset is None else queryset
    if preselect and not field.initial:
        only = defaults.only_country(organisations, field.queryset)
        if only is not None:
            multiple = isinstance(field, forms.ModelMultipleChoiceField)
            field.initial = [only.pk] if multiple else only.pk


class CountryChoiceField(forms.ModelChoiceField):
    iterator = CountryChoiceIterator


class CountryMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = CountryChoiceIterator


class LanguageCodesField(LanguageField):
    """Several languages → ``Language`` rows (the registries' language lists)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, multiple=True, model=True, **kwargs)


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


class BrandingForm(VersionedForm, forms.ModelForm):
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
        return clean_logo(self, "logo")


def clean_logo(form, name):
    """A logo uploaded to ``form``'s field ``name``, kept as a cleaned PNG or JPEG copy."""
    logo = form.cleaned_data.get(name)
    if logo and hasattr(logo, "size") and name in form.changed_data:
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


class OrganisationForm(VersionedForm, forms.ModelForm):
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
            "brand_name",
            "brand_logo",
            "brand_primary_colour",
            "brand_accent_colour",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            # Plain text, not a colour picker: a picker always sends a colour, and empty means the parent's.
            "brand_primary_colour": forms.TextInput(attrs={"placeholder": "#0b5394"}),
            "brand_accent_colour": forms.TextInput(attrs={"placeholder": "#b45309"}),
        }

    def __init__(self, *args, organisations, may_set_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            organisations.exclude(pk=self.instance.pk) if self.instance.pk else organisations
        )
        if self.instance.pk and not may_set_kind:
            # The type decides what an organisation may see (an immigration authority never sees
            # personal data), so only a superuser changes it once the organisation exists.
            self.fields["kind"].disabled = True
        offer_countries(self.fields["country"], preselect=True)
        offer_countries(self.fields["jurisdiction_countries"])
        self.fields["jurisdiction_areas"].required = False
        self.fields["jurisdiction_countries"].required = False
        self.fields["jurisdiction_countries"].help_text = _("For a consular post: the countries it covers.")

    def clean_brand_logo(self):
        return clean_logo(self, "brand_logo")

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
