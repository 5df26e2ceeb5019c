"""Pages of plan documents (SOPs, consular contingency plans): list, create, write a section (with live
blocks and a preview), versions and their differences, approval, and the DOCX/PDF export. Views parse
and call ``plans/builders.py``."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lifeline.core import approval
from lifeline.core.forms import CountryChoiceField, offer_countries, offer_organisations
from lifeline.core.models import Action, Area
from lifeline.core.permissions import get_for_user, has_perm, may_change, require, writable_organisations
from lifeline.core.registry_views import paginate
from lifeline.geo.models import AdminArea
from lifeline.plans import blocks as live
from lifeline.plans import builders
from lifeline.plans.builder_models import DocumentKind, PlanDocument
from lifeline.plans.document import Heading, Note, Table, Text, markdown_html
from lifeline.plans.outlines import outline, section_outline

AREA = Area.PLANS
EMPTY_ACTION_ROWS = 3


class DocumentForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Organisation"))
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=gettext_lazy("Kind"))
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    language = forms.ChoiceField(choices=settings.STAFF_LANGUAGES, label=gettext_lazy("Language of the text"))
    country = CountryChoiceField(queryset=None, required=False, label=gettext_lazy("Country"))
    area = forms.ModelChoiceField(
        queryset=AdminArea.objects.none(),
        required=False,
        label=gettext_lazy("Area"),
        help_text=gettext_lazy("Leave empty for the whole country."),
    )
    review_months = forms.IntegerField(
        min_value=1, max_value=60, initial=12, label=gettext_lazy("Review every (months)")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self.fields["organisation"], organisations)
        offer_countries(self.fields["country"], preselect=True, organisations=organisations)
        self.fields["area"].queryset = (
            AdminArea.objects.filter(level=1).select_related("country").order_by("country", "name")
        )
        self.fields["area"].label_from_instance = lambda a: a.shown_name


def _documents(user):
    return PlanDocument.objects.for_user(user).select_related("organisation", "approved_version")


@login_required
def documents(request):
    require(request.user, AREA, Action.VIEW)
    context = {
        "can_change": has_perm(request.user, AREA, Action.CHANGE),
        **paginate(request, _documents(request.user)),
    }
    return render(request, "plans/documents/list.html", context)


@login_required
def document_create(request):
    require(request.user, AREA, Action.CHANGE)
    form = DocumentForm(request.POST or None, organisations=writable_organisations(request.user, AREA))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = builders.create_document(
                    request.user,
                    data["organisation"],
                    data["kind"],
                    data["title"],
                    data["language"],
                    country=data["country"],
                    area=data["area"],
                    review_months=data["review_months"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The plan is created. Write its sections one by one."))
                return redirect("plans:document", pk=document.pk)
        status = 400
    return render(request, "plans/documents/form.html", {"form": form}, status=status)


def _sections(document):
    stored = {s.key: s for s in document.sections.all()}
    return [{"outline": item, "section": stored.get(item.key)} for item in outline(document.kind)]


@login_required
def document_detail(request, pk):
    document = get_for_user(PlanDocument, request.user, pk)
    can_change = may_change(request.user, document)
    context = {
        "document": document,
        "sections": _sections(document),
        "can_change": can_change,
        "can_submit": can_change and document.state == "draft",
        "can_return": can_change and document.state == "awaiting",
        "can_approve": approval.may_approve(document, request.user),
        "is_contributor": request.user.pk in approval.contributor_ids(document),
        "can_export": has_perm(request.user, AREA, Action.EXPORT),
        "languages": settings.STAFF_LANGUAGES,
        "due": document.is_due_for_review(),
        "last_version": document.versions.order_by("-number").first(),
    }
    return render(request, "plans/documents/detail.html", context)


def _actions_from(post):
    actions, index = [], 0
    while f"action-text-{index}" in post:
        actions.append(
            {
                "text": post.get(f"action-text-{index}", ""),
                "role": post.get(f"action-role-{index}", ""),
                "timing": post.get(f"action-timing-{index}", ""),
            }
        )
        index += 1
    return actions


def _preview(request, document, text):
    """HTML parts of a section's text with its live blocks read now (for the preview)."""
    parts = []
    for kind, value in live.split(text):
        if kind == "text":
            parts.extend(_shown([Text(value)]))
        else:
            parts.extend(_shown(live.render(value, request.user, document, document.language)))
    return parts


