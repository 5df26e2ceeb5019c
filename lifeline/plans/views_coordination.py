"""Pages of coordination bodies, their meetings and decisions, and agreements. Views parse and call
``plans.coordination``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core.forms import offer_organisations
from lifeline.core.models import Action, Area, Organisation
from lifeline.core.permissions import get_for_user, has_perm, may_change, require, writable_organisations
from lifeline.core.registry_views import is_id, paginate
from lifeline.plans import actions, coordination
from lifeline.plans.models_actions import ActionStatus, Agreement, CoordinationBody, DrillLevel
from lifeline.plans.views_actions import OwnerChoice
from lifeline.plans.views_drills import FindingForm

AREA = Area.PLANS


class ContactChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.affiliation})" if obj.affiliation else obj.name


class BodyForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Organisation"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=DrillLevel.choices)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    members = ContactChoices(
        queryset=None, required=False, label=gettext_lazy("Members"), widget=forms.CheckboxSelectMultiple
    )
    focal_points = ContactChoices(
        queryset=None, required=False, label=gettext_lazy("Focal points"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], writable_organisations(user, AREA))
        if body is not None:
            del self.fields["organisation"]
        contacts = coordination.readable_contacts(user).order_by("name")
        self.fields["members"].queryset = contacts
        self.fields["focal_points"].queryset = contacts


class MeetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.CharField(
        label=gettext_lazy("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class AgreementForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Kept by"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=Agreement._meta.get_field("status").choices
    )
    contacts = ContactChoices(
        queryset=None,
        required=False,
        label=gettext_lazy("Parties (key contacts)"),
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Parties (organisations)"),
    )
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    renewal_due = forms.DateField(
        label=gettext_lazy("Renewal due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    focal_user = OwnerChoice(queryset=None, required=False, label=gettext_lazy("Responsible for renewal"))
    link = forms.URLField(
        label=gettext_lazy("Link to the document"), required=False, max_length=500, assume_scheme="https"
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], writable_organisations(user, AREA))
        if agreement is not None:
            del self.fields["organisation"]
        self.fields["contacts"].queryset = coordination.readable_contacts(user).order_by("name")
        self.fields["focal_user"].queryset = actions.owner_users(user)


# Index ---------------------------------------------------------------------------------------------


@login_required
def index(request):
    require(request.user, AREA, Action.VIEW)
    bodies = CoordinationBody.objects.for_user(request.user).select_related("organisation")
    context = {
        "bodies": bodies.prefetch_related("members"),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
    }
    return render(request, "plans/coordination/index.html", context)


# Bodies ---------------------------------------------------------------------------------------------


@login_required
def body_detail(request, pk):
    body = get_for_user(CoordinationBody, request.user, pk)
    can_change = may_change(request.user, body)
    return _body(request, body, MeetingForm() if can_change else None)


def _body(request, body, meeting_form, status=200):
    context = {
        "body": body,
        "members": body.members.all(),
        "focal_ids": set(body.focal_points.values_list("pk", flat=True)),
        "meetings": body.meetings.all(),
        "can_change": may_change(request.user, body),
        "meeting_form": meeting_form,
    }
    return render(request, "plans/coordination/body.html", context, status=status)


@login_required
def body_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    body = get_for_user(CoordinationBody, request.user, pk, Action.CHANGE) if pk else None
    initial = None
    if body is not None:
        initial = {
            "name": body.name,
            "level": body.level,
            "purpose": body.purpose,
            "members": list(body.members.all()),
            "focal_points": list(body.focal_points.all()),
        }
    form = BodyForm(request.POST or None, user=request.user, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = body or CoordinationBody(organisation=data["organisation"])
        try:
            saved = coordination.save_body(
                request.user,
                target,
                data["name"],
                data["level"],
                data["purpose"],
                members=data["members"],
                focal_points=data["focal_points"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
            return redirect("plans:body", pk=saved.pk)
    return render(request, "plans/coordination/body_form.html", {"form": form, "body": body})


@login_required
@require_POST
def add_meeting(request, pk):
    body = get_for_user(CoordinationBody, request.user, pk, Action.CHANGE)
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = coordination.add_meeting(
                request.user, body, data["held_on"], data["title"], data["minutes"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("plans:meeting", pk=meeting.pk)
    return _body(request, body, form, status=400)


# Meetings --------------------------------------------------------------------------------------------


def _meeting_page(request, meeting, decision_form=None, status=200):
    can_change = may_change(request.user, meeting.body)
    decisions = actions.for_sources([meeting]).get(meeting.pk, [])
    for item in decisions:
        item.can_move = actions.may_move(request.user, item)
    context = {
        "meeting": meeting,
        "decisions": decisions,
        "can_change": can_change,
        "decision_form": decision_form or (FindingForm(user=request.user) if can_change else None),
        "statuses": ActionStatus.choices,
    }
    return render(request, "plans/coordination/meeting.html", context, status=status)


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(coordination.meetings_for(request.user), pk=pk)
    return _meeting_page(request, meeting)


@login_required
@require_POST
def add_decision(request, pk):
    meeting = get_object_or_404(coordination.meetings_for(request.user), pk=pk)
    if not may_change(request.user, meeting.body):
        raise PermissionDenied
    form = FindingForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            coordination.add_decision(
                request.user,
                meeting,
                data["text"],
                data["due"],
                owner_user=data["owner_user"],
                owner_organisation=data["owner_organisation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("plans:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, decision_form=form, status=400)


# Agreements ------------------------------------------------------------------------------------------


@login_required
def agreement_list(request):
    require(request.user, AREA, Action.VIEW)
    queryset = Agreement.objects.for_user(request.user).select_related("organisation", "focal_user")
    contact = request.GET.get("contact", "")
    if is_id(contact):
        queryset = queryset.filter(contacts=int(contact))
    context = {
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "contact": contact if is_id(contact) else "",
        **paginate(request, queryset.prefetch_related("contacts", "organisations")),
    }
    return render(request, "plans/coordination/agreements.html", context)


@login_required
def agreement_detail(request, pk):
    agreement = get_for_user(Agreement, request.user, pk)
    context = {
        "agreement": agreement,
        "contacts": agreement.contacts.for_user(request.user),
        "hidden_contacts": agreement.contacts.count() - agreement.contacts.for_user(request.user).count(),
        "organisations": agreement.organisations.all(),
        "can_change": may_change(request.user, agreement),
    }
    return render(request, "plans/coordination/agreement.html", context)


@login_required
def agreement_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    agreement = get_for_user(Agreement, request.user, pk, Action.CHANGE) if pk else None
    initial = None
    if agreement is not None:
        initial = {
            "title": agreement.title,
            "status": agreement.status,
            "contacts": list(agreement.contacts.all()),
            "organisations": list(agreement.organisations.all()),
            "signed_on": agreement.signed_on,
            "renewal_due": agreement.renewal_due,
            "focal_user": agreement.focal_user_id,
            "link": agreement.link,
            "notes": agreement.notes,
        }
    form = AgreementForm(request.POST or None, user=request.user, agreement=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = agreement or Agreement(organisation=data.pop("organisation"))
        contacts, organisations = data.pop("contacts"), data.pop("organisations")
        data.pop("organisation", None)
        try:
            saved = coordination.save_agreement(request.user, target, data, contacts, organisations)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.title})
            return redirect("plans:agreement", pk=saved.pk)
    return render(request, "plans/coordination/agreement_form.html", {"form": form, "agreement": agreement})
