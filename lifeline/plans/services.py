"""Every write of the plans app, and the rules it reads by: one function per action.

Pages, commands and the demo call these; each checks the user's right on the record's
organisation, refuses bad input with a translated ``ValidationError`` (changing nothing),
and leaves an audit entry (the models are ``Audited``; template versions log their own).
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.languages import direction, normalise, pick, pick_language
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import has_perm, organisation_ids_for
from lifeline.plans.models import (
    ANSWER_POINTS,
    Answer,
    AnswerRecord,
    Assessment,
    AssessmentState,
    ChecklistTemplate,
    Item,
    Plan,
    Section,
    TemplateVersion,
    VersionState,
)

AREA = Area.PLANS
SHIPPED = Path(__file__).resolve().parent / "shipped"
# Evidence and plan documents: what a planner attaches, not what a browser runs.
FILE_TYPES = {"pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "txt", "png", "jpg", "jpeg"}
MAX_FILE_BYTES = 10 * 1024 * 1024


# Texts of templates: any content language, and the reader is told when it is not theirs -----------


@dataclass
class Shown:
    """A template text as one reader sees it: the text, its language, and whether it is a fallback."""

    text: str
    language: str
    fallback: bool

    @property
    def dir(self):
        return direction(self.language)

    @property
    def language_label(self):
        from lifeline.core.names import language_name

        return language_name(self.language)

    def __str__(self):
        return self.text


def shown(texts, language=None):
    """``texts`` ({language: text}) for a reader of ``language`` (the active one by default), by the one
    fallback rule (``core.languages.pick``); ``fallback`` is true when the text is in another language."""
    language = language or get_language() or "en"
    if not texts:
        return Shown("", language, False)
    chosen = pick_language(texts, [language])
    fallback = (normalise(chosen) or chosen).split("-")[0] != (normalise(language) or language).split("-")[0]
    return Shown(pick(texts, [language]), chosen, fallback)


# Templates and their versions --------------------------------------------------------------------


def _content(version):
    """A version's sections and items as plain data (to compare with a shipped file)."""
    return [
        {
            "key": section.key,
            "title": dict(section.title),
            "guidance": dict(section.guidance or {}),
            "items": [
                {"key": item.key, "text": dict(item.text), "guidance": dict(item.guidance or {})}
                for item in section.items.order_by("position")
            ],
        }
        for section in version.sections.order_by("position")
    ]


def _shipped_content(data):
    return [
        {
            "key": section["key"],
            "title": section["title"],
            "guidance": section.get("guidance") or {},
            "items": [
                {"key": item["key"], "text": item["text"], "guidance": item.get("guidance") or {}}
                for item in section["items"]
            ],
        }
        for section in data["sections"]
    ]


def _fill(version, sections, section_model=Section, item_model=Item):
    for position, section in enumerate(sections, start=1):
        row = section_model.objects.create(
            version=version,
            key=section["key"],
            position=position,
            title=section["title"],
            guidance=section.get("guidance") or {},
        )
        item_model.objects.bulk_create(
            item_model(
                section=row,
                key=item["key"],
                position=number,
                text=item["text"],
                guidance=item.get("guidance") or {},
            )
            for number, item in enumerate(section["items"], start=1)
        )


