"""Pages for likely duplicates: the pairs to check, two records side by side, merge (confirmed), "not a
duplicate", and a merge's page with its undo. The rules are ``lifeline.nationals.duplicates``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core import disclosure
from lifeline.core.models import Action, Area
from lifeline.core.permissions import require
from lifeline.core.registry_views import is_id
from lifeline.nationals import duplicates as rules
from lifeline.nationals import services
from lifeline.nationals.models import MergeRecord, Registration

AREA = Area.NATIONALS

# The rows of the side-by-side page: (label, how to read the value, whether it is personal data).
FIELDS = (
    (gettext_lazy("Name"), lambda r: r.full_name, True),
    (gettext_lazy("Date of birth"), lambda r: r.date_of_birth or "", True),
    (gettext_lazy("Nationality"), lambda r: r.nationality.name if r.nationality_id else "", False),
    (
        gettext_lazy("Document"),
        lambda r: f"{r.get_document_type_display()} {r.document_number}".strip(),
        True,
    ),
    (gettext_lazy("Phone"), lambda r: r.phone, True),
    (gettext_lazy("Email"), lambda r: r.email, True),
    (gettext_lazy("Languages"), lambda r: ", ".join(r.languages or []), False),
    (gettext_lazy("Country of stay"), lambda r: r.country.name if r.country_id else "", False),
    (gettext_lazy("Admin area"), lambda r: r.area.shown_name if r.area_id else "", False),
    (gettext_lazy("City or town"), lambda r: r.city, False),
    (gettext_lazy("Address"), lambda r: r.address, True),
    (gettext_lazy("Employer"), lambda r: r.employer, False),
    (gettext_lazy("Registered with"), lambda r: r.organisation.name, False),
    (gettext_lazy("Registered by"), lambda r: r.get_source_display(), False),
    (gettext_lazy("Registered on"), lambda r: r.created.date(), False),
)


def _scoped(user, action=Action.VIEW):
    return Registration.objects.for_user(user, action).select_related(
        "organisation", "nationality", "country", "area"
    )


def _counts(registration):
    """What is attached to a record (counts only): what a merge would move or leave."""
    from django.apps import apps

    counts = []
    labels = {
        "members": _("Household members"),
        "consents": _("Consents"),
        "devices": _("Devices"),
        "status_reports": _("Status reports"),
        "cases": _("Cases"),
        "checkin_answers": _("Check-in answers"),
        "evacuees": _("Places on evacuations"),
    }
    for label, model, field in rules.LINKS:
        if label not in labels:
            continue
        try:
            model = apps.get_model(model)
        except LookupError:
            continue
        counts.append((labels[label], model.objects.filter(**{field: registration}).count()))
    return counts


@login_required
def duplicates(request):
    require(request.user, AREA, Action.VIEW)
    scoped = Registration.objects.for_user(request.user).active()
    pairs = rules.suggested(scoped)
    ids = {pk for a, b, _r in pairs for pk in (a, b)}
    records = scoped.select_related("organisation").in_bulk(ids)
    see = disclosure.to(request.user, Registration)  # names are personal (nationals/disclosure.py)
    pairs = [(a, b, reasons) for a, b, reasons in pairs if a in records and b in records]
    see.audit_listing(
        [records[pk] for pk in {pk for a, b, _r in pairs for pk in (a, b)}],
        reason=_("Likely duplicates"),
        fields=("given_names", "family_name"),
    )
    rows = [
        {"a": see.wrap(records[a]), "b": see.wrap(records[b]), "reasons": reasons} for a, b, reasons in pairs
    ]
    visible = Registration.objects.for_user(request.user).values("pk")
    merges = MergeRecord.objects.filter(keep__in=visible, other__in=visible).select_related(
        "keep", "other", "merged_by"
    )[:20]
    context = {"rows": rows, "can_merge": rules.may_merge(request.user), "merges": merges}
    return render(request, "nationals/duplicates.html", context)


@login_required
def compare(request, a, b):
    """Two registrations side by side (personal data only for who may see it, and audited)."""
    require(request.user, AREA, Action.VIEW)
    scoped = _scoped(request.user).active()
    first, second = get_object_or_404(scoped, pk=a), get_object_or_404(scoped, pk=b)
    if first.pk == second.pk:
        return redirect("nationals:duplicates")
    see = disclosure.to(request.user, Registration)  # nationals/disclosure.py says what is personal
    shown = see.wrap(first), see.wrap(second)
    rows = []
    for label, read, _is_personal in FIELDS:
        left, right = (str(read(record) or "") for record in shown)
        rows.append({"label": label, "a": left, "b": right, "same": left.casefold() == right.casefold()})
    for record in (first, second):
        see.audit(record, reason="duplicates")
    reasons = next((r for x, y, r in services.find_duplicates(first) if {x, y} == {first.pk, second.pk}), [])
    context = {
        "a": first,
        "b": second,
        "rows": rows,
        "counts": list(zip(_counts(first), _counts(second), strict=True)),
        "reasons": reasons,
        "decided": (min(first.pk, second.pk), max(first.pk, second.pk)) in rules.distinct_pairs(),
        "can_merge": rules.may_merge(request.user)
        and _scoped(request.user, Action.CHANGE).filter(pk__in=[first.pk, second.pk]).count() == 2,
    }
    return render(request, "nationals/duplicate_compare.html", context)


def _pair_for_change(request, a, b):
    require(request.user, AREA, Action.CHANGE)
    require(request.user, AREA, Action.PERSONAL)
    scoped = _scoped(request.user, Action.CHANGE).active()
    return get_object_or_404(scoped, pk=a), get_object_or_404(scoped, pk=b)


@login_required
@require_POST
def merge(request):
    """Merge two registrations, once the user confirmed they are the same person."""
    require(request.user, AREA, Action.CHANGE)
    require(request.user, AREA, Action.PERSONAL)
    keep_id, other_id = request.POST.get("keep", ""), request.POST.get("other", "")
    if not other_id:  # the side-by-side page sends the pair and which one to keep
        pair = [request.POST.get("a", ""), request.POST.get("b", "")]
        other_id = next((pk for pk in pair if pk != keep_id), "") if keep_id in pair else ""
    if not (is_id(keep_id) and is_id(other_id)) or keep_id == other_id:
        messages.error(request, _("Choose two different registrations to merge."))
        return redirect("nationals:duplicates")
    keep, other = _pair_for_change(request, keep_id, other_id)
    if not request.POST.get("confirm"):
        messages.error(request, _("Confirm that both registrations are the same person before merging."))
        return redirect("nationals:compare", a=min(keep.pk, other.pk), b=max(keep.pk, other.pk))
    try:
        record = rules.merge(keep, other, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("nationals:duplicates")
    messages.success(
        request, _("Merged registration #%(other)s into #%(keep)s.") % {"other": other.pk, "keep": keep.pk}
    )
    return redirect("nationals:merge_detail", pk=record.pk)


@login_required
@require_POST
def distinct(request, a, b):
    """Not a duplicate: the pair is not suggested again."""
    first, second = _pair_for_change(request, a, b)
    try:
        rules.decide_distinct(first, second, request.user, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("nationals:duplicates")
    messages.success(
        request,
        _("Noted: #%(a)s and #%(b)s are two people. They will not be suggested again.")
        % {"a": first.pk, "b": second.pk},
    )
    return redirect("nationals:duplicates")


def _merge_for(user, pk, action=Action.VIEW):
    visible = Registration.objects.for_user(user, action).values("pk")
    return get_object_or_404(
        MergeRecord.objects.filter(Q(keep__in=visible) & Q(other__in=visible)).select_related(
            "keep", "other", "merged_by", "undone_by"
        ),
        pk=pk,
    )


@login_required
def merge_detail(request, pk):
    require(request.user, AREA, Action.VIEW)
    record = _merge_for(request.user, pk)
    labels = {
        "members": _("Household members"),
        "consents": _("Consents"),
        "devices": _("Devices"),
        "status_reports": _("Status reports"),
        "cases": _("Cases"),
        "push_subscriptions": _("Push subscriptions"),
        "checkin_requests": _("Check-in requests"),
        "checkin_answers": _("Check-in answers"),
        "evacuees": _("Places on evacuations"),
        "advice_subscriptions": _("Travel advice subscriptions"),
    }
    see = disclosure.to(request.user, Registration)
    see.audit_listing(
        [record.keep, record.other], reason=_("Merge of registrations"), fields=("given_names", "family_name")
    )
    context = {
        "record": record,
        "keep": see.wrap(record.keep),
        "other": see.wrap(record.other),
        "kept": [(labels.get(label, label), len(ids)) for label, ids in sorted(record.moved.items())],
        "filled": [str(record.keep._meta.get_field(name).verbose_name) for name in record.filled],
        "can_undo": record.undone_at is None
        and rules.may_merge(request.user)
        and _scoped(request.user, Action.CHANGE).filter(pk__in=[record.keep_id, record.other_id]).count()
        == 2,
    }
    return render(request, "nationals/merge_detail.html", context)


@login_required
@require_POST
def undo_merge(request, pk):
    require(request.user, AREA, Action.CHANGE)
    require(request.user, AREA, Action.PERSONAL)
    record = _merge_for(request.user, pk, Action.CHANGE)
    try:
        rules.undo(record, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("nationals:merge_detail", pk=record.pk)
    messages.success(
        request,
        _("Undone: #%(other)s is a registration of its own again, with what it had.")
        % {"other": record.other_id},
    )
    return redirect("nationals:merge_detail", pk=record.pk)
