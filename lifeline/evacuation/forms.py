from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lifeline.core.versions import VersionedForm
from lifeline.evacuation.models import AssemblyPoint, EvacueeStatus, Transport
from lifeline.evacuation.services import places_taken
from lifeline.geo.models import AdminArea
from lifeline.nationals.models import coarse_point
from lifeline.plans.models import Answer

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_PLACES = 100_000


def _capacity(value, instance, kind):
    if value is not None and not 1 <= value <= MAX_PLACES:
        raise ValidationError(_("Capacity is between 1 and %(max)s people.") % {"max": f"{MAX_PLACES:,}"})
    if value is not None and instance.pk:
        taken = places_taken(**{kind: instance})
        if value < taken:
            raise ValidationError(
                _(
                    "%(taken)s people are already assigned here: move some elsewhere before lowering the capacity."
                )
                % {"taken": taken}
            )
    return value


class AssemblyPointForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = AssemblyPoint
        fields = ["name", "address", "location", "capacity", "opens", "closes", "contact"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "location": forms.TextInput(
                attrs={"dir": "ltr", "inputmode": "decimal", "placeholder": "31.95,35.91"}
            ),
            "opens": DATETIME,
            "closes": DATETIME,
        }
        help_texts = {"location": _("Latitude and longitude in degrees, separated by a comma.")}

    def clean_location(self):
        value = "".join(self.cleaned_data.get("location", "").split())
        if value and coarse_point(value) == (None, None):
            raise ValidationError(_("Write the location as latitude,longitude in degrees, e.g. 31.95,35.91."))
        return value

    def clean_capacity(self):
        return _capacity(self.cleaned_data.get("capacity"), self.instance, "point")

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The point must close after it opens."))
        return data


class TransportForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Transport
        fields = ["kind", "name", "capacity", "departs", "assembly_point", "destination"]
        widgets = {"departs": DATETIME}

    def __init__(self, *args, crisis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assembly_point"].queryset = AssemblyPoint.objects.filter(crisis=crisis)

    def clean_capacity(self):
        return _capacity(self.cleaned_data.get("capacity"), self.instance, "transport")


class AssignForm(forms.Form):
    """One registration (by its number) to a point, and a transport if chosen."""

    registration = forms.IntegerField(
        label=_("Registration number"),
        min_value=1,
        max_value=2**62,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    assembly_point = forms.ModelChoiceField(label=_("Assembly point"), queryset=AssemblyPoint.objects.none())
    transport = forms.ModelChoiceField(
        label=_("Transport"), queryset=Transport.objects.none(), required=False
    )
    seat = forms.CharField(label=_("Seat"), max_length=40, required=False)

    def __init__(self, *args, crisis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assembly_point"].queryset = AssemblyPoint.objects.filter(crisis=crisis)
        self.fields["transport"].queryset = Transport.objects.filter(crisis=crisis)


class AreaAssignForm(forms.Form):
    """Everyone in an admin area who is not on the evacuation yet, to one point."""

    area = forms.ModelChoiceField(label=_("Admin area"), queryset=AdminArea.objects.none())
    assembly_point = forms.ModelChoiceField(label=_("Assembly point"), queryset=AssemblyPoint.objects.none())
    transport = forms.ModelChoiceField(
        label=_("Transport"), queryset=Transport.objects.none(), required=False
    )

    def __init__(self, *args, crisis, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["assembly_point"].queryset = AssemblyPoint.objects.filter(crisis=crisis)
        self.fields["transport"].queryset = Transport.objects.filter(crisis=crisis)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EvacueeStatus.choices)


class ChecklistItemForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("", _("Not yet"))] + list(Answer.choices), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.TextInput)

    def clean_note(self):
        note = self.cleaned_data.get("note", "").strip()
        if "\x00" in note:
            raise ValidationError(_("The note holds a character that cannot be stored."))
        return note
