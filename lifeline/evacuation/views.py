from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core import audit, disclosure
from lifeline.core.disclosure import MASK
from lifeline.core.languages import is_rtl
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import get_for_user, has_perm, people_q, require
from lifeline.core.registry_views import paginate
from lifeline.core.tabular import table_response
from lifeline.crises.models import Crisis
from lifeline.evacuation import manifests, services
from lifeline.evacuation.forms import (
    AreaAssignForm,
    AssemblyPointForm,
    AssignForm,
    ChecklistItemForm,
    StatusForm,
    TransportForm,
)
from lifeline.evacuation.models import (
    AssemblyPoint,
    ChildChecklist,
    Evacuee,
    EvacueeStatus,
    Transport,
)
from lifeline.geo.models import AdminArea
from lifeline.nationals.models import Registration
from lifeline.plans.services import shown

AREA = Area.CRISES
# What the list of a point or a transport shows of each person (what a manifest carries).
PAGE_FIELDS = ("given_names", "family_name", "date_of_birth", "sex", "document_number")
# The buttons at an assembly point, in the order things happen there.
FIELD_STATUSES = [
    EvacueeStatus.CONFIRMED,
    EvacueeStatus.AT_POINT,
    EvacueeStatus.BOARDED,
    EvacueeStatus.ARRIVED,
    EvacueeStatus.NO_SHOW,
]


def _crisis(user, pk, change=False):
    """The crisis if the user sees it (404 otherwise); with ``change``, only if they may run its evacuation."""
    if change:
        require(user, AREA, Action.CHANGE)
    crisis = get_for_user(Crisis, user, pk)
    if change and not services.can_change(user, crisis):
        raise Http404
    return crisis


def _back(request, default):
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _see(user):
    """What of the people on an evacuation the user may see: the registrations' policy (nationals/disclosure.py)."""
    return disclosure.to(user, Registration)


def _audit_people(
    see, registration_ids, reason, action=AuditAction.VIEW, fields=("given_names", "family_name")
):
    """One entry per person shown or exported (if their details were), in one INSERT."""
    see.audit_listing(
        [Registration(pk=rid) for rid in registration_ids], reason, fields=fields, action=action
    )


@login_required
def index(request):
    require(request.user, AREA, Action.VIEW)
    crises = (
        Crisis.objects.for_user(request.user)
        .select_related("organisation", "country")
        .order_by("status", "-started")
    )
    counts = dict(
        Evacuee.objects.filter(crisis__in=crises).values_list("crisis").annotate(n=Count("id")).order_by()
    )
    page = paginate(request, crises)
    for crisis in page["object_list"]:
        crisis.evacuees = counts.get(crisis.pk, 0)
    return render(request, "evacuation/index.html", page)


def _crisis_context(request, crisis, can_change, assign_form=None, area_form=None):
    context = {
        "crisis": crisis,
        "can_change": can_change,
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        **services.overview(crisis),
    }
    # Every place of the crisis is listed with its figures; its list of people opens only for those who reach them.
    for model, key in ((AssemblyPoint, "points"), (Transport, "transports")):
        reached = set(model.objects.for_user(request.user).filter(crisis=crisis).values_list("pk", flat=True))
        for place in context[key]:
            place.opens_list = place.pk in reached
    if can_change:
        areas = AdminArea.objects.filter(id__in=services.members_areas(crisis)).order_by("name")
        context["assign_form"] = assign_form or AssignForm(crisis=crisis)
        context["area_form"] = area_form or AreaAssignForm(crisis=crisis, areas=areas, prefix="area")
    return context


@login_required
def crisis_evacuation(request, pk):
    crisis = _crisis(request.user, pk)
    return render(
        request,
        "evacuation/crisis.html",
        _crisis_context(request, crisis, services.can_change(request.user, crisis)),
    )


@login_required
def unassigned(request, pk):
    """Who is inside the area but not on the evacuation yet, each with a one-tap assignment."""
    crisis = _crisis(request.user, pk)
    page = paginate(request, services.unassigned(crisis).filter(people_q(request.user, AREA)), 50)
    see = _see(request.user)
    rows = list(page["object_list"])
    page["object_list"] = see.wrap_all(rows)
    _audit_people(
        see,
        [r.pk for r in rows],
        _("not yet on the evacuation of crisis #%(id)s") % {"id": crisis.pk},
    )
    can_change = services.can_change(request.user, crisis)
    points = list(AssemblyPoint.objects.filter(crisis=crisis)) if can_change else []
    return render(
        request,
        "evacuation/unassigned.html",
        {"crisis": crisis, "can_change": can_change, "points": points, **page},
    )


