"""Every write of plan documents (SOPs and consular contingency plans), and how one becomes a file.

One function per action, each taking the acting user: it checks the role matrix and the user's scope,
refuses bad input with a translated ``ValidationError`` (changing nothing), and is audited. Approval is
the one two-person workflow (``core/approval.py``); approving freezes the live blocks on the approved
version. ``build`` turns a document into ``plans/document.py``'s ``Document`` and ``export`` into a
DOCX or PDF, in any of the six staff languages.
"""

import difflib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lifeline.core import approval, audit
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import has_perm, organisation_ids_for
from lifeline.plans import blocks as live
from lifeline.plans.builder_models import (
    DocumentKind,
    DocumentSection,
    DocumentState,
    DocumentVersion,
    FrozenBlock,
    PlanDocument,
)
from lifeline.plans.document import Document, Heading, Note, Table, Text
from lifeline.plans.outlines import outline, section_outline

AREA = Area.PLANS
FORMATS = ("docx", "pdf")
FROZEN, LIVE = "frozen", "live"
MAX_ACTIONS = 40


def staff_languages():
    return [code for code, _name in settings.STAFF_LANGUAGES]


def _require_organisation(user, organisation_id):
    if not has_perm(user, AREA, Action.CHANGE):
        raise PermissionDenied
    ids = organisation_ids_for(user, AREA)
    if ids is not None and organisation_id not in ids:
        raise PermissionDenied


# Writing ---------------------------------------------------------------------------------------------


