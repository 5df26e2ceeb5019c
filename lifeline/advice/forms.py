from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lifeline.advice.models import AdviceText, AdviceVersion, Briefing, BriefingText, Level, TravelAdvice
from lifeline.advice.services import TEXT_FIELDS
from lifeline.core.forms import LanguageField, offer_countries, offer_organisations
from lifeline.core.versions import VersionedForm
from lifeline.geo.models import AdminArea

# A date box sends and shows ISO dates whatever the page's language (a French "07/12/2026" would come back empty).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceForm(VersionedForm, forms.ModelForm):
    """Organisation, country and optional admin area, shared by advice and briefings."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Kept by"))
        offer_countries(self.fields["country"], preselect=True, organisations=organisations)
        self.fields["area"].queryset = AdminArea.objects.select_related("country").order_by(
            "country__code", "name"
        )

    def clean(self):
        data = super().clean()
        country, area = data.get("country"), data.get("area")
        if country and area and area.country_id != country.pk:
            self.add_error("area", _("This admin area is not in the chosen country."))
        return data


class AdviceForm(PlaceForm):
    """Reads a new advice's place; its rules are ``advice/services.advice_errors``."""

    class Meta:
        model = TravelAdvice
        fields = ["organisation", "country", "area", "region"]


class VersionForm(VersionedForm, forms.ModelForm):
    level = forms.TypedChoiceField(
        label=_("Level"), choices=Level.choices, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = AdviceVersion
        fields = ["level", "summary_confirmed", "last_reviewed", "note"]
        widgets = {"last_reviewed": DATE}


class LanguageTextForm(forms.ModelForm):
    language = LanguageField(label=_("Language"))


class AdviceTextForm(LanguageTextForm):
    class Meta:
        model = AdviceText
        fields = ["language", *TEXT_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in TEXT_FIELDS}


class BaseLanguageFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Texts already saved that this post does not carry (a stale or crafted form) count too.
        carried = {form.instance.pk for form in self.initial_forms if form.instance.pk}
        seen = set()
        if self.instance.pk:
            seen = set(
                self.model.objects.filter(**{self.fk.name: self.instance})
                .exclude(pk__in=carried)
                .values_list("language", flat=True)
            )
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or not form.cleaned_data:
                continue
            language = form.cleaned_data.get("language")
            if language in seen:
                raise ValidationError(_("Each language may be written only once."))
            seen.add(language)


# Each language once, and a summary that fits the level: ``advice/services.draft_errors``.
AdviceTextFormSet = forms.inlineformset_factory(
    AdviceVersion, AdviceText, form=AdviceTextForm, extra=1, can_delete=True
)


class BriefingForm(PlaceForm):
    class Meta:
        model = Briefing
        fields = ["organisation", "country", "area", "last_reviewed", "published"]
        widgets = {"last_reviewed": DATE}


BRIEFING_TEXT_FIELDS = [
    "title",
    "hazards",
    "kit",
    "documents",
    "contacts",
    "plan",
    "during_alerts",
    "emergency_numbers",
]


class BriefingTextForm(LanguageTextForm):
    class Meta:
        model = BriefingText
        fields = ["language", *BRIEFING_TEXT_FIELDS]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name in BRIEFING_TEXT_FIELDS if name != "title"
        }


BriefingTextFormSet = forms.inlineformset_factory(
    Briefing, BriefingText, form=BriefingTextForm, formset=BaseLanguageFormSet, extra=1, can_delete=True
)


class AdviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Country"), required=False, max_length=100)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any"))] + list(Level.choices),
    )


class SubscribeForm(forms.Form):
    # Translators: migrants read this
    email = forms.EmailField(label=_("Email"), max_length=254)
    # Translators: migrants read this
    language = LanguageField(label=_("Language"), initial="en")
