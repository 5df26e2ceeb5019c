"""An assessment as a document (DOCX, PDF through ``plans.document``): what it holds, in one place.

The texts of the checklist are shown in the reader's language when written in it, else in the
nearest one by the one fallback rule (``core.languages``), marked "in <language>" and printed in
that language's direction. The labels are in the chosen interface language.
"""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lifeline.plans.document import Document, Heading, Note, Table
from lifeline.plans.models import Answer


def _marked(texts, language):
    """A template text for a reader of ``language``, with its mark when it is in another language."""
    from lifeline.plans.services import shown

    return _mark(shown(texts, language))


def _mark(text):
    """A ``Shown`` text with "(in <language>)" after it when it is a fallback."""
    from lifeline.plans.services import Shown

    if text.fallback and text.text:
        mark = _("in %(language)s") % {"language": text.language_label}
        return Shown(f"{text.text} ({mark})", text.language, True)
    return text


def _date(value):
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _percent(value):
    return "—" if value is None else f"{value} %"


def subject_of(assessment):
    return assessment.plan.title if assessment.plan_id else assessment.organisation.name


def assessment_document(assessment, user, language):
    """The ``Document`` of an assessment, in ``language`` (an interface language). ``user`` is the
    reader (the caller has checked they may export it); the document names no one else."""
    from lifeline.plans.services import overall, section_scores

    with translation.override(language):
        version = assessment.version
        title = _marked(version.template.title, language)
        subject = subject_of(assessment)
        scores = section_scores(assessment, language)
        total = overall(scores)
        facts = [
            [_("Organisation"), assessment.organisation.name],
            [_("Assessed"), subject],
            [_("Checklist"), title],
            [_("Checklist version"), f"v{version.number}"],
            [_("Date of the assessment"), _date(assessment.assessed_on)],
            [_("State"), str(assessment.get_state_display())],
            [_("Overall score"), _percent(total)],
        ]
        blocks = [
            Table([_("Assessment"), ""], facts),
            Heading(_("Score per section")),
            Note(
                _(
                    "A section's score: yes counts 1, partly ½, no 0, over the questions answered; "
                    "“not applicable” is left out."
                )
            ),
            Table(
                [_("Section"), _("Score"), _("Yes, partly or no"), _("Not applicable"), _("Unanswered")],
                [
                    [_mark(s.title), _percent(s.percent), s.counted, s.not_applicable, s.unanswered]
                    for s in scores
                ]
                + [[_("Overall"), _percent(total), "", "", ""]],
            ),
        ]
        answers = {a.item_id: a for a in assessment.answers.all()}
        follow_ups = []
        columns = [
            _("Question"),
            _("Answer"),
            _("Comment"),
            _("Evidence"),
            _("Owner"),
            _("Due date"),
            _("Follow-up action"),
        ]
        for number, section in enumerate(version.sections.prefetch_related("items"), start=1):
            section_title = _marked(section.title, language)
            blocks.append(
                Heading(f"{number}. {section_title.text}", level=2, language=_own(section_title, language))
            )
            blocks.append(Note(_("Score: %(score)s") % {"score": _percent(scores[number - 1].percent)}))
            rows = []
            for item in section.items.all():
                answer = answers.get(item.pk)
                rows.append(
                    [
                        _marked(item.text, language),
                        str(Answer(answer.answer).label) if answer and answer.answer else _("Unanswered"),
                        answer.comment if answer else "",
                        _evidence(answer),
                        answer.owner if answer else "",
                        _date(answer.due) if answer else "",
                        answer.follow_up if answer else "",
                    ]
                )
                if answer and answer.follow_up:
                    follow_ups.append(
                        [answer.follow_up, answer.owner, _date(answer.due), _marked(item.text, language)]
                    )
            blocks.append(Table(columns, rows))
        blocks.append(Heading(_("Follow-up actions")))
        blocks.append(
            Table(
                [_("Follow-up action"), _("Owner"), _("Due date"), _("Question")],
                follow_ups,
                empty=_("No follow-up action recorded."),
            )
        )
        exported = _date(timezone.localdate())
        return Document(
            title=title.text,
            language=language,
            organisation=assessment.organisation,
            subtitle=f"{subject} · {_date(assessment.assessed_on)} · v{version.number}",
            footer=_("%(title)s · %(subject)s · exported on %(date)s")
            % {"title": title.text, "subject": subject, "date": exported},
            blocks=blocks,
            landscape=True,
            kind=_("Checklist assessment"),
        )


def _own(text, language):
    """The language of a heading when it is not the document's (a fallback), else empty."""
    return text.language if text.fallback else ""


def _evidence(answer):
    """The evidence as printed: the link's address, and the attached file's name."""
    if answer is None:
        return ""
    parts = []
    if answer.evidence_link:
        parts.append(answer.evidence_link)
    if answer.evidence_file:
        name = answer.evidence_file.name.rsplit("/", 1)[-1]
        parts.append(_("File attached: %(name)s") % {"name": name})
    return "\n".join(parts)
