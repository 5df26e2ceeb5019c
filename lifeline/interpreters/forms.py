from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import LanguageField, offer_organisations
from lifeline.core.versions import VersionedForm
from lifeline.directory.forms import ChannelsField
from lifeline.geo.models import AdminArea
from lifeline.interpreters import services
from lifeline.interpreters.models import (
    NO_CONSENT,
    AvailabilityWindow,
    Deployment,
    Engagement,
    Interpreter,
    LanguagePair,
    Modality,
    Specialisation,
    Vetting,
)

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def any_of(choices):
    return [("", _("Any"))] + list(choices)


class MessagingField(ChannelsField):
    """Handles one per line; which of them are messaging apps is the write service's rule."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("One per line as app:handle, for example whatsapp:+962790123456 or telegram:@name."),
        )
        super().__init__(*args, **kwargs)


class InterpreterForm(VersionedForm, forms.ModelForm):
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("International format, for example +962790123456."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    messaging = MessagingField(label=_("Messaging handles"))
    modalities = forms.MultipleChoiceField(
        label=_("Modalities"), choices=Modality.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    specialisations = forms.MultipleChoiceField(
        label=_("Specialisations"),
        choices=Specialisation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Interpreter
        fields = list(services.FIELDS)  # what the write service takes: one list
        widgets = {
            "vetted_on": DATE,
            "code_of_conduct_signed": DATE,
            "consent_date": DATE,
            "last_verified": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Kept by"))
        self.fields["home_area"].queryset = AdminArea.objects.order_by("name")
        consent = self.fields["consent_stored"]
        consent.required = True
        consent.error_messages["required"] = NO_CONSENT
        consent.help_text = _("No consent, no record. Withdrawing consent means deleting the record.")

    def clean_modalities(self):
        return sorted(set(self.cleaned_data["modalities"]))

    def clean_specialisations(self):
        return sorted(set(self.cleaned_data["specialisations"]))


class LanguagePairForm(forms.ModelForm):
    source = LanguageField(label=_("From"), model=True)
    target = LanguageField(label=_("Into"), model=True)

    class Meta:
        model = LanguagePair
        fields = list(services.PAIR_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(source=self.instance.source.code, target=self.instance.target.code)


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start", "end"]
        widgets = {"start": TIME, "end": TIME}


PairFormSet = forms.inlineformset_factory(
    Interpreter, LanguagePair, form=LanguagePairForm, extra=2, can_delete=True
)
WindowFormSet = forms.inlineformset_factory(
    Interpreter, AvailabilityWindow, form=AvailabilityForm, extra=2, can_delete=True
)


class DeploymentForm(forms.ModelForm):
    class Meta:
        model = Deployment
        fields = ["date", "place", "event", "hours", "rating", "feedback"]
        labels = {"rating": _("Rating (1-5)")}
        widgets = {
            "date": DATE,
            "hours": forms.NumberInput(attrs={"min": "0.1", "step": "0.1"}),
            "rating": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
        }


class InterpreterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    language = LanguageField(label=_("Language"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=AdminArea.objects.order_by("name"), empty_label=_("Any")
    )
    modality = forms.ChoiceField(label=_("Modality"), required=False, choices=any_of(Modality.choices))
    specialisation = forms.ChoiceField(
        label=_("Specialisation"), required=False, choices=any_of(Specialisation.choices)
    )
    engagement = forms.ChoiceField(
        label=_("Volunteer or paid"), required=False, choices=any_of(Engagement.choices)
    )
    vetting = forms.ChoiceField(label=_("Vetting"), required=False, choices=any_of(Vetting.choices))
    active_only = forms.BooleanField(label=_("Active only"), required=False)


class InterpreterSearchForm(forms.Form):
    source = LanguageField(label=_("From language"), required=False)
    target = LanguageField(label=_("Into language"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=AdminArea.objects.order_by("name"),
        empty_label=_("Anywhere"),
    )
    remote_ok = forms.BooleanField(
        label=_("Include interpreters who work remotely"), required=False, initial=True
    )
    available_now = forms.BooleanField(label=_("Available now only"), required=False)
    specialisation = forms.ChoiceField(
        label=_("Specialisation"), required=False, choices=any_of(Specialisation.choices)
    )
    modality = forms.ChoiceField(label=_("Modality"), required=False, choices=any_of(Modality.choices))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("source") and not data.get("target"):
            raise ValidationError(_("Give at least one language."))
        return data
