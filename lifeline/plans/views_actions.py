"""Pages of action items: my actions, an organisation's list with filters, one item. Views parse and
call ``plans.actions``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core.forms import offer_organisations
from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm, require, writable_organisations
from lifeline.core.registry_views import is_id, paginate
from lifeline.plans import actions
from lifeline.plans.models_actions import ActionItem, ActionStatus, SourceKind

AREA = Area.PLANS


def owners_from(user, user_id, organisation_id):
    """The owner fields of a form (ids as text) as objects the user may name; a translated error if not."""
    owner_user = owner_organisation = None
    if user_id:
        if not is_id(user_id):
            raise ValidationError(_("Choose an owner among the staff you work with."))
        owner_user = actions.owner_users(user).filter(pk=int(user_id)).first()
        if owner_user is None:
            raise ValidationError(_("Choose an owner among the staff you work with."))
    if organisation_id:
        if not is_id(organisation_id):
            raise ValidationError(_("Choose an organisation from the list."))
        owner_organisation = actions.owner_organisations(user).filter(pk=int(organisation_id)).first()
        if owner_organisation is None:
            raise ValidationError(_("Choose an organisation from the list."))
    return {"owner_user": owner_user, "owner_organisation": owner_organisation}


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        organisation = obj.profile.organisation
        return f"{obj.get_full_name() or obj.get_username()} ({organisation.short_name or organisation.name})"


class ActionForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Recorded by"))
    text = forms.CharField(
        label=gettext_lazy("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_user = OwnerChoice(queryset=None, required=False, label=gettext_lazy("Owner (person)"))
    owner_organisation = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Owner (organisation)")
    )
    due = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], writable_organisations(user, AREA))
        if item is not None and item.pk:
            del self.fields["organisation"]
        self.fields["owner_user"].queryset = actions.owner_users(user)
        self.fields["owner_organisation"].queryset = actions.owner_organisations(user)


def _row_context(user, items):
    return [{"item": i, "can_move": actions.may_move(user, i)} for i in items]


@login_required
def my_actions(request):
    require(request.user, AREA, Action.VIEW)
    today = timezone.localdate()
    items = list(actions.mine(request.user).overdue_first(today)[:300])
    pending = [i for i in items if i.is_pending]
    context = {
        "overdue": [i for i in pending if i.due < today],
        "upcoming": [i for i in pending if i.due >= today],
        "closed": [i for i in items if not i.is_pending][:20],
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "statuses": ActionStatus.choices,
    }
    return render(request, "plans/actions/mine.html", context)


@login_required
def action_list(request):
    require(request.user, AREA, Action.VIEW)
    today = timezone.localdate()
    queryset = actions.visible(request.user)
    filters = {
        "organisation": request.GET.get("organisation", ""),
        "status": request.GET.get("status", ""),
        "source": request.GET.get("source", ""),
        "owner": request.GET.get("owner", ""),
    }
    if is_id(filters["organisation"]):
        queryset = queryset.filter(organisation_id=int(filters["organisation"]))
    if filters["status"] == "overdue":
        queryset = queryset.overdue(today)
    elif filters["status"] == "pending":
        queryset = queryset.pending()
    elif filters["status"] in ActionStatus.values:
        queryset = queryset.filter(status=filters["status"])
    if filters["source"] in SourceKind.values:
        queryset = queryset.filter(source_kind=filters["source"])
    if is_id(filters["owner"]):
        queryset = queryset.filter(owner_user_id=int(filters["owner"]))
    organisations = writable_organisations(request.user, AREA).order_by("name")
    context = {
        "filters": filters,
        "organisations": organisations,
        "statuses": [
            ("pending", _("Open or in progress")),
            ("overdue", _("Overdue")),
            *ActionStatus.choices,
        ],
        "sources": SourceKind.choices,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "today": today,
        **paginate(request, queryset.overdue_first(today)),
    }
    return render(request, "plans/actions/list.html", context)


def _get(request, pk):
    return get_object_or_404(actions.visible(request.user), pk=pk)


@login_required
def action_detail(request, pk):
    item = _get(request, pk)
    source = item.source if item.source_type_id else None
    context = {
        "item": item,
        "source": source,
        "source_url": source.get_absolute_url() if hasattr(source, "get_absolute_url") else "",
        "can_edit": actions.may_edit(request.user, item),
        "can_move": actions.may_move(request.user, item),
        "statuses": ActionStatus.choices,
    }
    return render(request, "plans/actions/detail.html", context)


@login_required
def action_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    item = _get(request, pk) if pk else None
    if item is not None and not actions.may_edit(request.user, item):
        raise Http404
    initial = None
    if item is not None:
        initial = {
            "text": item.text,
            "owner_user": item.owner_user_id,
            "owner_organisation": item.owner_organisation_id,
            "due": item.due,
        }
    form = ActionForm(request.POST or None, user=request.user, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = item or ActionItem(organisation=data["organisation"])
        try:
            saved = actions.save_action(
                request.user,
                target,
                data["text"],
                data["due"],
                owner_user=data["owner_user"],
                owner_organisation=data["owner_organisation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Action saved."))
            return redirect("plans:action", pk=saved.pk)
    return render(request, "plans/actions/form.html", {"form": form, "item": item})


@login_required
@require_POST
def action_status(request, pk):
    item = _get(request, pk)
    if not actions.may_move(request.user, item):
        raise PermissionDenied
    try:
        actions.set_status(
            request.user,
            item,
            request.POST.get("status", ""),
            request.POST.get("note", "")[:2001],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:action", pk=item.pk)
    messages.success(request, _("Status saved."))
    back = request.POST.get("next", "")
    if back == "mine":
        return redirect("plans:my_actions")
    source = item.source if back == "source" and item.source_type_id else None
    if hasattr(source, "get_absolute_url"):
        return redirect(source.get_absolute_url())
    return redirect("plans:action", pk=item.pk)
