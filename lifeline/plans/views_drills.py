"""Pages of drills: the list, one drill with its findings, record and edit. Views parse and call
``plans.drills``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core.forms import offer_organisations
from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user, has_perm, may_change, require, writable_organisations
from lifeline.core.registry_views import paginate
from lifeline.plans import actions, drills
from lifeline.plans.models import Plan
from lifeline.plans.models_actions import ActionStatus, Drill
from lifeline.plans.views_actions import OwnerChoice

AREA = Area.PLANS


class DrillForm(forms.ModelForm):
    class Meta:
        model = Drill
        fields = ["organisation", *drills.FIELDS]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "scenario": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], writable_organisations(user, AREA))
        if self.instance.pk:
            del self.fields["organisation"]
        self.fields["plan"].queryset = Plan.objects.for_user(user).order_by("title")

    def _post_clean(self):
        pass  # the service validates the drill (drills.save_drill)


class FindingForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Finding and what is to be done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner_user = OwnerChoice(queryset=None, required=False, label=gettext_lazy("Owner (person)"))
    owner_organisation = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Owner (organisation)")
    )
    due = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = actions.owner_users(user)
        self.fields["owner_organisation"].queryset = actions.owner_organisations(user)


@login_required
def drill_list(request):
    require(request.user, AREA, Action.VIEW)
    queryset = Drill.objects.for_user(request.user).select_related("organisation", "plan")
    context = {"can_change": has_perm(request.user, AREA, Action.CHANGE), **paginate(request, queryset)}
    return render(request, "plans/drills/list.html", context)


def _detail(request, drill, finding_form=None, status=200):
    can_change = may_change(request.user, drill)
    found = drills.findings(drill)
    context = {
        "drill": drill,
        "findings": found,
        "closed": sum(1 for f in found if not f.is_pending),
        "can_change": can_change,
        "finding_form": finding_form or (FindingForm(user=request.user) if can_change else None),
        "statuses": ActionStatus.choices,
        "today": timezone.localdate(),
    }
    for item in found:
        item.can_move = actions.may_move(request.user, item)
    return render(request, "plans/drills/detail.html", context, status=status)


@login_required
def drill_detail(request, pk):
    return _detail(request, get_for_user(Drill, request.user, pk))


@login_required
def drill_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    drill = get_for_user(Drill, request.user, pk, Action.CHANGE) if pk else None
    form = DrillForm(request.POST or None, instance=drill, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in drills.FIELDS}
        target = drill or Drill(organisation=form.cleaned_data["organisation"])
        try:
            saved = drills.save_drill(request.user, target, data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.title})
            return redirect("plans:drill", pk=saved.pk)
    return render(request, "plans/drills/form.html", {"form": form, "drill": drill})


@login_required
@require_POST
def add_finding(request, pk):
    drill = get_for_user(Drill, request.user, pk, Action.CHANGE)
    form = FindingForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            drills.add_finding(
                request.user,
                drill,
                data["text"],
                data["due"],
                owner_user=data["owner_user"],
                owner_organisation=data["owner_organisation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect("plans:drill", pk=drill.pk)
    return _detail(request, drill, finding_form=form, status=400)
