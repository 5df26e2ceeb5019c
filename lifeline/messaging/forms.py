from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import CountryField, LanguageField
from lifeline.core.phones import default_region, to_e164
from lifeline.geo.forms import AdminAreaField
from lifeline.geo.models import AdminArea
from lifeline.messaging.models import ChannelName

AUDIENCE_KINDS = [
    ("subscribers", _("Alert subscribers")),
    ("nationals", _("Registered nationals")),
    ("contacts", _("Key contacts and focal points")),
    ("interpreters", _("Interpreters")),
    ("staff", _("Staff")),
]
CHANNEL_CHOICES = [("", _("(none)"))] + list(ChannelName.choices)


class SendForm(forms.Form):
    name = forms.CharField(label=_("Name of the send"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Sent by"), queryset=None)
    kind = forms.ChoiceField(label=_("Audience"), choices=AUDIENCE_KINDS)
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=AdminArea.objects.order_by("pcode"),
        required=False,
        help_text=_("Leave empty for all areas. Used for subscribers, nationals and key contacts."),
    )
    countries = CountryField(
        label=_("Countries of stay"),
        multiple=True,
        required=False,
        help_text=_("Nationals only. Type to search; separate several with a semicolon."),
    )
    channel_1 = forms.ChoiceField(label=_("First channel"), choices=ChannelName.choices)
    channel_2 = forms.ChoiceField(label=_("If that fails"), choices=CHANNEL_CHOICES, required=False)
    channel_3 = forms.ChoiceField(label=_("Then"), choices=CHANNEL_CHOICES, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        data = super().clean()
        order = [data.get(f"channel_{n}") for n in (1, 2, 3)]
        order = [c for c in order if c]
        if len(set(order)) != len(order):
            raise ValidationError(_("Choose each channel once."))
        data["channels"] = order
        return data

    def audience(self):
        data = self.cleaned_data
        definition = {"kind": data["kind"], "organisation_ids": [data["organisation"].pk]}
        if data["kind"] in ("subscribers", "contacts", "nationals"):
            definition["area_ids"] = [a.pk for a in data["areas"]]
        if data["kind"] == "nationals":
            from lifeline.core.permissions import descendants_and_self

            definition["organisation_ids"] = sorted(descendants_and_self(data["organisation"].pk))
            definition["countries"] = data["countries"]
        return definition


class TextForm(forms.Form):
    language = LanguageField(label=_("Language"))
    subject = forms.CharField(label=_("Subject (email)"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    short = forms.CharField(
        label=_("Short text (SMS, push)"),
        max_length=480,
        required=False,
        help_text=_("Leave empty to use the start of the message."),
    )


class BaseTextFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("language")
            if not code:
                continue
            if code in seen:
                raise ValidationError(_("Each language once, please."))
            seen.add(code)
        if not seen:
            raise ValidationError(_("Write the message in at least one language."))

    def texts(self):
        return {
            f.cleaned_data["language"]: {p: f.cleaned_data.get(p, "") for p in ("subject", "body", "short")}
            for f in self.forms
            if f.cleaned_data.get("language")
        }


TextFormSet = formset_factory(TextForm, formset=BaseTextFormSet, extra=3, max_num=20, validate_max=True)


class PlacesForm(forms.Form):
    """Places (areas by name, where I am now, or the whole country) and languages: what the subscribe
    page asks and the "change my places" page edits (``SubscribeForm`` adds the channel and address)."""

    areas = AdminAreaField(
        # Translators: migrants read this
        label=_("Places"),
        multiple=True,
        required=False,
        max_items=20,
        # Translators: migrants read this
        help_text=_(
            "Where you live, work or travel: type a governorate or town, for example Amman. "
            "Separate several with a semicolon."
        ),
    )
    whole_country = forms.BooleanField(
        # Translators: migrants read this
        label=_("Alerts for the whole country"),
        required=False,
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    languages = LanguageField(
        # Translators: migrants read this
        label=_("Languages you read"),
        multiple=True,
        max_items=5,
        # Translators: migrants read this
        help_text=_("Most preferred first. Type to search; separate several with a semicolon."),
    )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            data["lat"] = data["lon"] = None
        data["point"] = (data["lat"], data["lon"]) if data.get("lat") is not None else None
        if "areas" not in self.errors and not (
            data.get("areas") or data.get("whole_country") or data["point"]
        ):
            self.add_error(
                None,
                # Translators: migrants read this
                _("Choose at least one place: an area, where you are now, or the whole country."),
            )
        return data


class SubscribeForm(PlacesForm):
    """A subscription: the places and languages of ``PlacesForm``, and where to send alerts."""

    channel = forms.ChoiceField(
        # Translators: migrants read this
        label=_("Send alerts by"),
        # Translators: migrants read this
        choices=[("sms", _("SMS")), ("email", _("Email"))],
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        # Translators: migrants read this
        label=_("Phone number or email address"),
        max_length=254,
        # Translators: migrants read this
        help_text=_("Phone numbers with the country code, e.g. +962 7 9123 4567."),
    )
    field_order = ["areas", "whole_country", "lat", "lon", "channel", "address", "languages"]

    def clean(self):
        data = super().clean()
        address, channel = (data.get("address") or "").strip(), data.get("channel")
        if channel == "email":
            try:
                validate_email(address)
            except ValidationError:
                # Translators: migrants read this
                self.add_error("address", _("Enter a valid email address."))
        elif channel == "sms":
            try:
                data["address"] = to_e164(address, default_region())
            except ValidationError:
                self.add_error(
                    "address",
                    # Translators: migrants read this
                    _("Enter a phone number with its country code, e.g. +962791234567."),
                )
        return data


class ConfirmForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=12)
