import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import audit, disclosure
from lifeline.core.disclosure import MASK
from lifeline.core.models import Action, Area, AuditAction, OrganisationKind
from lifeline.core.permissions import (
    get_for_user,
    has_perm,
    require,
    visible_organisation_ids,
    writable_organisations,
)
from lifeline.core.registry_views import export_response, paginate
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.nationals import services
from lifeline.nationals.disclosure import LISTED
from lifeline.nationals.duplicates import suggested as suggested_duplicates
from lifeline.nationals.forms import (
    MemberFormSet,
    PostDetailsForm,
    RegistrationFilterForm,
    RegistrationForm,
    household_rows,
)
from lifeline.nationals.models import HouseholdMember, PostDetails, Registration
from lifeline.nationals.tabular import RegistrationSchema

AREA = Area.NATIONALS
HOLDING_KINDS = services.HOLDING_KINDS


# --- consular network ---------------------------------------------------------------


@login_required
def post_list(request):
    require(request.user, AREA, Action.VIEW)
    posts = (
        services.ministry_posts(request.user)
        .select_related("country", "post_details", "parent")
        .prefetch_related("jurisdiction_countries", "jurisdiction_areas")
        .order_by("name")
    )
    writable = (
        set(writable_organisations(request.user).values_list("pk", flat=True))
        if has_perm(request.user, AREA, Action.CHANGE)
        else set()
    )
    rows = [
        {
            "post": post,
            "details": details,
            "hours": details.hours_in(get_language()) if details else "",
            "can_edit": post.pk in writable,
        }
        for post, details in ((post, services._details(post)) for post in posts)
    ]
    return render(request, "nationals/posts.html", {"rows": rows})


@login_required
def post_edit(request, pk):
    require(request.user, AREA, Action.CHANGE)
    post = get_object_or_404(
        writable_organisations(request.user).filter(kind=OrganisationKind.CONSULAR_POST), pk=pk
    )
    details = PostDetails.objects.filter(organisation=post).first() or PostDetails(organisation=post)
    form = PostDetailsForm(request.POST or None, instance=details)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved the details of “%(name)s”.") % {"name": post.name})
        return redirect("nationals:posts")
    return render(request, "nationals/post_form.html", {"form": form, "post": post})


# --- registrations ----------------------------------------------------------------


def _visible_posts(user):
    from lifeline.core.models import Organisation

    ids = visible_organisation_ids(user)
    orgs = Organisation.objects.filter(kind__in=HOLDING_KINDS).order_by("name")
    return orgs if ids is None else orgs.filter(id__in=ids)


def _filtered(request):
    queryset = (
        Registration.objects.for_user(request.user).active().select_related("organisation", "country", "area")
    )
    form = RegistrationFilterForm(request.GET or None, organisations=_visible_posts(request.user))
    if form.is_valid():
        queryset = services.search_registrations(queryset, **form.cleaned_data)
    elif form.is_bound:
        queryset = queryset.none()
    return form, queryset


@login_required
def registration_list(request):
    require(request.user, AREA, Action.VIEW)
    form, queryset = _filtered(request)
    page = paginate(
        request, queryset.annotate(household=Count("members")).order_by("family_name", "given_names", "pk")
    )
    see = disclosure.to(request.user, Registration)
    rows = list(page["object_list"])
    see.audit_listing(rows, reason=_("Registrations"), fields=LISTED)
    page["object_list"] = see.wrap_all(rows)
    context = {
        "filter_form": form,
        "total": queryset.count(),
        "see": see,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "soon": timezone.localdate() + datetime.timedelta(days=services.reminder_days()),
        **page,
    }
    return render(request, "nationals/list.html", context)


@login_required
def registration_detail(request, pk):
    registration = get_object_or_404(
        Registration.objects.for_user(request.user).select_related(
            "organisation", "nationality", "country", "area"
        ),
        pk=pk,
    )
    see = disclosure.to(request.user, registration)
    reason = request.GET.get("reason", "").replace("\x00", "").strip()[:300]
    # Every opening is logged (the reason with it), with the personal fields shown if any.
    audit.record(AuditAction.VIEW, obj=registration, fields=see.shown(registration), reason=reason)
    context = {
        "r": see.wrap(registration),
        "see": see,
        "mask": MASK,
        "reason": reason,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "members": disclosure.to(request.user, HouseholdMember).wrap_all(registration.members.all()),
        "consents": registration.consents.all(),
        "latest_status": services.latest_status(registration),
        "duplicates": suggested_duplicates(registration) if not registration.merged_into_id else [],
    }
    return render(request, "nationals/detail.html", context)


@login_required
def registration_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    registration = get_for_user(Registration, request.user, pk, Action.CHANGE) if pk else None
    if registration is not None and not disclosure.to(request.user, registration).allowed:
        raise PermissionDenied  # no editing what one may not see
    data = request.POST if request.method == "POST" else None
    organisations = writable_organisations(request.user).filter(kind__in=HOLDING_KINDS)
    form = RegistrationForm(data, instance=registration, organisations=organisations, user=request.user)
    members = MemberFormSet(data, instance=registration, prefix="members")
    if data is not None and form.is_valid() and members.is_valid():
        values = form.values()
        household = household_rows(members)
        consents = form.cleaned_data["consents"]
        try:
            if registration is None:
                saved, _created = services.register(
                    request.user, values, consents=consents, household=household, language=get_language()
                )
            else:
                saved = services.update_registration(
                    request.user,
                    registration,
                    values,
                    consents=consents,
                    household=household,
                    language=get_language(),
                    version=form.cleaned_data.get(VERSION_FIELD),
                )
        except services.NoPost as exc:
            form.add_error(None, str(exc))
        except services.Invalid as exc:
            for field, found in exc.errors.items():
                for message in found:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Saved the registration of “%(name)s” with %(post)s.")
                % {"name": saved.full_name, "post": saved.organisation.name},
            )
            if Registration.objects.for_user(request.user).filter(pk=saved.pk).exists():
                return redirect("nationals:detail", pk=saved.pk)
            return redirect("nationals:list")
    if data is None and registration is not None:
        audit.record(
            AuditAction.VIEW,
            obj=registration,
            fields=disclosure.to(request.user, registration).shown(registration),
            reason="edit form",
        )
    return render(
        request, "nationals/form.html", {"form": form, "members": members, "registration": registration}
    )


@login_required
@require_POST
def registration_delete(request, pk):
    """The person withdrew: the registration, household, consents and devices go; the log keeps counts only."""
    require(request.user, AREA, Action.CHANGE)
    registration = get_for_user(Registration, request.user, pk, Action.CHANGE)
    services.erase(Registration.objects.filter(pk=registration.pk), "registration withdrawn")
    messages.success(request, _("The registration and everything attached to it were deleted."))
    return redirect("nationals:list")


@login_required
@require_POST
def registration_renew(request, pk):
    require(request.user, AREA, Action.CHANGE)
    registration = get_for_user(Registration, request.user, pk, Action.CHANGE)
    expires = services.renew(registration)
    messages.success(request, _("Renewed until %(date)s.") % {"date": expires.isoformat()})
    return redirect("nationals:detail", pk=registration.pk)


@login_required
def registration_export(request):
    require(request.user, AREA, Action.VIEW)
    _form, queryset = _filtered(request)
    return export_response(request, RegistrationSchema(), queryset, AREA)


# The duplicates pages are in ``duplicate_views``.
