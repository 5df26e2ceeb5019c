from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.cases.models import CaseSource, CaseTeam, Category, Priority, ReferralStatus, Status
from lifeline.cases.services import CaseError, assignable_officers, normalise_phone, referral_contacts
from lifeline.core.forms import offer_organisations
from lifeline.core.versions import VersionedForm
from lifeline.geo.models import AdminArea


def any_of(choices):
    return [("", _("Any"))] + list(choices)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Reference or name"),
        required=False,
        max_length=120,
        help_text=_("A case reference, or words of the person's name (if you may see personal data)."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=any_of([("open", _("Open (any)"))] + Status.choices)
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=any_of(Category.choices))
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=any_of(Priority.choices))
    post = forms.ModelChoiceField(label=_("Post"), required=False, queryset=None, empty_label=_("Any"))
    mine = forms.BooleanField(label=_("Assigned to me or my team"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = organisations


class CaseForm(forms.Form):
    """A case opened by staff: a walk-in, a phone call, or on behalf of a registered national."""

    organisation = forms.ModelChoiceField(label=_("Handled by"), queryset=None)
    registration = forms.IntegerField(
        label=_("Registration number"),
        required=False,
        min_value=1,
        max_value=2**62,
        help_text=_("Leave empty for a person who is not registered."),
    )
    contact_name = forms.CharField(label=_("Name (if not registered)"), required=False, max_length=200)
    contact_phone = forms.CharField(
        label=_("Phone (if not registered)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("International format, for example +962790123456."),
    )
    source = forms.ChoiceField(
        label=_("How the request came"),
        choices=[
            (CaseSource.WALK_IN, CaseSource.WALK_IN.label),
            (CaseSource.PHONE, CaseSource.PHONE.label),
            (CaseSource.STAFF, CaseSource.STAFF.label),
        ],
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    summary = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    location = forms.CharField(label=_("Location (latitude,longitude)"), required=False, max_length=60)
    area = forms.ModelChoiceField(
        label=_("Admin area"), required=False, queryset=AdminArea.objects.order_by("name")
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    priority_reason = forms.CharField(label=_("Reason for the priority"), required=False, max_length=300)
    photo = forms.FileField(label=_("Photo (JPEG or PNG, up to 5 MB)"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations)

    def clean_contact_phone(self):
        try:
            return normalise_phone(self.cleaned_data["contact_phone"], self.cleaned_data.get("organisation"))
        except CaseError as exc:
            raise forms.ValidationError(exc.message) from None


class TriageForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer"), required=False, queryset=None, empty_label=_("Nobody")
    )
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=None, empty_label=_("No team"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = assignable_officers(case)
        self.fields["team"].queryset = CaseTeam.objects.filter(organisation_id=case.organisation_id)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["status"].choices = [("", _("Choose…"))] + [(s, Status(s).label) for s in choices]


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class ReferralForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Partner organisation"), queryset=None)
    consent_asked = forms.BooleanField(
        label=_("I asked the person and they agreed to their case being shared with this organisation"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the partner"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = referral_contacts(user)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Reference of the case it repeats"), max_length=20)


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Partner's answer"), choices=ReferralStatus.choices)


class TeamForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = CaseTeam
        fields = ["organisation", "name", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations, _("Post"))
        from django.contrib.auth import get_user_model

        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(profile__organisation__in=organisations, is_active=True)
            .order_by("username")
        )

    def clean(self):
        data = super().clean()
        organisation, members = data.get("organisation"), data.get("members") or []
        if organisation is not None and any(m.profile.organisation_id != organisation.pk for m in members):
            self.add_error("members", _("Members must work at the team's post."))
        return data
