"""Every write on alerts, in one place: import, areas, submit, approve, override, follow-ups, expiry.

Pages, the API, commands and tasks call these; none of them change an alert's state themselves.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.alerts.cap import CapError, parse, parse_references, parse_xml, to_cap_xml, validate12
from lifeline.alerts.models import (
    Alert,
    AlertArea,
    ImportLog,
    InfoBlock,
    MsgType,
    Origin,
    Outcome,
    State,
)
from lifeline.core import approval
from lifeline.geo.models import AdminArea

PCODE = "PCODE"
SMS_LENGTH = 160


class WorkflowError(ValidationError):
    """A step of the alert's life that cannot be taken now; the message is translated."""

    def __str__(self):
        return " ".join(self.messages)


# --- areas ---------------------------------------------------------------------------


def is_pcode_name(value_name):
    return "PCODE" in (value_name or "").upper().replace("-", "").replace("_", "")


def resolve_admin_areas(geocodes):
    """The admin areas that P-code geocodes name (valueName “PCODE”, “ADM1_PCODE”…)."""
    codes = {g.get("value", "").strip() for g in geocodes or [] if is_pcode_name(g.get("valueName"))}
    return list(AdminArea.objects.filter(pcode__in=codes)) if codes else []


def area_languages(user, admin_areas=()):
    """The languages spoken in these areas (all the user's jurisdiction when none are given), most
    people first: the languages an alert there needs. The answer is the risk analysis's
    (``lifeline.risk.languages.spoken_in``: community profiles, registrations counted above the
    privacy threshold, origin groups through the table of their languages)."""
    from lifeline.risk.languages import spoken_in

    return [spoken.code for spoken in spoken_in(user, admin_areas)]


def set_area(alert, area_desc, polygons=(), circles=(), geocodes=(), admin_areas=(), area_descs=None):
    """Give every info block of ``alert`` the same single area (how an author here draws one),
    described in each block's language where ``area_descs`` (language → words) has it."""
    geocodes = list(geocodes) + [
        {"valueName": PCODE, "value": a.pcode}
        for a in admin_areas
        if not any(g.get("value") == a.pcode for g in geocodes)
    ]
    for info in alert.info.all():
        info.areas.all().delete()
        words = (area_descs or {}).get(info.language) or area_desc
        area = AlertArea.objects.create(
            info=info, area_desc=words, polygons=list(polygons), circles=list(circles), geocodes=geocodes
        )
        area.admin_areas.set(resolve_admin_areas(geocodes))


def refresh_expiry(alert):
    """The alert expires when its last info block does (never, if one has no expiry)."""
    times = [info.expires for info in alert.info.all()]
    alert.expires = max(times) if times and all(times) else None


def alert_area(alert):
    """The first area of the first info block (what the authoring form edits), or None."""
    first = alert.first_info()
    return first.areas.first() if first else None


# --- import --------------------------------------------------------------------------


@dataclass
class ImportResult:
    outcome: str
    alert: Alert | None = None
    reason: str = ""
    identifier: str = ""

    @property
    def ok(self):
        return self.outcome != Outcome.REJECTED


def _fit(model, values):
    """Clip text to the columns' lengths: a feed's long headline must not fail an import."""
    for name, value in values.items():
        field = model._meta.get_field(name)
        if isinstance(value, str) and isinstance(field, models.CharField) and field.max_length:
            values[name] = value[: field.max_length]
    return values


# Sent when another authority's alert has been imported and is current (kwargs: alert); the home-country
# stream listens to propose check-ins to the posts whose nationals are inside its area.
alert_received = Signal()


def import_cap(data, organisation, origin=Origin.FILE, feed=None, url=""):
    """Read a CAP message into ``organisation``'s alerts; log what happened; never raise on bad input."""
    identifier = ""
    try:
        parsed = parse(data)
        identifier = parsed["identifier"]
        result = _store(parsed, data, organisation, origin, feed)
    except CapError as exc:
        result = ImportResult(Outcome.REJECTED, reason="\n".join(exc.messages()))
    result.identifier = result.identifier or identifier
    ImportLog.objects.create(
        organisation=organisation,
        feed=feed,
        url=url[:1000],
        identifier=result.identifier[:255],
        outcome=result.outcome,
        reason=result.reason,
        alert=result.alert,
    )
    return result