def create_document(
    user, organisation, kind, title, language="en", country=None, area=None, review_months=12
):
    """A new draft with the shipped outline's sections (empty), as version 1."""
    _require_organisation(user, organisation.pk)
    if kind not in DocumentKind.values:
        raise ValidationError(_("Choose the kind of plan."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the plan a title."))
    if language not in staff_languages():
        raise ValidationError(_("Choose one of the languages offered."))
    if area is not None and country is not None and area.country_id != country.pk:
        raise ValidationError(_("The area is not in the country chosen."))
    if not 1 <= int(review_months) <= 60:
        raise ValidationError(_("Review the plan at least every 60 months."))
    with transaction.atomic():
        document = PlanDocument.objects.create(
            organisation=organisation,
            kind=kind,
            title=title[:200],
            language=language,
            country=country,
            area=area,
            review_months=review_months,
            created_by=user,
        )
        DocumentSection.objects.bulk_create(
            DocumentSection(document=document, key=item.key, position=position)
            for position, item in enumerate(outline(kind), start=1)
        )
        _new_version(document, user, _("Created."))
    return document


def clean_actions(actions):
    """A phase's actions as stored: [{"text", "role", "timing"}], rows without text left out."""
    cleaned = []
    for action in actions or []:
        text = str(action.get("text", "")).strip()
        role = str(action.get("role", "")).strip()
        timing = str(action.get("timing", "")).strip()
        if not text:
            if role or timing:
                raise ValidationError(_("Each action needs its text (what is to be done)."))
            continue
        if len(text) > 500 or len(role) > 120 or len(timing) > 120:
            raise ValidationError(
                _("An action is too long: keep it under 500 characters, its role and timing under 120.")
            )
        cleaned.append({"text": text, "role": role, "timing": timing})
    if len(cleaned) > MAX_ACTIONS:
        raise ValidationError(_("A phase holds at most %(n)s actions.") % {"n": MAX_ACTIONS})
    return cleaned


def save_section(user, document, key, text, actions=None, note=""):
    """Change one section's Markdown (and a phase's actions): a new numbered version. Editing a submitted
    document withdraws the submission; editing an approved one reopens it as a draft (the approved version
    stays what exports of the approved plan print). Returns the section."""
    _require_organisation(user, document.organisation_id)
    section = document.sections.filter(key=key).first()
    if section is None:
        raise ValidationError(_("This plan has no such section."))
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > 50000:
        raise ValidationError(_("The section is too long: keep it under 50,000 characters."))
    unknown = live.unknown_keys(text)
    if unknown:
        raise ValidationError(
            _("Unknown live block: %(keys)s. Insert blocks with the list below the text.")
            % {"keys": ", ".join(unknown)}
        )
    item = section_outline(document.kind, key)
    actions = clean_actions(actions) if item is not None and item.phase else []
    if section.text == text and section.actions == actions:
        return section
    with transaction.atomic():
        if document.state == DocumentState.PUBLISHED:
            _reopen(document, user)
        approval.record_change(document, user)
        section.text, section.actions = text, actions
        section.save()
        _new_version(
            document, user, note or _("Changed: %(section)s") % {"section": item.title if item else key}
        )
    return section


def _reopen(document, user):
    """An approved document is edited: it is a draft again, with nobody's contribution yet; the approved
    version stays on record (and is what an export of the approved plan prints)."""
    claimed = PlanDocument.objects.filter(
        pk=document.pk, state=DocumentState.PUBLISHED, revision=document.revision
    ).update(state=DocumentState.DRAFT, revision=F("revision") + 1, submitted_by=None, submitted_at=None)
    if not claimed:
        raise ValidationError(_("Someone else changed this item meanwhile: reload the page and try again."))
    document.state, document.revision = DocumentState.DRAFT, document.revision + 1
    document.submitted_by = document.submitted_at = None
    if hasattr(document, "_loaded"):
        document._loaded.update(state=document.state, revision=document.revision, submitted_by_id=None)
    document.contributors.clear()
    audit.record(
        AuditAction.UPDATE, obj=document, fields=["state"], user=user, reason=_("Reopened for revision.")
    )


def snapshot(document):
    return {
        "title": document.title,
        "sections": [
            {"key": s.key, "text": s.text, "actions": list(s.actions or [])}
            for s in document.sections.order_by("position")
        ],
    }


def _new_version(document, user, note):
    last = document.versions.aggregate(n=Max("number"))["n"] or 0
    return DocumentVersion.objects.create(
        document=document, number=last + 1, content=snapshot(document), note=str(note)[:300], created_by=user
    )


# The two-person workflow -------------------------------------------------------------------------------


def _ready(document):
    if not any((s.text or "").strip() or s.actions for s in document.sections.all()):
        raise ValidationError(_("Write at least one section before sending the plan for approval."))


def submit(user, document):
    return approval.submit(document, user, check=_ready)


def return_to_draft(user, document):
    return approval.return_to_draft(document, user)


def approve(user, document):
    """A second person approves: the latest version becomes the approved one, its live blocks frozen as
    they read now (in every staff language), with the time."""

    def _freeze(item):
        version = item.versions.order_by("-number").first()
        freeze(user, item, version)
        PlanDocument.objects.filter(pk=item.pk).update(approved_version=version)
        item.approved_version = version

    return approval.approve(document, user, publish=_freeze)


def freeze(user, document, version):
    """Store each live block named in ``version`` as it reads now for ``user``, in every staff language."""
    now = timezone.now()
    keys = []
    for section in version.content["sections"]:
        for key in live.keys_in(section["text"]):
            if key not in keys:
                keys.append(key)
    for key in keys:
        tables = {lang: live.dump(live.render(key, user, document, lang)) for lang in staff_languages()}
        FrozenBlock.objects.update_or_create(
            version=version, key=key, defaults={"tables": tables, "data_as_of": now}
        )


def due_for_review(user, today=None):
    """The approved documents of the user's scope whose review date has come."""
    today = today or timezone.localdate()
    documents = (
        PlanDocument.objects.for_user(user, Action.CHANGE)
        .filter(approved_version__isnull=False)
        .select_related("approved_version")
    )
    return [d for d in documents if d.is_due_for_review(today)]


def send_review_reminders(today=None):
    """Email, once per review date, those who may change each plan that has become due for review (in their
    own language). Returns how many emails were sent."""
    from django.contrib.auth import get_user_model
    from django.core import mail

    from lifeline.core.models import Organisation

    today = today or timezone.localdate()
    sent = 0
    documents = PlanDocument.objects.filter(approved_version__isnull=False).select_related(
        "approved_version", "organisation"
    )
    for document in documents:
        due = document.review_due
        if due is None or due > today or (document.review_reminded_on and document.review_reminded_on >= due):
            continue
        organisation_ids, current = [], document.organisation
        while current is not None and current.pk not in organisation_ids:
            organisation_ids.append(current.pk)
            current = Organisation.objects.filter(pk=current.parent_id).first() if current.parent_id else None
        users = (
            get_user_model()
            .objects.filter(is_active=True, profile__organisation_id__in=organisation_ids)
            .exclude(email="")
            .select_related("profile")
            .order_by("pk")
        )
        messages = []
        for user in users:
            if not PlanDocument.objects.for_user(user, Action.CHANGE).filter(pk=document.pk).exists():
                continue
            with translation.override(user.profile.language or settings.LANGUAGE_CODE):
                values = {
                    "title": document.title,
                    "due": formats.date_format(due, "SHORT_DATE_FORMAT"),
                    "url": settings.SITE_URL.rstrip("/") + document.get_absolute_url(),
                }
                subject = _("Due for review: %(title)s") % values
                body = "\n\n".join(
                    [
                        _("The plan “%(title)s” was due for review on %(due)s.") % values,
                        _(
                            "Check that it still holds, change what no longer does, and send it for approval: %(url)s"
                        )
                        % values,
                    ]
                )
            messages.append(mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        if messages:
            with mail.get_connection() as connection:
                sent += connection.send_messages(messages) or 0
        PlanDocument.objects.filter(pk=document.pk).update(review_reminded_on=today)
    return sent


# Versions and their differences ------------------------------------------------------------------------


def version_text(document, content, language=None):
    """A version as plain text (headings in ``language``), line by line: what a diff compares."""
    lines = [f"# {content.get('title', '')}"]
    with translation.override(language or translation.get_language() or "en"):
        for section in content.get("sections", []):
            item = section_outline(document.kind, section["key"])
            lines.append("")
            lines.append(f"## {item.title if item else section['key']}")
            lines.extend((section.get("text") or "").splitlines())
            for action in section.get("actions") or []:
                detail = " · ".join(v for v in (action.get("role"), action.get("timing")) if v)
                lines.append(f"- [{detail}] {action['text']}" if detail else f"- {action['text']}")
    return lines


def diff(document, older, newer, language=None):
    """[(kind, line)] from version ``older`` to ``newer``: kind "same", "added", "removed" or "gap"."""
    a = version_text(document, older.content, language)
    b = version_text(document, newer.content, language)
    out = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(2):
        if out:
            out.append(("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(("same", line) for line in a[i1:i2])
            else:
                out.extend(("removed", line) for line in a[i1:i2])
                out.extend(("added", line) for line in b[j1:j2])
    return out


# Building and exporting ------------------------------------------------------------------------------


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _section_blocks(document, item, section, render_block):
    out = [Heading(str(item.title) if item else section["key"], 1)]
    for kind, value in live.split(section.get("text") or ""):
        if kind == "text":
            out.append(Text(value))
        else:
            out.extend(render_block(value))
    if item is not None and item.phase:
        rows = [
            [a["text"], a.get("role") or "—", a.get("timing") or "—"] for a in section.get("actions") or []
        ]
        out.append(
            Table(
                [_("Action"), _("Responsible"), _("Timing")],
                rows,
                _("Actions of this phase"),
                _("No actions yet."),
            )
        )
    return out


def build(user, document, language, data=LIVE):
    """The ``Document`` of a plan in ``language``. ``data``: FROZEN prints the approved version with the
    blocks as they were approved; LIVE prints the current text with the blocks read now, and says so on
    every page."""
    if language not in staff_languages():
        raise ValidationError(_("Choose one of the languages offered."))
    if data == FROZEN and document.approved_version_id is None:
        raise ValidationError(_("This plan has no approved version yet: export it with the data of today."))
    with translation.override(language):
        if data == FROZEN:
            version = document.approved_version
            content = version.content
            frozen = {f.key: f for f in version.frozen_blocks.all()}

            def render_block(key):
                block = frozen.get(key)
                if block is None:
                    return [Note(_("Unknown block “%(key)s”.") % {"key": key})]
                if not live.may_see(user, key):
                    return [live.withheld()]
                tables = block.tables.get(language) or next(iter(block.tables.values()), [])
                return [
                    *live.load(tables),
                    Note(_("Data as of %(when)s.") % {"when": _when(block.data_as_of)}),
                ]

            approved = _when(document.published_at or version.created)
            footer = _("Approved version %(n)s (%(when)s). Tables show the data as approved.") % {
                "n": version.number,
                "when": approved,
            }
        else:
            content = snapshot(document)
            version = document.versions.order_by("-number").first()
            now = timezone.now()

            def render_block(key):
                return live.render(key, user, document, language)

            state = document.get_state_display()
            footer = _(
                "%(state)s, version %(n)s. Data refreshed at export on %(when)s, not the data approved."
            ) % {
                "state": state,
                "n": version.number if version else 0,
                "when": _when(now),
            }
        blocks = []
        for section in content["sections"]:
            blocks.extend(
                _section_blocks(
                    document, section_outline(document.kind, section["key"]), section, render_block
                )
            )
        return Document(
            title=content.get("title") or document.title,
            language=language,
            organisation=document.organisation,
            subtitle=f"{document.get_kind_display()} · {document.organisation.name}",
            footer=footer,
            blocks=blocks,
        )


def export(user, document, language, fmt, data=LIVE, system=False):
    """The bytes of a DOCX or PDF of the plan, and a file name; the export is audited. ``system``: an
    operator's command with no user, which exports only the approved version (its tables as frozen, the
    restricted annex withheld)."""
    from lifeline.plans.document import to_docx, to_pdf

    if system:
        if user is not None or data != FROZEN:
            raise PermissionDenied
    elif (
        not has_perm(user, AREA, Action.EXPORT)
        or not PlanDocument.objects.for_user(user).filter(pk=document.pk).exists()
    ):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValidationError(_("Choose DOCX or PDF."))
    built = build(user, document, language, data)
    content = to_docx(built) if fmt == "docx" else to_pdf(built)
    audit.record(
        AuditAction.EXPORT,
        obj=document,
        fields=[],
        user=user,
        reason=f"{fmt} {language} {data}",
    )
    return content, f"plan-{document.pk}-{language}.{fmt}"


def may_export_frozen(document):
    return document.approved_version_id is not None
