from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import audit, otp
from lifeline.core.dashboard import home_figures
from lifeline.core.forms import (
    AuditFilterForm,
    BrandingForm,
    OtpSetupForm,
    OtpVerifyForm,
    RoleMatrixForm,
    TokenForm,
)
from lifeline.core.models import Action, ApiToken, Area, AuditAction, AuditEntry, Branding
from lifeline.core.permissions import has_perm, needs_second_factor, require, visible_organisation_ids
from lifeline.core.registry_views import paginate


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


@login_required
def home(request):
    return render(request, "core/home.html", home_figures(request.user, request.GET.get("area")))


@login_required
def account(request):
    tokens = request.user.api_tokens.filter(revoked=False)
    new_token = request.session.pop("new_api_token", None)
    form = TokenForm()
    context = {
        "profile": getattr(request.user, "profile", None),
        "has_device": otp.has_confirmed_device(request.user),
        "needs_second_factor": needs_second_factor(request.user),
        "tokens": tokens,
        "token_form": form,
        "new_token": new_token,
    }
    return render(request, "core/account.html", context)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
        audit.record(AuditAction.CREATE, obj=token, fields=["name"])
        request.session["new_api_token"] = raw
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("account")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit.record(AuditAction.UPDATE, obj=token, fields=["revoked"])
    messages.success(request, _("The token was revoked."))
    return redirect("account")


@login_required
def otp_verify(request):
    if not otp.has_confirmed_device(request.user):
        return redirect(f"{reverse('otp-setup')}?next={_safe_next(request)}")
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.verify(request, form.cleaned_data["token"])
        if device is not None:
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def otp_setup(request):
    device = otp.pending_device(request.user)
    form = OtpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(request, "registration/otp_done.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
    context = {"form": form, "qr_svg": otp.qr_svg(device), "secret": otp.secret_text(device), "next": _safe_next(request)}
    return render(request, "registration/otp_setup.html", context)


@login_required
def audit_log(request):
    require(request.user, Area.AUDIT, Action.VIEW)
    entries = AuditEntry.objects.all()
    ids = visible_organisation_ids(request.user)
    if ids is not None:
        entries = entries.filter(organisation_id__in=ids)
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        entries = form.filter(entries)
    return render(request, "core/audit.html", {"filter_form": form, **paginate(request, entries, 50)})


@login_required
def deployment_settings(request):
    require(request.user, Area.SETTINGS, Action.VIEW)
    can_change = has_perm(request.user, Area.SETTINGS, Action.CHANGE)
    branding = Branding.current()
    branding_form = BrandingForm(instance=branding)
    matrix_form = RoleMatrixForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if "save_branding" in request.POST:
            branding_form = BrandingForm(request.POST, request.FILES, instance=branding)
            if branding_form.is_valid():
                branding_form.save()
                audit.record(AuditAction.SETTINGS, obj=branding_form.instance, fields=branding_form.changed_data)
                messages.success(request, _("Branding saved."))
                return redirect("settings")
        elif "save_matrix" in request.POST:
            matrix_form = RoleMatrixForm(request.POST)
            if matrix_form.is_valid():
                with transaction.atomic():
                    changed = matrix_form.save()
                audit.record(AuditAction.SETTINGS, object_type="core.rolepermission", fields=changed)
                messages.success(request, _("Permissions saved."))
                return redirect("settings")
    context = {
        "branding_form": branding_form,
        "matrix_form": matrix_form,
        "can_change": can_change,
        "languages": settings.LANGUAGES,
    }
    return render(request, "core/settings.html", context)
