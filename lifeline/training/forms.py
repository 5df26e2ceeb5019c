"""Forms of the training pages: they parse; ``services`` and ``certificates`` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import CountryField, LanguageCodesField, offer_organisations
from lifeline.training.models import (
    Audience,
    Event,
    EventType,
    InstitutionType,
    Level,
    ParticipantLevel,
    Sex,
    Stream,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organiser"))
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=EventType.choices)
    stream = forms.ChoiceField(label=_("Stream"), choices=Stream.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    starts = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000, initial=30)
    languages = LanguageCodesField(label=_("Languages"))
    partners = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Partners (key contacts)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    replicates = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        label=_("Replicates the training of trainers"),
        required=False,
        help_text=_("For a replica given by trainers trained at a training of trainers."),
    )
    attendance_required = forms.IntegerField(
        label=_("Attendance required for a certificate (%)"), min_value=1, max_value=100, initial=100
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False, initial=True)

    def __init__(self, *args, organisations, partners, tots, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations)
        if editing:
            del self.fields["organisation"]
        self.fields["partners"].queryset = partners
        self.fields["replicates"].queryset = tots


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session"), max_length=200)
    starts = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    facilitators = forms.CharField(label=_("Facilitators"), max_length=300, required=False)


class RegistrationForm(forms.Form):
    """The public registration page (no login). Labels are read by participants."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    institution_type = forms.ChoiceField(label=_("Type of institution"), choices=InstitutionType.choices)
    role = forms.CharField(label=_("Role or position"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=ParticipantLevel.choices)
    country = CountryField(label=_("Country"), model=True, required=False)
    sex = forms.ChoiceField(
        label=_("Sex (optional)"), choices=[("", _("Prefer not to say")), *Sex.choices], required=False
    )
    interpretation = forms.CharField(
        label=_("Interpretation needed (language)"), max_length=200, required=False
    )
    access_needs = forms.CharField(label=_("Access needs"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent = forms.BooleanField(label=_("I agree"), required=False)


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, or separated by commas."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
