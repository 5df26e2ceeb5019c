from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import audit, disclosure
from lifeline.core.forms import show_invalid
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import get_for_user, has_perm, require, writable_organisations
from lifeline.core.registry_views import export_response, import_page, paginate, safe_next
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.directory.forms import ContactFilterForm, KeyContactForm
from lifeline.directory.models import KeyContact
from lifeline.directory.services import (
    FIELDS,
    Invalid,
    delete_contact,
    mark_verified,
    save_contact,
    search_contacts,
    to_vcards,
)
from lifeline.directory.tabular import ContactSchema

AREA = Area.CONTACTS


def _filtered(request):
    queryset = KeyContact.objects.for_user(request.user).prefetch_related("languages", "coverage_areas")
    form = ContactFilterForm(request.GET or None)
    if form.is_valid():
        queryset = search_contacts(queryset, **form.cleaned_data)
    return form, queryset


@login_required
def contact_list(request):
    require(request.user, AREA, Action.VIEW)
    form, queryset = _filtered(request)
    context = {
        "filter_form": form,
        "total": queryset.count(),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        **paginate(request, queryset),
    }
    return render(request, "directory/list.html", context)


@login_required
def contact_detail(request, pk):
    contact = get_for_user(KeyContact, request.user, pk)
    see = disclosure.to(request.user, contact)  # directory/disclosure.py
    see.audit(contact)
    context = {
        "contact": contact,
        "show_personal": see.allowed,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "focal_point_of": contact.focal_point_of.all(),
    }
    return render(request, "directory/detail.html", context)


@login_required
def contact_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    contact = get_for_user(KeyContact, request.user, pk, Action.CHANGE) if pk else None
    if contact is not None and contact.channels and not disclosure.to(request.user, contact).allowed:
        raise PermissionDenied
    form = KeyContactForm(
        request.POST or None, instance=contact, organisations=writable_organisations(request.user)
    )
    if request.method != "POST" and contact is not None and contact.channels:
        audit.record(AuditAction.VIEW, obj=contact, fields=["channels"])  # the form shows them
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in FIELDS if name in form.cleaned_data}
        try:
            saved = save_contact(request.user, contact, values, version=form.cleaned_data.get(VERSION_FIELD))
        except Invalid as exc:
            show_invalid(exc.errors, form)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
            return redirect("contacts:detail", pk=saved.pk)
    return render(request, "directory/form.html", {"form": form, "contact": contact})


@login_required
@require_POST
def contact_delete(request, pk):
    contact = get_for_user(KeyContact, request.user, pk, Action.CHANGE)
    name = contact.name
    try:
        delete_contact(request.user, contact)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("contacts:detail", pk=contact.pk)
    messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
    return redirect("contacts:list")


@login_required
@require_POST
def contact_verified(request, pk):
    contact = get_for_user(KeyContact, request.user, pk, Action.CHANGE)
    mark_verified(request.user, contact)
    messages.success(request, _("Marked “%(name)s” as verified today.") % {"name": contact.name})
    return redirect(safe_next(request, "contacts:reverify"))


@login_required
def contact_reverify(request):
    require(request.user, AREA, Action.VIEW)
    queryset = KeyContact.objects.for_user(request.user).stale().order_by("last_verified", "name")
    context = {
        "total": queryset.count(),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        **paginate(request, queryset),
    }
    return render(request, "directory/reverify.html", context)


@login_required
def contact_export(request):
    require(request.user, AREA, Action.VIEW)
    _form, queryset = _filtered(request)
    return export_response(request, ContactSchema(), queryset, AREA)


@login_required
def contact_import(request):
    return import_page(request, ContactSchema(), AREA, reverse("contacts:list"))


def _vcard_response(request, contacts, filename):
    require(request.user, AREA, Action.EXPORT)
    personal = disclosure.may_see(request.user, KeyContact)
    contacts = list(contacts)
    body = to_vcards(contacts, include_personal=personal)
    audit.record(
        AuditAction.EXPORT,
        object_type="directory.keycontact",
        object_id=str(contacts[0].pk) if len(contacts) == 1 else "",
        object_repr=_("%(n)s records (vCard)") % {"n": len(contacts)},
        fields=["channels"] if personal else [],
    )
    response = HttpResponse(body, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def contact_vcard(request, pk):
    contact = get_for_user(KeyContact, request.user, pk)
    return _vcard_response(request, [contact], f"contact-{contact.pk}.vcf")


@login_required
def contact_vcards(request):
    require(request.user, AREA, Action.VIEW)
    _form, queryset = _filtered(request)
    return _vcard_response(request, queryset, "contacts.vcf")