def load_shipped(apps=None):
    """Load the shipped templates (``shipped/*.json``): a template that is new, or whose text changed,
    gets a new published version; one that did not change is left alone. Returns the keys loaded.

    ``apps`` is a migration's app registry (the data migration calls this too)."""
    get = apps.get_model if apps is not None else None
    template_model = get("plans", "ChecklistTemplate") if get else ChecklistTemplate
    version_model = get("plans", "TemplateVersion") if get else TemplateVersion
    section_model = get("plans", "Section") if get else Section
    item_model = get("plans", "Item") if get else Item
    loaded = []
    for path in sorted(SHIPPED.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            template, _created = template_model.objects.update_or_create(
                key=data["key"],
                defaults={
                    "organisation": None,
                    "stream": data["stream"],
                    "title": data["title"],
                    "summary": data.get("summary") or {},
                },
            )
            newest = version_model.objects.filter(template=template).order_by("-number").first()
            wanted = _shipped_content(data)
            if newest is not None and _content(newest) == wanted:
                continue
            version = version_model.objects.create(
                template=template,
                number=(newest.number + 1) if newest else 1,
                note=data.get("note", ""),
            )
            _fill(version, wanted, section_model, item_model)
            version.state = VersionState.PUBLISHED
            version.published_at = timezone.now()
            version.save()
            loaded.append(data["key"])
    return loaded


def readable_templates(user):
    """Templates the user reads: shipped ones and those of organisations in their scope."""
    if not has_perm(user, AREA, Action.VIEW):
        return ChecklistTemplate.objects.none()
    ids = organisation_ids_for(user, AREA)
    queryset = ChecklistTemplate.objects.all()
    if ids is not None:
        queryset = queryset.filter(Q(organisation__isnull=True) | Q(organisation_id__in=ids))
    return queryset


def new_draft(user, template):
    """A draft version copied from the newest one, for an administrator to edit; published ones stay as they are."""
    if not has_perm(user, AREA, Action.CHANGE) or (
        template.organisation_id is None and not has_perm(user, Area.SETTINGS, Action.CHANGE)
    ):
        raise PermissionDenied
    if template.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("This template already has a draft version."))
    newest = template.versions.order_by("-number").first()
    with transaction.atomic():
        version = TemplateVersion.objects.create(
            template=template, number=(newest.number + 1) if newest else 1
        )
        if newest is not None:
            _fill(version, _content(newest))
        audit.record(AuditAction.CREATE, obj=version, fields=["number"])
    return version


def publish(user, version):
    """Freeze a draft version: from now on assessments may use it and nothing in it changes."""
    if not has_perm(user, AREA, Action.CHANGE) or (
        version.template.organisation_id is None and not has_perm(user, Area.SETTINGS, Action.CHANGE)
    ):
        raise PermissionDenied
    if version.is_published:
        raise ValidationError(_("This version is already published."))
    if not Item.objects.filter(section__version=version).exists():
        raise ValidationError(_("A version needs at least one item before it is published."))
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    audit.record(AuditAction.UPDATE, obj=version, fields=["state"])
    return version


# The plans register ---------------------------------------------------------------------------


def check_file(upload):
    """Refuse a file that is too large or of a kind a planner does not attach; None if it is fine."""
    if upload is None:
        return
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in FILE_TYPES:
        raise ValidationError(
            _("Attach a document, a spreadsheet, a PDF or a picture (%(types)s).")
            % {"types": ", ".join(sorted(FILE_TYPES))}
        )
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))


def _require_organisation(user, organisation_id):
    if not has_perm(user, AREA, Action.CHANGE):
        raise PermissionDenied
    ids = organisation_ids_for(user, AREA)
    if ids is not None and organisation_id not in ids:
        raise PermissionDenied


def save_plan(user, plan, data, areas=(), document=None):
    """Create (``plan`` unsaved) or change a plan of the register."""
    _require_organisation(user, plan.organisation_id)
    if plan.pk:
        # The organisation a plan belongs to does not change through an edit.
        stored = Plan.objects.get(pk=plan.pk)
        _require_organisation(user, stored.organisation_id)
        plan.organisation_id = stored.organisation_id
    check_file(document)
    for name, value in data.items():
        setattr(plan, name, value)
    if document is not None:
        plan.document = document
    plan.full_clean(exclude=["document", "organisation"])
    with transaction.atomic():
        plan.save()
        plan.areas.set(areas)
    return plan


# Assessments ----------------------------------------------------------------------------------


def start_assessment(user, organisation, version, plan=None, assessed_on=None):
    """Begin an assessment of the organisation (or of one of its registered plans) with a published version."""
    _require_organisation(user, organisation.pk)
    if not version.is_published:
        raise ValidationError(_("Only a published version of a checklist can be used for an assessment."))
    if version.template_id not in set(readable_templates(user).values_list("pk", flat=True)):
        raise PermissionDenied
    if plan is not None and plan.organisation_id != organisation.pk:
        raise ValidationError(_("The plan belongs to another organisation."))
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError(_("The date of an assessment cannot be in the future."))
    return Assessment.objects.create(
        organisation=organisation, version=version, plan=plan, assessed_on=assessed_on, started_by=user
    )


def _require_open(user, assessment):
    _require_organisation(user, assessment.organisation_id)
    if assessment.is_completed:
        raise ValidationError(_("This assessment is completed: start a new one to record changes."))


