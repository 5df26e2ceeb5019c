"""Editing a checklist template: a draft version's sections and items, per content language, then publishing.

The writes of template editing (the rest of the plans app's writes are in ``services``). Each takes
the acting user and plain values, checks the right to edit the template (``require_editor``),
refuses anything but a draft (a published version is frozen: ``models.Frozen``), changes nothing on
bad input (a translated ``ValidationError``), and leaves an audit entry.

Who edits: a shipped checklist (no organisation) is read by every organisation of the deployment,
so only those who may change the deployment's settings as well as plans (the administrator) edit
it; an organisation's own checklist, those who may change plans in that organisation's scope.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.languages import normalise
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import has_perm, organisation_ids_for
from lifeline.plans.models import Item, Section, TemplateVersion, VersionState

AREA = Area.PLANS
MAX_TITLE = 300
MAX_TEXT = 2000


def may_edit(user, template):
    """Whether the user may make and edit versions of this template (see the module's note)."""
    if not has_perm(user, AREA, Action.CHANGE):
        return False
    if template.organisation_id is None:
        return has_perm(user, Area.SETTINGS, Action.CHANGE)
    ids = organisation_ids_for(user, AREA)
    return ids is None or template.organisation_id in ids


def require_editor(user, template):
    if not may_edit(user, template):
        raise PermissionDenied


def _require_draft(user, version):
    require_editor(user, version.template)
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("A published version cannot be changed: make a new version."))


def _language(language):
    code = normalise(language or "")
    if not code:
        raise ValidationError(_("Choose the language you are writing in."))
    return code


def _texts(current, language, text, limit, required, what):
    """``current`` ({language: text}) with the text in ``language`` set (or removed when empty)."""
    text = (text or "").strip()
    if "\x00" in text:
        raise ValidationError(_("The text holds a character that cannot be stored."))
    if len(text) > limit:
        raise ValidationError(
            _("%(what)s: at most %(limit)s characters.") % {"what": what, "limit": f"{limit:,}"}
        )
    texts = {k: v for k, v in dict(current or {}).items() if v}
    if text:
        texts[language] = text
    else:
        texts.pop(language, None)
    if required and not texts:
        raise ValidationError(_("%(what)s: write it in at least one language.") % {"what": what})
    return texts


def _new_key(text, taken, prefix):
    base = slugify(text)[:60].strip("-") or prefix
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _audit(action, version, fields, what):
    audit.record(action, obj=version, fields=fields, reason=what)


def save_section(user, version, language, title, guidance, section=None):
    """Add a section at the end of a draft version (``section`` None) or change its texts in one language."""
    _require_draft(user, version)
    language = _language(language)
    if section is not None and section.version_id != version.pk:
        raise ValidationError(_("This section is not part of this version."))
    current = section or Section(version=version)
    current.title = _texts(current.title, language, title, MAX_TITLE, True, _("Title"))
    current.guidance = _texts(current.guidance, language, guidance, MAX_TEXT, False, _("Guidance"))
    with transaction.atomic():
        if section is None:
            taken = set(version.sections.values_list("key", flat=True))
            current.key = _new_key(dict(current.title).get("en") or title, taken, "section")
            current.position = (version.sections.aggregate(n=Max("position"))["n"] or 0) + 1
        current.save()
        _audit(
            AuditAction.CREATE if section is None else AuditAction.UPDATE,
            version,
            [f"section:{current.key}:{language}"],
            _("checklist section"),
        )
    return current


def save_item(user, section, language, text, guidance, item=None):
    """Add a question at the end of a section of a draft version, or change its texts in one language."""
    version = section.version
    _require_draft(user, version)
    language = _language(language)
    if item is not None and item.section_id != section.pk:
        raise ValidationError(_("This question is not part of this section."))
    current = item or Item(section=section)
    current.text = _texts(current.text, language, text, MAX_TEXT, True, _("Question"))
    current.guidance = _texts(current.guidance, language, guidance, MAX_TEXT, False, _("Guidance"))
    with transaction.atomic():
        if item is None:
            taken = set(section.items.values_list("key", flat=True))
            current.key = _new_key(dict(current.text).get("en") or text, taken, "item")
            current.position = (section.items.aggregate(n=Max("position"))["n"] or 0) + 1
        current.save()
        _audit(
            AuditAction.CREATE if item is None else AuditAction.UPDATE,
            version,
            [f"item:{section.key}/{current.key}:{language}"],
            _("checklist question"),
        )
    return current


def _renumber(rows):
    """Give ``rows`` (sections of a version, or items of a section) positions 1, 2, … in this order;
    through positions nobody holds first, so the "one row per position" rule holds at every step."""
    top = max((r.position for r in rows), default=0) + len(rows) + 1
    for n, row in enumerate(rows):
        row.position = top + n
        row.save(update_fields=["position"])
    for n, row in enumerate(rows, start=1):
        row.position = n
        row.save(update_fields=["position"])


def _move(rows, row, direction):
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a row up or down."))
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    return True


def move_section(user, section, direction):
    version = section.version
    _require_draft(user, version)
    with transaction.atomic():
        if _move(list(version.sections.order_by("position")), section, direction):
            _audit(AuditAction.UPDATE, version, [f"section:{section.key}:position"], _("checklist section"))


def move_item(user, item, direction):
    version = item.section.version
    _require_draft(user, version)
    with transaction.atomic():
        if _move(list(item.section.items.order_by("position")), item, direction):
            _audit(
                AuditAction.UPDATE,
                version,
                [f"item:{item.section.key}/{item.key}:position"],
                _("checklist question"),
            )


def remove_section(user, section):
    version = section.version
    _require_draft(user, version)
    with transaction.atomic():
        key = section.key
        section.delete()
        _renumber(list(version.sections.order_by("position")))
        _audit(AuditAction.DELETE, version, [f"section:{key}"], _("checklist section"))


def remove_item(user, item):
    section = item.section
    _require_draft(user, section.version)
    with transaction.atomic():
        key = item.key
        item.delete()
        _renumber(list(section.items.order_by("position")))
        _audit(AuditAction.DELETE, section.version, [f"item:{section.key}/{key}"], _("checklist question"))


def set_note(user, version, note):
    _require_draft(user, version)
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("What changed: at most 300 characters."))
    if version.note != note:
        version.note = note
        version.save(update_fields=["note"])
        _audit(AuditAction.UPDATE, version, ["note"], _("checklist version"))


def discard(user, version):
    """Delete a draft version (never a published one: assessments may use it)."""
    _require_draft(user, version)
    with transaction.atomic():
        audit.record(AuditAction.DELETE, obj=version, fields=["number"])
        version.delete()


def drafts(template):
    return TemplateVersion.objects.filter(template=template, state=VersionState.DRAFT)
