"""Pages of checklists, assessments and the plans register. Views parse and call ``services``."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user, has_perm, may_change, require, writable_organisations
from lifeline.core.registry_views import paginate
from lifeline.core.tabular import table_response
from lifeline.plans import services
from lifeline.plans.forms import PlanForm, StartForm
from lifeline.plans.models import Answer, AnswerRecord, Assessment, Plan
from lifeline.plans.services import shown

AREA = Area.PLANS


def _assessments(user):
    return Assessment.objects.for_user(user).select_related("version__template", "plan", "organisation")


@login_required
def index(request):
    require(request.user, AREA, Action.VIEW)
    templates = [
        {"template": t, "title": shown(t.title), "summary": shown(t.summary), "version": t.published()}
        for t in services.readable_templates(request.user)
    ]
    page = paginate(request, _assessments(request.user))
    scores = services.overall_scores(page["object_list"])
    rows = [
        {
            "assessment": a,
            "title": shown(a.version.template.title),
            "score": scores[a.pk],
        }
        for a in page["object_list"]
    ]
    context = {
        "templates": templates,
        "rows": rows,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        "plans_count": Plan.objects.for_user(request.user).count(),
        **page,
    }
    return render(request, "plans/index.html", context)


@login_required
def template_detail(request, pk):
    template = get_object_or_404(services.readable_templates(request.user), pk=pk)
    version = template.published()
    number = request.GET.get("version", "")
    if number.isdigit():
        version = get_object_or_404(template.versions, number=int(number))
    sections = []
    if version is not None:
        for section in version.sections.prefetch_related("items"):
            sections.append(
                {
                    "title": shown(section.title),
                    "guidance": shown(section.guidance),
                    "items": [
                        {"text": shown(i.text), "guidance": shown(i.guidance)} for i in section.items.all()
                    ],
                }
            )
    context = {
        "template": template,
        "title": shown(template.title),
        "summary": shown(template.summary),
        "version": version,
        "versions": template.versions.all(),
        "sections": sections,
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
    }
    return render(request, "plans/template.html", context)


# The plans register ------------------------------------------------------------------------------


@login_required
def register(request):
    require(request.user, AREA, Action.VIEW)
    queryset = Plan.objects.for_user(request.user).select_related("organisation").prefetch_related("areas")
    context = {"can_change": has_perm(request.user, AREA, Action.CHANGE), **paginate(request, queryset)}
    return render(request, "plans/register.html", context)


@login_required
def plan_detail(request, pk):
    plan = get_for_user(Plan, request.user, pk)
    assessments = list(plan.assessments.select_related("version__template"))
    scores = services.overall_scores(assessments)
    context = {
        "plan": plan,
        "rows": [
            {
                "assessment": a,
                "title": shown(a.version.template.title),
                "score": scores[a.pk],
            }
            for a in assessments
        ],
        "can_change": may_change(request.user, plan),
    }
    return render(request, "plans/plan.html", context)


@login_required
def plan_edit(request, pk=None):
    require(request.user, AREA, Action.CHANGE)
    plan = get_for_user(Plan, request.user, pk, Action.CHANGE) if pk else None
    form = PlanForm(
        request.POST or None,
        request.FILES or None,
        instance=plan,
        organisations=writable_organisations(request.user, AREA),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("areas", "document", "organisation")}
        target = plan or Plan(organisation=form.cleaned_data["organisation"])
        try:
            saved = services.save_plan(
                request.user,
                target,
                data,
                areas=form.cleaned_data["areas"],
                document=request.FILES.get("document"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.title})
            return redirect("plans:plan", pk=saved.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_document(request, pk):
    plan = get_for_user(Plan, request.user, pk)
    return _file(plan.document)


def _file(stored):
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    return FileResponse(
        handle, as_attachment=True, filename=stored.name.rsplit("/", 1)[-1], content_type=content_type
    )


# Assessments -------------------------------------------------------------------------------------


@login_required
def start(request):
    require(request.user, AREA, Action.CHANGE)
    organisations = writable_organisations(request.user, AREA)
    plans = Plan.objects.for_user(request.user, Action.CHANGE)
    initial = None
    chosen = request.GET.get("plan", "")
    if chosen.isdigit():  # "Assess this plan": the plan and its organisation chosen already
        plan = plans.filter(pk=int(chosen)).first()
        initial = {"plan": plan.pk, "organisation": plan.organisation_id} if plan else None
    form = StartForm(
        request.POST or None,
        templates=services.readable_templates(request.user),
        organisations=organisations,
        plans=plans,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.start_assessment(
                request.user, data["organisation"], data["version"], data["plan"], data["assessed_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("plans:section", pk=assessment.pk, number=1)
    return render(request, "plans/start.html", {"form": form})


def _completed(request, item):
    """A completed assessment stays as it was: say so, change nothing."""
    messages.error(request, _("This assessment is completed: start a new one to record changes."))
    return redirect("plans:assessment", pk=item.pk)


def _subject(assessment):
    return assessment.plan.title if assessment.plan_id else assessment.organisation.name


@login_required
def assessment(request, pk):
    item = get_for_user(Assessment, request.user, pk)
    scores = services.section_scores(item)
    earlier = services.previous(item)
    context = {
        "assessment": item,
        "subject": _subject(item),
        "title": shown(item.version.template.title),
        "scores": scores,
        "overall": services.overall(scores),
        "earlier": earlier,
        "progress": services.progress(item, earlier) if earlier else [],
        "can_change": may_change(request.user, item) and not item.is_completed,
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "follow_ups": item.answers.exclude(follow_up="").select_related("item").order_by("due"),
    }
    return render(request, "plans/assessment.html", context)


def _answer_values(request, item_pk):
    post = request.POST
    return {
        "answer": post.get(f"answer-{item_pk}", ""),
        "comment": post.get(f"comment-{item_pk}", "")[:2000],
        "evidence_link": post.get(f"link-{item_pk}", "")[:500],
        "owner": post.get(f"owner-{item_pk}", "")[:200],
        "due": post.get(f"due-{item_pk}", ""),
        "follow_up": post.get(f"follow-{item_pk}", "")[:2000],
    }


@login_required
def section(request, pk, number):
    item = get_for_user(Assessment, request.user, pk)
    sections = list(item.version.sections.all())
    if not 1 <= number <= len(sections):
        raise Http404
    current = sections[number - 1]
    questions = list(current.items.all())
    stored = {a.item_id: a for a in item.answers.filter(item__in=questions)}
    can_change = may_change(request.user, item) and not item.is_completed
    errors = {}
    values = {}
    if request.method == "POST":
        if not can_change:
            if item.is_completed and may_change(request.user, item):
                return _completed(request, item)
            raise PermissionDenied
        try:
            with transaction.atomic():
                for question in questions:
                    values[question.pk] = _answer_values(request, question.pk)
                    try:
                        due = services.parse_date(values[question.pk]["due"])
                        services.save_answer(
                            request.user,
                            item,
                            question,
                            **{**values[question.pk], "due": due},
                            evidence_file=request.FILES.get(f"file-{question.pk}"),
                            remove_file=bool(request.POST.get(f"remove-{question.pk}")),
                        )
                    except ValidationError as exc:
                        errors[question.pk] = exc.messages
                if errors:
                    raise ValidationError("")
        except ValidationError:
            pass
        else:
            if number < len(sections):
                return redirect("plans:section", pk=item.pk, number=number + 1)
            messages.success(request, _("Answers saved."))
            return redirect("plans:assessment", pk=item.pk)
    rows = []
    for question in questions:
        answer = stored.get(question.pk) or AnswerRecord(item=question)
        given = values.get(question.pk)
        rows.append(
            {
                "item": question,
                "text": shown(question.text),
                "guidance": shown(question.guidance),
                "answer": answer,
                "value": given["answer"] if given else answer.answer,
                "given": given,
                "errors": errors.get(question.pk, []),
            }
        )
    context = {
        "assessment": item,
        "subject": _subject(item),
        "title": shown(item.version.template.title),
        "section": current,
        "section_title": shown(current.title),
        "section_guidance": shown(current.guidance),
        "number": number,
        "count": len(sections),
        "rows": rows,
        "choices": Answer.choices,
        "can_change": can_change,
        "has_errors": bool(errors),
    }
    return render(request, "plans/section.html", context, status=400 if errors else 200)


@login_required
@require_POST
def complete(request, pk):
    item = get_for_user(Assessment, request.user, pk, Action.CHANGE)
    try:
        services.complete(request.user, item)
    except ValidationError as exc:
        if item.is_completed:
            return _completed(request, item)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The assessment is completed."))
    return redirect("plans:assessment", pk=item.pk)


@login_required
def export(request, pk, fmt="xlsx"):
    """The assessment as XLSX, DOCX or PDF, in the page's language."""
    require(request.user, AREA, Action.EXPORT)
    item = get_for_user(Assessment, request.user, pk)
    data = services.export_assessment(request.user, item, fmt)
    return table_response(data, fmt, f"assessment-{item.pk}", content_type=services.EXPORT_FORMATS[fmt])


@login_required
def evidence(request, pk, answer):
    item = get_for_user(Assessment, request.user, pk)
    record = get_object_or_404(item.answers, pk=answer)
    return _file(record.evidence_file)