def save_answer(
    user,
    assessment,
    item,
    answer,
    comment="",
    evidence_link="",
    owner="",
    due=None,
    follow_up="",
    evidence_file=None,
    remove_file=False,
):
    """Record (or change) the answer to one item, with its evidence and follow-up."""
    _require_open(user, assessment)
    if item.section.version_id != assessment.version_id:
        raise ValidationError(_("This question is not part of this assessment."))
    if answer and answer not in Answer.values:
        raise ValidationError(_("Choose yes, partly, no or not applicable."))
    check_file(evidence_file)
    record = AnswerRecord.objects.filter(assessment=assessment, item=item).first()
    if record is None:
        if not any(
            (
                answer,
                comment.strip(),
                evidence_link.strip(),
                owner.strip(),
                due,
                follow_up.strip(),
                evidence_file,
            )
        ):
            return None  # a question left as it was: nothing to record
        record = AnswerRecord(assessment=assessment, item=item)
    record.answer = answer or ""
    record.comment = comment.strip()
    record.evidence_link = evidence_link.strip()
    record.owner = owner.strip()
    record.due = due
    record.follow_up = follow_up.strip()
    if evidence_file is not None:
        record.evidence_file = evidence_file
    elif remove_file:
        record.evidence_file = ""
    if record.answer in (Answer.NO, Answer.PARTLY) and record.follow_up and not (record.owner and record.due):
        raise ValidationError(_("A follow-up action needs an owner and a due date."))
    record.full_clean(exclude=["evidence_file", "assessment", "item"])
    record.save()
    return record


def complete(user, assessment):
    """Close the assessment: its answers and scores stay as they are from now on."""
    _require_open(user, assessment)
    if not assessment.answers.exclude(answer="").exists():
        raise ValidationError(_("Answer at least one question before completing the assessment."))
    assessment.state = AssessmentState.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.save()
    return assessment


# Scores and progress ---------------------------------------------------------------------------


@dataclass
class SectionScore:
    key: str
    number: int
    title: object  # Shown
    points: float = 0.0
    counted: int = 0  # answered yes, partly or no
    not_applicable: int = 0
    unanswered: int = 0
    total: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def score(self):
        """Yes 1, partly ½, no 0, not applicable left out: a fraction, or None if nothing counts."""
        return self.points / self.counted if self.counted else None

    @property
    def percent(self):
        return None if self.score is None else round(self.score * 100)


def section_scores(assessment, language=None):
    """One ``SectionScore`` per section of the assessment's version, in order."""
    answers = dict(assessment.answers.values_list("item_id", "answer"))
    scores = []
    for number, section in enumerate(assessment.version.sections.prefetch_related("items"), start=1):
        score = SectionScore(section.key, number, shown(section.title, language))
        for item in section.items.all():
            value = answers.get(item.pk, "")
            score.total += 1
            score.counts[value] = score.counts.get(value, 0) + 1
            if not value:
                score.unanswered += 1
            elif value == Answer.NOT_APPLICABLE:
                score.not_applicable += 1
            else:
                score.counted += 1
                score.points += ANSWER_POINTS[value]
        scores.append(score)
    return scores


def overall(scores):
    """The score over all counted items of all sections (each item weighs the same), or None."""
    counted = sum(s.counted for s in scores)
    return round(100 * sum(s.points for s in scores) / counted) if counted else None


def overall_scores(assessments):
    """{assessment id: overall score or None} for many assessments in one query (the lists)."""
    from django.db.models import Count

    ids = [a.pk for a in assessments]
    totals = {pk: [0.0, 0] for pk in ids}
    rows = (
        AnswerRecord.objects.filter(assessment_id__in=ids, answer__in=list(ANSWER_POINTS))
        .values_list("assessment_id", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pk, answer, n in rows:
        totals[pk][0] += ANSWER_POINTS[answer] * n
        totals[pk][1] += n
    return {
        pk: round(100 * points / counted) if counted else None for pk, (points, counted) in totals.items()
    }


def previous(assessment):
    """The assessment before this one of the same subject (organisation or plan) with the same template."""
    return (
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            plan_id=assessment.plan_id,
            version__template_id=assessment.version.template_id,
        )
        .exclude(pk=assessment.pk)
        .filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
        )
        .order_by("-assessed_on", "-pk")
        .first()
    )


@dataclass
class ProgressRow:
    title: object
    before: int | None
    now: int | None

    @property
    def change(self):
        if self.before is None or self.now is None:
            return None
        return self.now - self.before


def progress(assessment, earlier, language=None):
    """Per section (matched by key, so versions may differ), the score before and now, in percent."""
    now = section_scores(assessment, language)
    before = {s.key: s for s in section_scores(earlier, language)} if earlier else {}
    return [ProgressRow(s.title, before[s.key].percent if s.key in before else None, s.percent) for s in now]


