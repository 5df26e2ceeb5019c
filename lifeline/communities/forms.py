from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifeline.communities import services
from lifeline.communities.models import PERCENT_FIELDS, PERCENT_RANGE, CommunityProfile, Sector, Vulnerability
from lifeline.core.forms import CountryField, LanguageCodesField, LanguageField, offer_organisations
from lifeline.core.versions import VersionedForm
from lifeline.directory.models import KeyContact
from lifeline.geo.models import AdminArea


class SortedMultipleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        return sorted(set(super().clean(value)))


class CommunityProfileForm(VersionedForm, forms.ModelForm):
    origin_countries = CountryField(label=_("Origin"), multiple=True, model=True, required=False)
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
        fields = list(services.FIELDS)  # what the write service takes: one list
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
    language = LanguageField(label=_("Language"), required=False)
    origin = CountryField(label=_("Origin"), model=True, required=False)
    no_focal_point = forms.BooleanField(label=_("No focal point only"), required=False)