@login_required
@require_POST
def assign(request, pk):
    crisis = _crisis(request.user, pk, change=True)
    form = AssignForm(request.POST, crisis=crisis)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign(
                crisis, [data["registration"]], data["assembly_point"], data["transport"], seat=data["seat"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Registration #%(id)s assigned to “%(point)s”.")
                % {"id": data["registration"], "point": data["assembly_point"]},
            )
            return _back(request, reverse("evacuation:crisis", args=[crisis.pk]))
    return render(
        request,
        "evacuation/crisis.html",
        _crisis_context(request, crisis, True, assign_form=form),
        status=400,
    )


@login_required
@require_POST
def assign_area(request, pk):
    crisis = _crisis(request.user, pk, change=True)
    areas = AdminArea.objects.filter(id__in=services.members_areas(crisis))
    form = AreaAssignForm(request.POST, crisis=crisis, areas=areas, prefix="area")
    if form.is_valid():
        data = form.cleaned_data
        try:
            n = services.assign_area(crisis, data["area"], data["assembly_point"], data["transport"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(n)s registrations in %(area)s assigned to “%(point)s”.")
                % {"n": n, "area": data["area"].name, "point": data["assembly_point"]},
            )
            return redirect("evacuation:crisis", pk=crisis.pk)
    return render(
        request, "evacuation/crisis.html", _crisis_context(request, crisis, True, area_form=form), status=400
    )


def _edit(request, model, form_class, crisis, instance, template):
    data = request.POST if request.method == "POST" else None
    kwargs = {"crisis": crisis} if form_class is TransportForm else {}
    form = form_class(data, instance=instance, **kwargs)
    if data is not None and form.is_valid():
        form.instance.crisis = crisis
        saved = form.save()
        messages.success(request, _("Saved “%(name)s”.") % {"name": str(saved)})
        return redirect("evacuation:crisis", pk=crisis.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        template,
        {"form": form, "crisis": crisis, "instance": instance, "model": model._meta},
        status=status,
    )


@login_required
def point_edit(request, crisis_pk=None, pk=None):
    point = get_for_user(AssemblyPoint, request.user, pk, Action.CHANGE) if pk else None
    crisis = _crisis(request.user, point.crisis_id if point else crisis_pk, change=True)
    return _edit(request, AssemblyPoint, AssemblyPointForm, crisis, point, "evacuation/form.html")


@login_required
def transport_edit(request, crisis_pk=None, pk=None):
    transport = get_for_user(Transport, request.user, pk, Action.CHANGE) if pk else None
    crisis = _crisis(request.user, transport.crisis_id if transport else crisis_pk, change=True)
    return _edit(request, Transport, TransportForm, crisis, transport, "evacuation/form.html")


def _people_page(request, place, evacuees, kind):
    crisis = place.crisis
    status = request.GET.get("status")
    if status in EvacueeStatus.values:
        evacuees = evacuees.filter(status=status)
    evacuees = evacuees.select_related(
        "registration", "registration__nationality", "transport", "assembly_point"
    ).annotate(members=Count("registration__members"))
    evacuees = evacuees.order_by("registration__family_name", "registration__given_names", "id")
    page = paginate(request, evacuees, 50)
    see = _see(request.user)
    for evacuee in page["object_list"]:
        evacuee.person = see.wrap(evacuee.registration)
    _audit_people(
        see,
        [e.registration_id for e in page["object_list"]],
        _("evacuation list of %(place)s") % {"place": str(place)},
        fields=PAGE_FIELDS,
    )
    can_change = services.can_change(request.user, crisis)
    context = {
        "place": place,
        "kind": kind,
        "crisis": crisis,
        "see": see,
        "mask": MASK,
        "can_change": can_change,
        "status": status,
        "statuses": EvacueeStatus.choices,
        "field_statuses": [(s, EvacueeStatus(s).label) for s in FIELD_STATUSES],
        "taken": services.places_taken(**{kind: place}),
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        **page,
    }
    return render(request, "evacuation/people.html", context)


@login_required
def point_detail(request, pk):
    point = get_for_user(AssemblyPoint, request.user, pk)
    return _people_page(
        request, point, Evacuee.objects.for_user(request.user).filter(assembly_point=point), "point"
    )


@login_required
def transport_detail(request, pk):
    transport = get_for_user(Transport, request.user, pk)
    evacuees = Evacuee.objects.for_user(request.user).filter(transport=transport)
    return _people_page(request, transport, evacuees, "transport")


@login_required
@require_POST
def evacuee_status(request, pk):
    require(request.user, AREA, Action.CHANGE)
    evacuee = get_for_user(Evacuee, request.user, pk, Action.CHANGE)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses."))
    else:
        try:
            services.set_status(evacuee, form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("#%(id)s: %(status)s.")
                % {"id": evacuee.registration_id, "status": evacuee.get_status_display()},
            )
    return _back(request, reverse("evacuation:point", args=[evacuee.assembly_point_id]))


@login_required
def manifest(request, kind, pk, fmt):
    """The manifest of a point or a transport (CSV, XLSX, PDF, or a page to print); every download is
    audited, personal details (names, dates of birth, sex, document numbers, phones) masked unless allowed."""
    require(request.user, AREA, Action.EXPORT)
    if fmt not in manifests.FORMATS:
        raise Http404
    model = AssemblyPoint if kind == "point" else Transport
    place = get_for_user(model, request.user, pk)
    evacuees = Evacuee.objects.for_user(request.user).filter(
        **{"assembly_point" if kind == "point" else "transport": place}
    )
    see = _see(request.user)
    if kind == "point":
        subtitle = _("Assembly point · %(crisis)s") % {"crisis": place.crisis.name}
    else:
        subtitle = _("%(kind)s to %(destination)s · %(crisis)s") % {
            "kind": place.get_kind_display(),
            "destination": place.destination,
            "crisis": place.crisis.name,
        }
    built = manifests.build(evacuees, _("Manifest: %(place)s") % {"place": str(place)}, subtitle, see)
    data = manifests.render(built, fmt, rtl=is_rtl(get_language()), nonce=getattr(request, "csp_nonce", ""))
    fields = see.columns(manifests.FIELDS)
    reason = _("manifest of %(place)s (%(fmt)s)") % {"place": str(place), "fmt": fmt}
    audit.record(AuditAction.EXPORT, obj=place, fields=fields, reason=reason)  # every download, whoever
    _audit_people(
        see, sorted({row.household for _section, row in built.rows}), reason, AuditAction.EXPORT, fields
    )
    if fmt == "html":  # the page to print, shown in the browser
        return HttpResponse(data, content_type=manifests.FORMATS[fmt])
    return table_response(data, fmt, f"manifest-{kind}-{place.pk}", content_type=manifests.FORMATS[fmt])


def _masked_child(see, row):
    """A child's row (name, age) as the user may see it: the registrations' policy decides."""
    return row if see.allowed else {**row, "name": MASK, "age": None}


@login_required
def children(request, pk):
    crisis = _crisis(request.user, pk)
    can_change = services.can_change(request.user, crisis)
    if can_change:
        services.ensure_checklists(Evacuee.objects.filter(crisis=crisis))
    summary = services.children_summary(crisis, Evacuee.objects.for_user(request.user))
    see = _see(request.user)
    summary["rows"] = [_masked_child(see, row) for row in summary["rows"]]
    _audit_people(
        see,
        sorted({row["checklist"].evacuee.registration_id for row in summary["rows"]}),
        _("children's evacuation list of crisis #%(id)s") % {"id": crisis.pk},
        fields=("name", "date_of_birth"),
    )
    return render(
        request, "evacuation/children.html", {"crisis": crisis, "can_change": can_change, **summary}
    )


def _checklist(user, pk, action=Action.VIEW):
    visible = Evacuee.objects.for_user(user, action)
    return get_object_or_404(
        ChildChecklist.objects.select_related(
            "evacuee__registration",
            "evacuee__crisis",
            "evacuee__assembly_point",
            "member",
            "assessment__version__template",
        ),
        pk=pk,
        evacuee__in=visible,
    )


@login_required
def checklist(request, pk):
    if request.method == "POST":
        require(request.user, AREA, Action.CHANGE)
        item = _checklist(request.user, pk, Action.CHANGE)
        form = ChecklistItemForm(request.POST)
        key = request.POST.get("key", "")
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        else:
            try:
                answered = services.answer_item(
                    request.user, item, key, form.cleaned_data["answer"], form.cleaned_data["note"]
                )
            except ValidationError:
                messages.error(request, _("Choose an item of the checklist."))
            else:
                text = shown(answered.item.text).text if answered else key
                messages.success(request, _("Saved: %(item)s.") % {"item": text})
        return redirect(reverse("evacuation:checklist", args=[item.pk]) + f"#item-{key[:80]}")
    checklist = _checklist(request.user, pk)
    see = _see(request.user)
    who = _masked_child(see, services.describe(checklist))
    audit.record(
        AuditAction.VIEW,
        obj=checklist,
        fields=["name", "date_of_birth", "items"] if see.allowed else ["items"],
        reason=_("child's evacuation checklist"),
    )
    sections = [
        {
            "title": shown(section.title),
            "guidance": shown(section.guidance),
            "items": [
                {"item": item, "text": shown(item.text), "guidance": shown(item.guidance), "answer": answer}
                for item, answer in items
            ],
        }
        for section, items in services.checklist_sections(checklist)
    ]
    answers = [row["answer"] for section in sections for row in section["items"]]
    context = {
        "checklist": checklist,
        "crisis": checklist.evacuee.crisis,
        "who": who,
        "sections": sections,
        "choices": ChecklistItemForm.base_fields["answer"].choices,
        "done": sum(1 for a in answers if a.answer in services.DONE),
        "total": len(answers),
        "version": checklist.assessment.version,
        "template_title": shown(checklist.assessment.version.template.title),
        "can_change": services.can_change(request.user, checklist.evacuee.crisis),
    }
    return render(request, "evacuation/checklist.html", context)