def _store(parsed, data, organisation, origin, feed):
    existing = Alert.objects.filter(organisation=organisation, identifier=parsed["identifier"]).first()
    if existing is not None:
        if existing.sender == parsed["sender"] and existing.sent == parsed["sent"]:
            return ImportResult(Outcome.DUPLICATE, existing, _("Already imported."), parsed["identifier"])
        return ImportResult(
            Outcome.REJECTED,
            None,
            _("Another message with this identifier was already imported."),
            parsed["identifier"],
        )
    alert_fields = _fit(
        Alert,
        {
            name: parsed[name]
            for name in (
                "identifier",
                "sender",
                "sent",
                "status",
                "msg_type",
                "scope",
                "restriction",
                "addresses",
                "codes",
                "source",
                "note",
                "references",
                "incidents",
            )
        },
    )
    raw = data if isinstance(data, str) else bytes(data).decode("utf-8", errors="replace")
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                organisation=organisation,
                origin=origin,
                feed=feed,
                state=State.PUBLISHED,
                raw_xml=raw.lstrip("\ufeff"),
                **alert_fields,
            )
            for block in parsed["info"]:
                areas = block.pop("areas")
                info = InfoBlock.objects.create(alert=alert, **_fit(InfoBlock, block))
                for entry in areas:
                    area = AlertArea.objects.create(info=info, **_fit(AlertArea, entry))
                    area.admin_areas.set(resolve_admin_areas(entry["geocodes"]))
            refresh_expiry(alert)
            if alert.expires is not None and alert.expires <= timezone.now():
                alert.state = State.EXPIRED
            alert.save()
            apply_references(alert)
    except IntegrityError:  # the same message, imported at the same moment by another worker
        return ImportResult(Outcome.DUPLICATE, None, _("Already imported."), parsed["identifier"])
    if alert.is_current and alert.msg_type in (MsgType.ALERT, MsgType.UPDATE):
        transaction.on_commit(lambda: alert_received.send(sender=Alert, alert=alert))
    return ImportResult(Outcome.IMPORTED, alert, "", parsed["identifier"])


def apply_references(alert):
    """An Update supersedes, a Cancel cancels, the earlier messages it references (that this organisation holds)."""
    targets = []
    for sender, identifier, _sent in parse_references(alert.references):
        target = (
            Alert.objects.filter(organisation=alert.organisation, sender=sender, identifier=identifier)
            .exclude(pk=alert.pk)
            .first()
        )
        if target is not None:
            targets.append(target)
    for target in targets:
        if alert.msg_type == MsgType.UPDATE and target.state == State.PUBLISHED:
            target.state = State.SUPERSEDED
            target.save()
        elif alert.msg_type == MsgType.CANCEL and target.state in (State.PUBLISHED, State.SUPERSEDED):
            target.state = State.CANCELLED
            target.save()
    if targets and alert.updates_id is None:
        alert.updates = targets[0]
        alert.save(update_fields=["updates", "updated"])


# --- authoring workflow ----------------------------------------------------------------


def default_sender(organisation):
    """A CAP sender for an organisation: its e-mail, or a name without spaces or commas."""
    if organisation.email:
        return organisation.email
    base = "".join(
        ch if ch.isalnum() or ch in ".-" else "-"
        for ch in (organisation.short_name or organisation.name).lower()
    )
    return f"{base.strip('-') or 'org'}.lifeline"


def new_identifier(alert):
    return f"{alert.sender}-{uuid.uuid4()}"[:255]


def _require_change(user, alert):
    if not approval.may_change(alert, user):
        raise PermissionDenied


def ready_to_publish(alert):
    """The one content rule before an alert goes out, by approval or by the emergency override: it has
    text in at least one language (an alert with no info block says nothing to anyone)."""
    if not alert.info.exists():
        raise WorkflowError(
            _("An alert with no text cannot be submitted or published: add at least one language first.")
        )


def record_change(alert, user):
    """Call before saving a change of the alert's content: records the editor; a submitted alert goes back to draft."""
    try:
        return approval.record_change(alert, user)
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0]) from exc


def _step(step, *args, **kwargs):
    """The two-person workflow's step, with its refusals as this module's WorkflowError."""
    try:
        return step(*args, **kwargs)
    except WorkflowError:
        raise
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0]) from exc


def submit(alert, user):
    """The author asks for a second pair of eyes (``core/approval.py``: who may approve, and the race)."""
    return _step(approval.submit, alert, user, check=ready_to_publish)


def return_to_draft(alert, user):
    """The approver (or the author) sends an alert awaiting approval back for changes."""
    return _step(approval.return_to_draft, alert, user)


def delete_draft(alert, user):
    """A draft never sent may be thrown away; anything published stays, as it was sent."""
    _require_change(user, alert)
    if alert.state != State.DRAFT:
        raise WorkflowError(_("Only a draft can be deleted."))
    alert.delete()


def approve(alert, user):
    """A second person, who neither wrote, changed nor submitted the alert, approves: it is published."""
    return _step(approval.approve, alert, user, publish=_publish)


def publish_override(alert, user, reason):
    """Emergency: publish without a second person, with a reason that is audited and shown on the alert."""
    _require_change(user, alert)
    alert.override_reason = (reason or "").strip()[:300]
    try:
        return _step(approval.publish_alone, alert, user, reason, publish=_publish, check=ready_to_publish)
    except WorkflowError:
        alert.override_reason = ""
        raise


def _publish(alert):
    """What publishing means for an alert (called by the workflow inside its transaction)."""
    now = timezone.now().replace(microsecond=0)
    alert.sent = now
    alert.identifier = alert.identifier or new_identifier(alert)
    alert.published_at = now
    refresh_expiry(alert)
    problems = validate12(parse_xml(to_cap_xml(alert)))
    if problems:
        raise WorkflowError(_("The alert is not valid CAP 1.2: %(detail)s") % {"detail": problems[0][1]})
    alert.save()
    apply_references(alert)


