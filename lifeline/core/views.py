from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import approval, audit, otp
from lifeline.core.dashboard import home_figures
from lifeline.core.forms import (
    AuditFilterForm,
    BrandingForm,
    OrganisationForm,
    OtpSetupForm,
    OtpVerifyForm,
    RoleMatrixForm,
    StaffForm,
    TokenForm,
)
from lifeline.core.models import Action, ApiToken, Area, AuditAction, AuditEntry, Branding, StaffProfile
from lifeline.core.permissions import (
    has_perm,
    needs_second_factor,
    organisation_ids_for,
    require,
    visible_organisation_ids,
    writable_organisations,
)
from lifeline.core.registry_views import paginate, safe_next
from lifeline.core.staff import max_scope, may_manage, save_staff


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
        return redirect(f"{reverse('otp-setup')}?next={safe_next(request)}")
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.verify(request, form.cleaned_data["token"])
        if device is not None:
            return redirect(safe_next(request))
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": safe_next(request)})


@login_required
def otp_setup(request):
    # Replacing an authenticator needs the old one: only a session that passed its second factor may.
    if otp.has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('otp-verify')}?next={safe_next(request)}")
    device = otp.pending_device(request.user)
    form = OtpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(request, "registration/otp_done.html", {"codes": codes, "next": safe_next(request)})
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
    context = {
        "form": form,
        "qr_svg": otp.qr_svg(device),
        "secret": otp.secret_text(device),
        "next": safe_next(request),
    }
    return render(request, "registration/otp_setup.html", context)


@login_required
def approvals(request):
    """The approver's inbox: everything awaiting approval that this user may approve (never their own work)."""
    items = [
        {"item": item, "kind": item._meta.verbose_name, "url": item.get_absolute_url()}
        for item in approval.waiting_for(request.user)
    ]
    return render(request, "core/approvals.html", {"items": items})


@login_required
def audit_log(request):
    require(request.user, Area.AUDIT, Action.VIEW)
    entries = AuditEntry.objects.all()
    ids = organisation_ids_for(request.user, Area.AUDIT)
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
                audit.record(
                    AuditAction.SETTINGS, obj=branding_form.instance, fields=branding_form.changed_data
                )
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


@login_required
def organisation_list(request):
    require(request.user, Area.ORGANISATIONS, Action.VIEW)
    organisations = writable_organisations(request.user).select_related("parent", "country").order_by("name")
    context = {
        "can_change": has_perm(request.user, Area.ORGANISATIONS, Action.CHANGE),
        **paginate(request, organisations, 50),
    }
    return render(request, "core/organisations.html", context)


@login_required
def organisation_edit(request, pk=None):
    require(request.user, Area.ORGANISATIONS, Action.CHANGE)
    scope = writable_organisations(request.user)
    organisation = get_object_or_404(scope, pk=pk) if pk else None
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=organisation,
        organisations=scope,
        may_set_kind=request.user.is_superuser,
    )
    if request.method == "POST" and form.is_valid():
        if (
            organisation is None
            and visible_organisation_ids(request.user) is not None
            and form.cleaned_data["parent"] is None
        ):
            form.add_error("parent", _("Your scope only allows branches of your own organisation."))
        else:
            saved = form.save()
            audit.record(
                AuditAction.CREATE if organisation is None else AuditAction.UPDATE,
                obj=saved,
                fields=form.changed_data,
            )
            request.user.__dict__.pop("_lifeline_orgs", None)
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
            return redirect("organisations")
    return render(request, "core/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def staff_list(request):
    require(request.user, Area.ORGANISATIONS, Action.VIEW)
    profiles = StaffProfile.objects.filter(
        organisation__in=writable_organisations(request.user)
    ).select_related("user", "organisation")
    context = {
        "can_change": has_perm(request.user, Area.ORGANISATIONS, Action.CHANGE),
        **paginate(request, profiles.order_by("organisation__name", "user__username"), 50),
    }
    return render(request, "core/staff.html", context)


@login_required
def staff_edit(request, pk=None):
    require(request.user, Area.ORGANISATIONS, Action.CHANGE)
    organisations = writable_organisations(request.user)
    profile = (
        get_object_or_404(StaffProfile.objects.filter(organisation__in=organisations), pk=pk) if pk else None
    )
    if profile is not None and not may_manage(request.user, profile):
        raise PermissionDenied
    initial = None
    if profile:
        u = profile.user
        initial = {
            "username": u.username,
            "email": u.email,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "organisation": profile.organisation,
            "role": profile.role,
            "scope": profile.scope,
            "is_active": u.is_active,
        }
    form = StaffForm(
        request.POST or None,
        initial=initial,
        organisations=organisations,
        max_scope=max_scope(request.user),
        user=profile.user if profile else None,
    )
    if request.method == "POST" and form.is_valid():
        if profile and profile.user == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account."))
        else:
            user = save_staff(
                request.user, form.cleaned_data, user=profile.user if profile else None, request=request
            )
            audit.record(
                AuditAction.CREATE if profile is None else AuditAction.UPDATE,
                obj=user.profile,
                fields=form.changed_data,
            )
            messages.success(request, _("Saved the account of %(name)s.") % {"name": user.get_username()})
            return redirect("staff")
    return render(request, "core/staff_form.html", {"form": form, "profile": profile})


def health(request):
    """Liveness for load balancers: the process answers. Touches neither the database nor the session."""
    from django.http import HttpResponse

    response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def ready(request):
    """Readiness for load balancers and monitoring: database, broker, scheduler and worker heartbeats, queues.

    Answers 200 when everything needed to send works, 503 otherwise, with the details as JSON.
    """
    from django.http import JsonResponse

    from lifeline.core.health import readiness

    report = readiness()
    response = JsonResponse(report, status=200 if report["ready"] else 503)
    response["Cache-Control"] = "no-store"
    return response
