from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.communities import kobo, services
from lifeline.communities.forms import CommunityFilterForm, CommunityProfileForm
from lifeline.communities.models import CommunityProfile
from lifeline.communities.tabular import CommunitySchema
from lifeline.communities.xlsform import FORM_ID, build_xlsform
from lifeline.core.forms import show_invalid
from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user, has_perm, may_change, require, writable_organisations
from lifeline.core.registry_views import export_response, import_page, is_id, paginate
from lifeline.core.tabular import table_response
from lifeline.core.versions import FIELD as VERSION_FIELD
from lifeline.directory.models import KeyContact

AREA = Area.COMMUNITIES


def _filtered(request, shared=True):
    """The profiles the user reads (``readable_by``: shared knowledge included), or only their own scope's."""
    manager = CommunityProfile.objects
    queryset = (
        manager.readable_by(request.user) if shared else manager.for_user(request.user)
    ).prefetch_related("origin_countries", "languages", "areas", "focal_points")
    form = CommunityFilterForm(request.GET or None)
    if form.is_valid():
        queryset = services.search_communities(queryset, **form.cleaned_data)
    return form, queryset


@login_required
def index(request):
    require(request.user, AREA, Action.VIEW)
    form, queryset = _filtered(request)
    page = paginate(request, queryset)
    context = {
        "filter_form": form,
        "total": queryset.count(),
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "visible_contacts": _visible_contacts(
            request.user, [c for p in page["object_list"] for c in p.focal_points.all()]
        ),
        **page,
    }
    return render(request, "communities/list.html", context)


def _visible_contacts(user, contacts):
    """Ids of the linked contacts the user may open; others show as "a focal point", never by name."""
    return set(
        KeyContact.objects.for_user(user).filter(pk__in=[c.pk for c in contacts]).values_list("pk", flat=True)
    )


@login_required
def detail(request, pk):
    profile = get_object_or_404(CommunityProfile.objects.readable_by(request.user), pk=pk)
    linked = list(profile.focal_points.all()) + list(profile.reached_by.all())
    context = {
        "profile": profile,
        "can_change": may_change(request.user, profile),
        "visible_contacts": _visible_contacts(request.user, linked),
    }
    return render(request, "communities/detail.html", context)


@login_required
def edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    profile = get_for_user(CommunityProfile, request.user, pk, Action.CHANGE) if pk else None
    form = CommunityProfileForm(
        request.POST or None,
        instance=profile,
        organisations=writable_organisations(request.user),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.FIELDS if name in form.cleaned_data}
        try:
            saved = services.save_profile(
                request.user,
                profile,
                values,
                note=form.cleaned_data["note"],
                version=form.cleaned_data.get(VERSION_FIELD),
            )
        except services.Invalid as exc:
            show_invalid(exc.errors, form)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
            return redirect("communities:detail", pk=saved.pk)
    return render(request, "communities/form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def delete(request, pk):
    profile = get_for_user(CommunityProfile, request.user, pk, Action.CHANGE)
    name = profile.name
    try:
        services.delete_profile(request.user, profile)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("communities:detail", pk=profile.pk)
    messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
    return redirect("communities:list")


@login_required
def versions(request, pk):
    profile = get_for_user(CommunityProfile, request.user, pk)
    context = {"profile": profile, **paginate(request, profile.versions.select_related("created_by"))}
    return render(request, "communities/versions.html", context)


@login_required
def version(request, pk, number):
    profile = get_for_user(CommunityProfile, request.user, pk)
    shown = get_object_or_404(profile.versions.select_related("created_by"), number=number)
    context = {"profile": profile, "version": shown, "rows": services.version_rows(shown)}
    return render(request, "communities/version.html", context)


@login_required
def compare(request, pk):
    profile = get_for_user(CommunityProfile, request.user, pk)
    numbers = sorted(int(n) for n in (request.GET.get("a", ""), request.GET.get("b", "")) if is_id(n))
    if len(numbers) != 2:  # by default, the latest change
        numbers = sorted(profile.versions.values_list("number", flat=True)[:2])
    if len(numbers) != 2:
        messages.info(request, _("A profile needs two versions to compare."))
        return redirect("communities:versions", pk=profile.pk)
    older = get_object_or_404(profile.versions.select_related("created_by"), number=numbers[0])
    newer = get_object_or_404(profile.versions.select_related("created_by"), number=numbers[1])
    rows = services.compare(older, newer)
    context = {
        "profile": profile,
        "older": older,
        "newer": newer,
        "rows": rows,
        "changes": sum(r.changed for r in rows),
    }
    return render(request, "communities/compare.html", context)


@login_required
def export(request):
    require(request.user, AREA, Action.VIEW)
    _form, queryset = _filtered(request, shared=False)  # the export names focal points: own scope only
    return export_response(request, CommunitySchema(), queryset, AREA)


@login_required
def import_profiles(request):
    require(request.user, AREA, Action.CHANGE)
    note = ""
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        request.FILES["file"] = kobo.kobo_upload(upload)
        note = _("Imported from a Kobo/ODK form") if request.FILES["file"] is not upload else ""
    # Contact names are matched among the key contacts of the organisation chosen in the form.
    chosen = request.POST.get("organisation", "")
    organisation = writable_organisations(request.user).filter(pk=chosen).first() if is_id(chosen) else None
    return import_page(
        request, CommunitySchema(organisation, version_note=note), AREA, reverse("communities:list")
    )


@login_required
def xlsform(request):
    require(request.user, AREA, Action.VIEW)
    return table_response(build_xlsform(), "xlsx", FORM_ID)