def followup(original, msg_type, user):
    """A draft Update or Cancel of a published alert: its copy, referencing it."""
    _require_change(user, original)
    if original.state != State.PUBLISHED:
        raise WorkflowError(_("Only a published alert can be updated or cancelled."))
    if original.origin != Origin.AUTHORED:
        raise WorkflowError(_("Only its sender can update or cancel an imported alert."))
    if msg_type not in (MsgType.UPDATE, MsgType.CANCEL):
        raise WorkflowError(_("A follow-up is an Update or a Cancel."))
    with transaction.atomic():
        copy = Alert.objects.create(
            organisation=original.organisation,
            sender=original.sender,
            status=original.status,
            msg_type=msg_type,
            scope=original.scope,
            restriction=original.restriction,
            addresses=original.addresses,
            codes=original.codes,
            source=original.source,
            incidents=original.incidents,
            references=original.reference_string(),
            updates=original,
            state=State.DRAFT,
            origin=Origin.AUTHORED,
            created_by=user,
        )
        for info in original.info.all():
            areas = list(info.areas.all())
            info_copy = InfoBlock.objects.get(pk=info.pk)
            info_copy.pk, info_copy.alert = None, copy
            if msg_type == MsgType.CANCEL:
                info_copy.response_types = ["AllClear"]
            info_copy.save()
            for area in areas:
                admin = list(area.admin_areas.all())
                area.pk, area.info = None, info_copy
                area.save()
                area.admin_areas.set(admin)
        refresh_expiry(copy)
        copy.save()
    return copy


def expire_alerts(now=None):
    """Published alerts whose time is over become expired (and leave the public feed)."""
    now = now or timezone.now()
    expired = 0
    for alert in Alert.objects.filter(state=State.PUBLISHED, expires__lte=now):
        alert.state = State.EXPIRED
        alert.save()
        expired += 1
    return expired


# --- for messaging ---------------------------------------------------------------------


def public_url(alert):
    """The absolute address of the alert's public page, if it has one (``settings.SITE_URL`` + path)."""
    if not alert.is_public:
        return ""
    return settings.SITE_URL.rstrip("/") + reverse("alerts:public", args=[alert.pk])


def _trim(text, limit):
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def message_texts(alert, sms_length=SMS_LENGTH):
    """What messaging sends, per info-block language (BCP 47): subject, full body, and an SMS-length text."""
    url = public_url(alert)
    texts = {}
    for info in alert.info.all():
        if info.language in texts:
            continue
        headline = info.headline or info.event
        body = [headline, info.description, info.instruction, info.contact, info.web, url]
        texts[info.language] = {
            "subject": headline,
            "body": "\n\n".join(part for part in body if part),
            "short": _trim(" ".join(part for part in (headline, info.instruction) if part), sms_length),
        }
    return texts


SEND_AUDIENCES = ("subscribers", "nationals")
SEND_CHANNELS = ["push", "sms", "email"]


def alert_audience(alert, audience="subscribers"):
    """Who a send of the alert reaches, as a messaging audience: the one definition the preview and the
    send both use. Subscribers are reached by place (its admin areas, polygons and circles touch theirs,
    whoever issued it); nationals by their posts' registrations in its admin areas."""
    if audience not in SEND_AUDIENCES:
        raise ValidationError(_("Unknown audience."))
    areas = [area for info in alert.info.all() for area in info.areas.all()]
    definition = {
        "kind": audience,
        "organisation_ids": [alert.organisation_id],
        "area_ids": sorted({a.pk for area in areas for a in area.admin_areas.all()}),
    }
    if audience == "subscribers":
        definition["polygons"] = sorted({p for area in areas for p in area.polygons or []})
        definition["circles"] = sorted({c for area in areas for c in area.circles or []})
    return definition


def _sendable(alert):
    if not alert.is_current:
        raise ValidationError(_("Only a published alert that has not expired can be sent."))


def preview_alert(alert, user, audience="subscribers"):
    """Before sending: recipients by language and channel, languages without text, SMS parts, and
    the reason it would be refused (``messaging.services.preview_audience``, the send's own resolver)."""
    from lifeline.messaging.services import preview_audience

    _sendable(alert)
    return preview_audience(
        alert_audience(alert, audience), message_texts(alert), user=user, channels=SEND_CHANNELS
    )


def send_alert(alert, user, audience="subscribers"):
    """Send a published, current alert through the messaging engine to the people its area touches
    (all of them when it names none): alert subscribers on a host deployment, registered nationals on a home one.
    Each gets the first of their languages the alert has. A send that would reach nobody is refused
    (ValidationError, with the reason). Returns the messaging send."""
    from lifeline.messaging.services import start_send

    definition = alert_audience(alert, audience)
    _sendable(alert)
    return start_send(
        organisation=alert.organisation,
        user=user,
        name=(alert.headline or str(alert))[:200],
        audience=definition,
        texts=message_texts(alert),
        channels=SEND_CHANNELS,
        source=f"alert:{alert.pk}",
    )
