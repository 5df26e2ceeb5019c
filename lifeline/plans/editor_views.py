"""Pages to edit a checklist template: a new draft version, its sections and questions per content
language, their order, and publishing. Views parse and call ``editing`` / ``services``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.core.forms import LanguageField
from lifeline.core.languages import direction, normalise
from lifeline.core.models import Action, Area
from lifeline.core.names import language_name
from lifeline.core.permissions import require
from lifeline.plans import editing, services
from lifeline.plans.models import Item, Section, TemplateVersion, VersionState
from lifeline.plans.services import shown

AREA = Area.PLANS


class LanguageForm(forms.Form):
    lang = LanguageField(label=gettext_lazy("Writing in"), required=False)


class SectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=editing.MAX_TITLE, required=False)
    guidance = forms.CharField(
        label=gettext_lazy("Guidance"),
        max_length=editing.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ItemForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=editing.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guidance = forms.CharField(
        label=gettext_lazy("Guidance"),
        max_length=editing.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _writing_language(request):
    """The content language being written: ``?lang=`` (a name or a code), else the page's language."""
    wanted = request.POST.get("lang") or request.GET.get("lang") or ""
    if wanted:
        form = LanguageForm({"lang": wanted})
        if form.is_valid() and form.cleaned_data["lang"]:
            return form.cleaned_data["lang"]
    return normalise(get_language() or "en") or "en"


def _version(user, pk):
    """A version of a template the user reads (404 otherwise), which they may edit (403 otherwise)."""
    require(user, AREA, Action.CHANGE)
    version = get_object_or_404(
        TemplateVersion.objects.select_related("template").filter(
            template__in=services.readable_templates(user)
        ),
        pk=pk,
    )
    editing.require_editor(user, version.template)
    return version


def _section(user, pk):
    section = get_object_or_404(Section.objects.select_related("version__template"), pk=pk)
    _version(user, section.version_id)
    return section


def _item(user, pk):
    item = get_object_or_404(Item.objects.select_related("section__version__template"), pk=pk)
    _version(user, item.section.version_id)
    return item


def _editor_url(version, language):
    return reverse("plans:version", args=[version.pk]) + f"?lang={language}"


def _frozen(request, version):
    messages.error(request, _("A published version cannot be changed: make a new version."))
    return redirect(reverse("plans:template", args=[version.template_id]) + f"?version={version.number}")


def _language_context(language):
    return {
        "language": language,
        "language_label": language_name(language),
        "language_dir": direction(language),
        "language_form": LanguageForm(initial={"lang": language}),
    }


def _texts_in(texts, language):
    """The text written in ``language`` (for the form), and what readers of it see now (maybe a fallback)."""
    return dict(texts or {}).get(language, ""), shown(texts, language)


@login_required
@require_POST
def new_draft(request, pk):
    require(request.user, AREA, Action.CHANGE)
    template = get_object_or_404(services.readable_templates(request.user), pk=pk)
    try:
        version = services.new_draft(request.user, template)
    except ValidationError as exc:
        draft = editing.drafts(template).first()
        messages.error(request, " ".join(exc.messages))
        if draft is not None:
            return redirect("plans:version", pk=draft.pk)
        return redirect("plans:template", pk=template.pk)
    messages.success(
        request, _("Version %(number)s is a draft: change it, then publish it.") % {"number": version.number}
    )
    return redirect("plans:version", pk=version.pk)


@login_required
def version(request, pk):
    item = _version(request.user, pk)
    if item.state != VersionState.DRAFT:
        return redirect(reverse("plans:template", args=[item.template_id]) + f"?version={item.number}")
    language = _writing_language(request)
    sections = []
    for section in item.sections.prefetch_related("items"):
        questions = list(section.items.all())
        sections.append(
            {
                "section": section,
                "title": shown(section.title, language),
                "guidance": shown(section.guidance, language),
                "first": not sections,
                "items": [
                    {
                        "item": q,
                        "text": shown(q.text, language),
                        "guidance": shown(q.guidance, language),
                        "first": n == 0,
                        "last": n == len(questions) - 1,
                    }
                    for n, q in enumerate(questions)
                ],
            }
        )
    if sections:
        sections[-1]["last"] = True
    context = {
        "version": item,
        "template": item.template,
        "title": shown(item.template.title, language),
        "sections": sections,
        "missing": sum(
            1 for s in sections for t in [s["title"]] + [i["text"] for i in s["items"]] if t.fallback
        ),
        **_language_context(language),
    }
    return render(request, "plans/version_edit.html", context)


