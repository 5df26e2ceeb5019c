from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifeline.communities.models import PERCENT_FIELDS, PERCENT_RANGE, CommunityProfile, Sector, Vulnerability
from lifeline.core.forms import LanguageCodesField, offer_organisations
from lifeline.directory.models import KeyContact
from lifeline.geo.models import AdminArea, Country


def find_country(code):
    code = code.strip().upper()
    return Country.objects.filter(Q(code=code) | Q(iso3=code)).first() if code else None


class CountryCodesField(forms.CharField):
    """ISO 3166 codes separated by commas or semicolons → list of Country objects."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("ISO 3166 country codes separated by commas, for example: PH, NP, LK.")
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            return ", ".join(getattr(c, "code", str(c)) for c in items)
        return value

    def clean(self, value):
        value = super().clean(value)
        found, unknown = [], []
        for code in [c for c in value.replace(";", ",").split(",") if c.strip()]:
            country = find_country(code)
            if country is None:
                unknown.append(code.strip())
            elif country not in found:
                found.append(country)
        if unknown:
            raise forms.ValidationError(
                [_("“%(code)s” is not an ISO 3166 country code.") % {"code": code} for code in unknown]
            )
        return found


class SortedMultipleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        return sorted(set(super().clean(value)))


class CommunityProfileForm(forms.ModelForm):
    origin_countries = CountryCodesField(label=_("Origin"))
    languages = LanguageCodesField(label=_("Languages spoken"))
    sectors = SortedMultipleChoiceField(label=_("Sectors of work"), choices=Sector.choices, required=False)
    vulnerabilities = SortedMultipleChoiceField(
        label=_("Vulnerability factors"),
        choices=Vulnerability.choices,
        required=False,
        help_text=_("For the group as a whole. Never record one person's immigration status."),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("Kept with this version of the profile."),
    )

    class Meta:
        model = CommunityProfile
        fields = [
            "organisation",
            "name",
            "origin_countries",
            "ethnicity",
            "languages",
            "literacy_rate",
            "literacy_notes",
            "estimated_size",
            "size_source",
            "size_date",
            "female_pct",
            "children_pct",
            "elderly_pct",
            "areas",
            "locations_note",
            "sectors",
            "housing",
            "vulnerabilities",
            "vulnerability_notes",
            "networks",
            "focal_points",
            "reached_by",
            "trusted_channels",
            "media",
            "phone_use_pct",
            "smartphone_pct",
            "apps",
            "religious_needs",
            "dietary_needs",
            "cultural_needs",
            "fear_of_enforcement",
            "past_emergency_experience",
            "consular_presence",
        ]
        widgets = {
            "size_date": forms.DateInput(attrs={"type": "date"}),
            "areas": forms.CheckboxSelectMultiple,
            "vulnerability_notes": forms.Textarea(attrs={"rows": 3}),
            "networks": forms.Textarea(attrs={"rows": 3}),
            "past_emergency_experience": forms.Textarea(attrs={"rows": 3}),
            **{
                name: forms.NumberInput(attrs={"min": PERCENT_RANGE[0], "max": PERCENT_RANGE[1]})
                for name in PERCENT_FIELDS
            },
        }

    def __init__(self, *args, organisations, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Kept by"))
        self.fields["areas"].queryset = AdminArea.objects.order_by("name")
        # Contacts the user can see, plus those already linked (so that saving never drops a link silently).
        contacts = KeyContact.objects.for_user(user)
        if self.instance.pk:
            linked = Q(focal_point_of=self.instance) | Q(communities_reached=self.instance)
            contacts = KeyContact.objects.filter(Q(pk__in=contacts.values("pk")) | linked).distinct()
        self.fields["focal_points"].queryset = contacts.order_by("name")
        self.fields["reached_by"].queryset = contacts.order_by("name")


class CommunityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=AdminArea.objects.order_by("name"), empty_label=_("Any")
    )
    language = forms.CharField(label=_("Language code"), required=False)
    origin = forms.CharField(label=_("Origin country code"), required=False)
    no_focal_point = forms.BooleanField(label=_("No focal point only"), required=False)

    def clean_origin(self):
        code = self.cleaned_data["origin"]
        country = find_country(code)
        if code and country is None:
            raise forms.ValidationError(_("“%(code)s” is not an ISO 3166 country code.") % {"code": code})
        return country
