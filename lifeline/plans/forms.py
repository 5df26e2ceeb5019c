from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.forms import offer_organisations
from lifeline.geo.models import AdminArea
from lifeline.plans.models import Plan, TemplateVersion, VersionState
from lifeline.plans.services import check_file, shown


class PlanForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link to the document"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Plan
        fields = [
            "organisation",
            "title",
            "kind",
            "document",
            "link",
            "areas",
            "last_revised",
            "owner",
            "notes",
        ]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "last_revised": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations)
        if self.instance.pk:
            del self.fields["organisation"]
        self.fields["areas"].queryset = AdminArea.objects.select_related("country").order_by(
            "country", "name"
        )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload and hasattr(upload, "size") and "document" in self.files:
            check_file(upload)
        return upload


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{shown(obj.template.title).text} (v{obj.number})"


class StartForm(forms.Form):
    version = VersionChoice(queryset=TemplateVersion.objects.none(), label=_("Checklist"), empty_label=None)
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        label=_("Plan assessed"),
        required=False,
        help_text=_("Leave empty to assess the organisation as a whole."),
    )
    assessed_on = forms.DateField(
        label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, templates, organisations, plans, **kwargs):
        super().__init__(*args, **kwargs)
        newest = [t.published() for t in templates]
        self.fields["version"].queryset = TemplateVersion.objects.filter(
            pk__in=[v.pk for v in newest if v is not None], state=VersionState.PUBLISHED
        ).select_related("template")
        offer_organisations(self.fields["organisation"], organisations)
        self.fields["plan"].queryset = plans
        self.fields["assessed_on"].initial = timezone.localdate()
