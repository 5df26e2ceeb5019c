from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lifeline.core import defaults
from lifeline.core.forms import LanguageCodesField, LanguageField, offer_organisations
from lifeline.core.versions import VersionedForm
from lifeline.directory import services
from lifeline.directory.models import ContactCategory, KeyContact, TrustLevel
from lifeline.directory.tabular import normalise_channel
from lifeline.geo.models import AdminArea


class ChannelsField(forms.CharField):
    """Channels one per line; phone numbers international or local to ``region`` (an ISO 3166
    code, or a callable giving one when the field is cleaned)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, region=None, **kwargs):
        self.region = region
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("One per line as type:value, for example phone:+962790123456 or email:name@example.org."),
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{c['type']}:{c['value']}" for c in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        region = self.region() if callable(self.region) else self.region
        channels, errors = [], []
        for line in value.splitlines():
            if not line.strip():
                continue
            kind, sep, rest = line.partition(":")
            if not sep:
                errors.append(_("“%(line)s”: write type:value.") % {"line": line.strip()})
                continue
            try:
                channels.append(
                    {
                        "type": kind.strip().lower(),
                        "value": normalise_channel(kind.strip().lower(), rest, region),
                    }
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return channels


class KeyContactForm(VersionedForm, forms.ModelForm):
    languages = LanguageCodesField(label=_("Languages"))
    channels = ChannelsField(label=_("Contact channels"))

    class Meta:
        model = KeyContact
        fields = list(services.FIELDS)  # what the write service takes: one list
        widgets = {
            "last_verified": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "coverage_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Kept by"))
        # A number typed as dialled locally is read in the country of the organisation keeping the contact.
        self.fields["channels"].region = self._phone_region
        self.fields["coverage_areas"].queryset = AdminArea.objects.order_by("name")
        self.fields["coverage_areas"].required = False

    def _phone_region(self):
        organisation = getattr(self, "cleaned_data", {}).get("organisation") or (
            self.instance.organisation if self.instance.organisation_id else None
        )
        return defaults.phone_region(organisation=organisation)


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any"))] + ContactCategory.choices
    )
    language = LanguageField(label=_("Language"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=AdminArea.objects.order_by("name"), empty_label=_("Any")
    )
    trust = forms.ChoiceField(
        label=_("Trust level"), required=False, choices=[("", _("Any"))] + TrustLevel.choices
    )
    h24 = forms.BooleanField(label=_("Reachable 24/7 only"), required=False)
    stale = forms.BooleanField(label=_("Needs re-verification only"), required=False)