@login_required
@require_POST
def publish(request, pk):
    item = _version(request.user, pk)
    if item.state != VersionState.DRAFT:
        return _frozen(request, item)
    language = _writing_language(request)
    try:
        editing.set_note(request.user, item, request.POST.get("note", "")[:1000])
        services.publish(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_editor_url(item, language))
    messages.success(request, _("Version %(number)s is published.") % {"number": item.number})
    return redirect(reverse("plans:template", args=[item.template_id]) + f"?version={item.number}")


@login_required
@require_POST
def discard(request, pk):
    item = _version(request.user, pk)
    if item.state != VersionState.DRAFT:
        return _frozen(request, item)
    template_id = item.template_id
    editing.discard(request.user, item)
    messages.success(request, _("The draft is deleted."))
    return redirect("plans:template", pk=template_id)


def _edit_page(request, version, form, heading, current, back):
    context = {"version": version, "form": form, "heading": heading, "current": current, "back": back}
    return render(
        request, "plans/text_edit.html", {**context, **_language_context(_writing_language(request))}
    )


@login_required
def section_edit(request, pk=None, version_pk=None):
    section = _section(request.user, pk) if pk else None
    version = section.version if section else _version(request.user, version_pk)
    if version.state != VersionState.DRAFT:
        return _frozen(request, version)
    language = _writing_language(request)
    title, title_now = _texts_in(section.title if section else {}, language)
    guidance, guidance_now = _texts_in(section.guidance if section else {}, language)
    form = SectionForm(request.POST or None, initial={"title": title, "guidance": guidance})
    if request.method == "POST" and form.is_valid():
        try:
            editing.save_section(
                request.user,
                version,
                language,
                form.cleaned_data["title"],
                form.cleaned_data["guidance"],
                section,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_editor_url(version, language))
    heading = _("Edit the section") if section else _("Add a section")
    current = [(_("Title"), title_now), (_("Guidance"), guidance_now)] if section else []
    status = 400 if request.method == "POST" else 200
    response = _edit_page(request, version, form, heading, current, _editor_url(version, language))
    response.status_code = status
    return response


@login_required
def item_edit(request, pk=None, section_pk=None):
    item = _item(request.user, pk) if pk else None
    section = item.section if item else _section(request.user, section_pk)
    version = section.version
    if version.state != VersionState.DRAFT:
        return _frozen(request, version)
    language = _writing_language(request)
    text, text_now = _texts_in(item.text if item else {}, language)
    guidance, guidance_now = _texts_in(item.guidance if item else {}, language)
    form = ItemForm(request.POST or None, initial={"text": text, "guidance": guidance})
    if request.method == "POST" and form.is_valid():
        try:
            editing.save_item(
                request.user,
                section,
                language,
                form.cleaned_data["text"],
                form.cleaned_data["guidance"],
                item,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_editor_url(version, language))
    heading = (
        _("Edit the question")
        if item
        else _("Add a question to “%(section)s”") % {"section": shown(section.title, language).text}
    )
    current = [(_("Question"), text_now), (_("Guidance"), guidance_now)] if item else []
    response = _edit_page(request, version, form, heading, current, _editor_url(version, language))
    if request.method == "POST":
        response.status_code = 400
    return response


def _row_action(request, row, version, move, remove):
    if version.state != VersionState.DRAFT:
        return _frozen(request, version)
    language = _writing_language(request)
    try:
        if remove:
            remove(request.user, row)
            messages.success(request, _("Removed."))
        else:
            move(request.user, row, request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_editor_url(version, language))


@login_required
@require_POST
def section_move(request, pk):
    section = _section(request.user, pk)
    return _row_action(request, section, section.version, editing.move_section, None)


@login_required
@require_POST
def section_remove(request, pk):
    section = _section(request.user, pk)
    return _row_action(request, section, section.version, None, editing.remove_section)


@login_required
@require_POST
def item_move(request, pk):
    item = _item(request.user, pk)
    return _row_action(request, item, item.section.version, editing.move_item, None)


@login_required
@require_POST
def item_remove(request, pk):
    item = _item(request.user, pk)
    return _row_action(request, item, item.section.version, None, editing.remove_item)
