from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lifeline.core import defaults
from lifeline.core.forms import LanguageField, offer_countries, offer_organisations
from lifeline.core.names import language_name
from lifeline.core.versions import VersionedForm
from lifeline.geo.models import AdminArea, Country
from lifeline.interpreters.forms import MessagingField
from lifeline.interpreters.tabular import normalise_phone
from lifeline.nationals import services
from lifeline.nationals.models import (
    HouseholdMember,
    PostDetails,
    Purpose,
    Registration,
    Source,
    SpecialNeed,
    StayType,
    coarse_point,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_ASSISTANCE = services.NO_ASSISTANCE


def any_of(choices):
    return [("", _("Any"))] + list(choices)


class PhoneField(forms.CharField):
    """A phone number → E.164: international, or local to ``region`` (an ISO 3166 code, or a
    callable giving one when the field is cleaned: the region may depend on another field)."""

    def __init__(self, *args, region=None, **kwargs):
        self.region = region
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "dir": "ltr"})
        )
        kwargs.setdefault(
            "help_text", _("International format (+639171234567), or as dialled in the post's country.")
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        region = self.region() if callable(self.region) else self.region
        return normalise_phone(super().clean(value), region)


class PointField(forms.CharField):
    """An optional map point written "lat,lon"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}))
        kwargs.setdefault("help_text", _("Latitude,longitude in decimal degrees, for example 31.95,35.91."))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = "".join(str(super().clean(value) or "").split())
        if not value:
            return ""
        if coarse_point(value) == (None, None):
            raise ValidationError(_("Write the point as latitude,longitude, for example 31.95,35.91."))
        lat, lon = (float(part) for part in value.split(","))
        return f"{lat:.6f},{lon:.6f}"


def area_choices(empty_label="---------"):
    """Admin areas grouped by country, so that the list shows which belong to the country of stay."""
    groups = {}
    for area in AdminArea.objects.select_related("country").order_by("country__code", "name"):
        groups.setdefault(area.country.name, []).append((area.pk, area.shown_name))
    return [("", empty_label)] + sorted(groups.items())


class RegistrationForm(VersionedForm, forms.ModelForm):
    """The registration, as staff record it; the app's self-registration uses it too (``staff=False``)."""

    organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Responsible post"),
        help_text=_("Leave empty to assign the post whose jurisdiction covers the place of stay."),
        empty_label=_("Assign automatically"),
    )
    phone = PhoneField(label=_("Phone"))
    email = forms.EmailField(label=_("Email"), required=False)
    messaging = MessagingField(label=_("Messaging handles"))
    languages = LanguageField(label=_("Preferred languages"), multiple=True, max_items=10, required=False)
    location = PointField(label=_("Map point"))
    special_needs = forms.MultipleChoiceField(
        label=_("Special needs"),
        choices=SpecialNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("Emergency contact: name"), required=False, max_length=200)
    contact_relation = forms.CharField(label=_("Emergency contact: relation"), required=False, max_length=80)
    contact_phone = PhoneField(label=_("Emergency contact: phone"))
    contact_email = forms.EmailField(label=_("Emergency contact: email"), required=False)
    consents = forms.MultipleChoiceField(
        label=_("Consent given for"),
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Read each purpose to the person in their language. Consular assistance is required."),
    )

    class Meta:
        model = Registration
        fields = [
            "organisation",
            "source",
            "kind",
            "given_names",
            "family_name",
            "date_of_birth",
            "sex",
            "nationality",
            "document_type",
            "document_number",
            "document_status",
            "phone",
            "email",
            "messaging",
            "languages",
            "country",
            "area",
            "city",
            "address",
            "location",
            "stay_type",
            "arrival",
            "departure",
            "review_date",
            "employer",
            "recruiter",
            "special_needs",
            "needs_details",
        ]
        widgets = {
            "date_of_birth": DATE,
            "arrival": DATE,
            "departure": DATE,
            "review_date": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "needs_details": forms.Textarea(attrs={"rows": 2}),
            "document_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, organisations=None, staff=True, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.user = user
        if staff:
            offer_organisations(self.fields["organisation"], organisations, _("Responsible post"))
            self.fields["organisation"].initial = defaults.post(user, organisations)
            self.fields["source"].choices = [
                (k, v) for k, v in Source.choices if k in (Source.WALK_IN, Source.PHONE, Source.IMPORT)
            ] + (
                [(self.instance.source, self.instance.get_source_display())]
                if self.instance.pk
                and self.instance.source not in (Source.WALK_IN, Source.PHONE, Source.IMPORT)
                else []
            )
        else:
            for name in ("organisation", "source", "kind"):
                del self.fields[name]
        offer_countries(self.fields["nationality"])
        offer_countries(self.fields["country"])
        if not self.instance.pk:
            nationality = defaults.nationality(user)
            post = self.fields["organisation"].initial if staff else None
            residence = defaults.residence_country(post) or (
                defaults.only_country(organisations) if staff else None
            )
            self.fields["nationality"].initial = nationality.pk if nationality else None
            self.fields["country"].initial = residence.pk if residence else None
        # A number typed as dialled locally is read in the responsible post's country (else the user's).
        for name in ("phone", "contact_phone"):
            self.fields[name].region = self._phone_region
        self.fields["area"].queryset = AdminArea.objects.all()
        self.fields["area"].choices = area_choices()
        self.fields["area"].help_text = _("Must be in the country of stay.")
        contact = self.instance.emergency_contact or {}
        for key in ("name", "relation", "phone", "email"):
            self.initial.setdefault(f"contact_{key}", contact.get(key, ""))
        if self.instance.pk:
            self.initial.setdefault(
                "consents",
                list(self.instance.consents.filter(granted=True).values_list("purpose", flat=True)),
            )
        else:
            self.initial.setdefault("consents", [Purpose.ASSISTANCE])

    def _phone_region(self):
        organisation = getattr(self, "cleaned_data", {}).get("organisation") or (
            self.instance.organisation if self.instance.organisation_id else None
        )
        country = None
        if organisation is None and self.is_bound:  # the post will be the one covering the place of stay
            try:
                country = self.fields["country"].clean(self.data.get(self.add_prefix("country")))
            except ValidationError:
                country = None
        return defaults.phone_region(self.user, organisation, country)

    def clean(self):
        data = super().clean()
        data["emergency_contact"] = {
            key: data.get(f"contact_{key}")
            for key in ("name", "relation", "phone", "email")
            if data.get(f"contact_{key}")
        }
        data["special_needs"] = sorted(set(data.get("special_needs") or []))
        # The rules live in the service that saves; the page shows what it says next to each field.
        for field, messages in services.registration_errors(data, data.get("consents", [])).items():
            if field in self.fields and field in data:
                for message in messages:
                    self.add_error(field, message)
        return data

    def values(self):
        """The registration's plain values, for ``services.register`` / ``update_registration``."""
        data = self.cleaned_data
        names = [n for n in self._meta.fields if n in self.fields and n != "organisation"]
        values = {name: data.get(name) for name in names}
        values["emergency_contact"] = data["emergency_contact"]
        if self.staff:
            values["organisation"] = data.get("organisation")
        return values

    def save(self, commit=True):
        self.instance.emergency_contact = self.cleaned_data["emergency_contact"]
        return super().save(commit=commit)


class MemberForm(forms.ModelForm):
    special_needs = forms.MultipleChoiceField(
        label=_("Special needs"),
        choices=SpecialNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HouseholdMember
        fields = [
            "name",
            "relation",
            "date_of_birth",
            "sex",
            "document_number",
            "document_status",
            "unaccompanied",
            "special_needs",
        ]
        widgets = {"date_of_birth": DATE, "document_number": forms.TextInput(attrs={"autocomplete": "off"})}

    def clean(self):
        data = super().clean()
        for field, messages in services.member_errors(data).items():
            for message in messages:
                self.add_error(field, message)
        return data


MemberFormSet = forms.inlineformset_factory(
    Registration, HouseholdMember, form=MemberForm, extra=2, can_delete=True, max_num=30
)


def household_rows(formset):
    """The household a valid formset describes, as plain rows (``id`` for those already stored)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue  # an empty extra row
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            continue
        row = {name: form.cleaned_data.get(name) for name in MemberForm._meta.fields}
        if form.instance.pk:
            row["id"] = form.instance.pk
        rows.append(row)
    return rows


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    post = forms.ModelChoiceField(label=_("Post"), required=False, queryset=None, empty_label=_("Any"))
    country = forms.ModelChoiceField(
        label=_("Country"), required=False, queryset=Country.objects.none(), empty_label=_("Any")
    )
    area = forms.ModelChoiceField(
        label=_("Admin area"),
        required=False,
        queryset=AdminArea.objects.order_by("name"),
        empty_label=_("Any"),
    )
    stay_type = forms.ChoiceField(label=_("Stay"), required=False, choices=any_of(StayType.choices))
    language = LanguageField(label=_("Language"), required=False)
    need = forms.ChoiceField(label=_("Special need"), required=False, choices=any_of(SpecialNeed.choices))
    expiring = forms.BooleanField(label=_("Expiring soon only"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = organisations
        offer_countries(self.fields["country"])
        self.fields["area"].choices = area_choices(_("Any"))


class PostDetailsForm(VersionedForm, forms.ModelForm):
    emergency_phone = PhoneField(label=_("Emergency phone"))

    class Meta:
        model = PostDetails
        fields = ["emergency_phone", "latitude", "longitude", "public_notes"]
        widgets = {"public_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hours = self.instance.office_hours or {}
        for code, _name in settings.LANGUAGES:
            name = f"hours_{code}"
            self.fields[name] = forms.CharField(
                label=_("Office hours (%(language)s)") % {"language": language_name(code)},
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(name, hours.get(code, ""))
        self.fields["latitude"].widget.attrs.update(step="any", min=-90, max=90)
        self.fields["longitude"].widget.attrs.update(step="any", min=-180, max=180)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if lat is not None and not (-90 <= lat <= 90):
            self.add_error("latitude", _("Latitude is between -90 and 90."))
        if lon is not None and not (-180 <= lon <= 180):
            self.add_error("longitude", _("Longitude is between -180 and 180."))
        return data

    def save(self, commit=True):
        self.instance.office_hours = {
            code: self.cleaned_data[f"hours_{code}"].strip()
            for code, _name in settings.LANGUAGES
            if self.cleaned_data[f"hours_{code}"].strip()
        }
        return super().save(commit=commit)
