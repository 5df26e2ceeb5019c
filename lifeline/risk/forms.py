from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import CountryField, LanguageField
from lifeline.risk.models import OfficialStatus


class OriginLanguageForm(forms.Form):
    country = CountryField(label=_("Country of origin"))
    language = LanguageField(label=_("Language"))
    share = forms.DecimalField(
        label=_("Share of the population (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    status = forms.ChoiceField(label=_("Official status"), choices=OfficialStatus.choices, required=False)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Where this comes from: a census, a survey, the community itself."),
    )


class CountryFilterForm(forms.Form):
    country = CountryField(label=_("Country"), required=False)