# Export --------------------------------------------------------------------------------------


def export_rows(assessment, language=None):
    """The assessment as two sheets, header first: section scores, and every answer."""
    from lifeline.plans.models import Answer as Choice

    scores = section_scores(assessment, language)
    summary = [[_("Section"), _("Score (%)"), _("Yes, partly or no"), _("Not applicable"), _("Unanswered")]]
    summary += [
        [s.title.text, s.percent if s.percent is not None else "", s.counted, s.not_applicable, s.unanswered]
        for s in scores
    ]
    summary.append([_("Overall"), overall(scores) if overall(scores) is not None else "", "", "", ""])
    answers = {a.item_id: a for a in assessment.answers.all()}
    rows = [
        [
            _("Section"),
            _("Question"),
            _("Answer"),
            _("Comment"),
            _("Evidence (link)"),
            _("Evidence (file)"),
            _("Owner"),
            _("Due date"),
            _("Follow-up action"),
        ]
    ]
    for section in assessment.version.sections.prefetch_related("items"):
        for item in section.items.all():
            answer = answers.get(item.pk)
            rows.append(
                [
                    shown(section.title, language).text,
                    shown(item.text, language).text,
                    str(Choice(answer.answer).label) if answer and answer.answer else "",
                    answer.comment if answer else "",
                    answer.evidence_link if answer else "",
                    _("attached") if answer and answer.evidence_file else "",
                    answer.owner if answer else "",
                    answer.due.isoformat() if answer and answer.due else "",
                    answer.follow_up if answer else "",
                ]
            )
    return {_("Scores"): summary, _("Answers"): rows}


EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _require_export(user, assessment):
    if not has_perm(user, AREA, Action.EXPORT):
        raise PermissionDenied
    ids = organisation_ids_for(user, AREA)
    if ids is not None and assessment.organisation_id not in ids:
        raise PermissionDenied


def export_language(language):
    """The interface language an export is written in: ``language`` if it is one (or the active
    language when none is given); a translated error otherwise."""
    from lifeline.core.languages import interface_codes

    chosen = language or get_language() or "en"
    codes = interface_codes()
    if chosen not in codes:
        base = (normalise(chosen) or chosen).split("-")[0]
        if base not in codes:
            raise ValidationError(
                _("Unknown language “%(language)s”: choose one of %(choices)s.")
                % {"language": language, "choices": ", ".join(codes)}
            )
        chosen = base
    return chosen


def export_xlsx(user, assessment, language=None):
    """The assessment as an XLSX (through the one table writer), audited."""
    return export_assessment(user, assessment, "xlsx", language)


def export_assessment(user, assessment, fmt, language=None):
    """The assessment as a file for ``user`` (who needs the export right on its organisation):
    see ``assessment_file``."""
    _require_export(user, assessment)
    return assessment_file(assessment, fmt, language, user)


def assessment_file(assessment, fmt, language=None, user=None):
    """The assessment as a file: ``xlsx`` (the one table writer), ``docx`` or ``pdf`` (the one
    document path, ``plans.exports``), in ``language``, audited once per export (as the current
    actor: the signed-in user, or the operator of ``manage.py checklist_export``)."""
    from django.utils import translation

    from lifeline.core.tabular import write_workbook
    from lifeline.plans.document import to_docx, to_pdf
    from lifeline.plans.exports import assessment_document, subject_of

    if fmt not in EXPORT_FORMATS:
        raise ValidationError(
            _("Unknown format “%(format)s”: choose one of %(choices)s.")
            % {"format": fmt, "choices": ", ".join(EXPORT_FORMATS)}
        )
    language = export_language(language)
    if fmt == "xlsx":
        with translation.override(language):
            title = shown(assessment.version.template.title, language).text
            data = write_workbook(
                export_rows(assessment, language),
                title=title,
                preamble=[
                    [title],
                    [
                        f"{subject_of(assessment)} · {assessment.assessed_on.isoformat()} · v{assessment.version.number}"
                    ],
                ],
                bold_header=True,
            )
    else:
        document = assessment_document(assessment, user, language)
        data = to_docx(document) if fmt == "docx" else to_pdf(document)
    audit.record(AuditAction.EXPORT, obj=assessment, reason=f"{fmt} {language}")
    return data


def parse_date(value):
    """A date from a form's ISO text, or None; a translated error if it is not one."""
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from exc