def _shown(blocks):
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append({"kind": "heading", "text": block.text})
        elif isinstance(block, Text):
            out.append({"kind": "html", "html": markdown_html(block.markdown)})
        elif isinstance(block, Table):
            out.append({"kind": "table", "table": block})
        elif isinstance(block, Note):
            out.append({"kind": "note", "text": block.text})
    return out


@login_required
def section_edit(request, pk, key):
    document = get_for_user(PlanDocument, request.user, pk)
    item = section_outline(document.kind, key)
    section = document.sections.filter(key=key).first()
    if item is None or section is None:
        raise Http404
    can_change = may_change(request.user, document)
    text, actions = section.text, list(section.actions or [])
    preview, errors, status = None, [], 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        text = request.POST.get("text", "").replace("\r\n", "\n")
        actions = _actions_from(request.POST)
        if "insert" in request.POST:
            key_wanted = request.POST.get("block", "")
            if key_wanted in live.BLOCKS:
                text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + live.marker(key_wanted) + "\n"
            else:
                errors.append(_("Choose a block to insert."))
                status = 400
        elif "preview" in request.POST:
            if live.unknown_keys(text):
                errors.append(
                    _("Unknown live block: %(keys)s. Insert blocks with the list below the text.")
                    % {"keys": ", ".join(live.unknown_keys(text))}
                )
                status = 400
            else:
                preview = _preview(request, document, text)
        else:
            try:
                builders.save_section(
                    request.user, document, key, text, actions, note=request.POST.get("note", "")
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
                status = 400
            else:
                messages.success(request, _("Section saved."))
                return redirect("plans:document", pk=document.pk)
    offered = [live.BLOCKS[k] for k in item.blocks if k in live.BLOCKS]
    others = [b for k, b in live.BLOCKS.items() if k not in item.blocks]
    context = {
        "document": document,
        "item": item,
        "text": text,
        "action_rows": (
            [*actions, *({"text": "", "role": "", "timing": ""} for _ in range(EMPTY_ACTION_ROWS))]
            if item.phase
            else []
        ),
        "blocks_offered": offered + others,
        "preview": preview,
        "errors": errors,
        "can_change": can_change,
        "awaiting": document.state == "awaiting",
        "approved": document.state == "published",
    }
    return render(request, "plans/documents/section.html", context, status=status)


@login_required
def document_preview(request, pk):
    document = get_for_user(PlanDocument, request.user, pk)
    language = request.GET.get("lang") or document.language
    data = request.GET.get("data", builders.LIVE)
    try:
        built = builders.build(request.user, document, language, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:document", pk=document.pk)
    context = {"document": document, "built": built, "parts": _shown(built.blocks), "data": data}
    return render(request, "plans/documents/preview.html", context)


@login_required
def versions(request, pk):
    document = get_for_user(PlanDocument, request.user, pk)
    all_versions = list(document.versions.select_related("created_by"))
    by_number = {v.number: v for v in all_versions}
    changes, older, newer = None, None, None
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a or b:
        if not (a.isdigit() and b.isdigit()) or int(a) not in by_number or int(b) not in by_number:
            messages.error(request, _("Choose two versions of this plan."))
        else:
            older, newer = by_number[int(a)], by_number[int(b)]
            changes = builders.diff(document, older, newer)
    elif len(all_versions) > 1:
        older, newer = all_versions[1], all_versions[0]
        changes = builders.diff(document, older, newer)
    context = {
        "document": document,
        "versions": all_versions,
        "changes": changes,
        "older": older,
        "newer": newer,
    }
    return render(request, "plans/documents/versions.html", context)


STEPS = {
    "submit": (builders.submit, gettext_lazy("Sent for approval.")),
    "return": (builders.return_to_draft, gettext_lazy("Sent back to draft.")),
    "approve": (builders.approve, gettext_lazy("Approved. The live blocks are frozen as they read now.")),
}


@login_required
@require_POST
def document_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    document = get_object_or_404(PlanDocument.objects.for_user(request.user), pk=pk)
    function, done = STEPS[step]
    try:
        function(request.user, document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:document", pk=document.pk)
    messages.success(request, str(done))
    return redirect("plans:document", pk=document.pk)


@login_required
def document_export(request, pk):
    require(request.user, AREA, Action.EXPORT)
    document = get_for_user(PlanDocument, request.user, pk)
    fmt = request.GET.get("format", "docx")
    language = request.GET.get("lang") or document.language
    data = request.GET.get("data") or (builders.FROZEN if document.approved_version_id else builders.LIVE)
    if data not in (builders.FROZEN, builders.LIVE):
        data = builders.LIVE
    try:
        content, name = builders.export(request.user, document, language, fmt, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:document", pk=document.pk)
    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
