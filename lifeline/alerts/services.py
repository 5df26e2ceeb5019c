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
from lifeline.core.errors import model_errors
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


# What ``save_alert`` writes. The alert's own values (``organisation`` an ``Organisation`` row); an
# info block per language (``area_desc``: the area in that language's words, else the area's);
# the one area of every block (``admin_areas``: ``AdminArea`` rows).
ALERT_FIELDS = (
    "organisation",
    "sender",
    "status",
    "scope",
    "restriction",
    "addresses",
    "source",
    "incidents",
    "note",
)
INFO_FIELDS = (
    "language",
    "event",
    "headline",
    "description",
    "instruction",
    "categories",
    "response_types",
    "urgency",
    "severity",
    "certainty",
    "audience",
    "effective",
    "onset",
    "expires",
    "sender_name",
    "web",
    "contact",
)
AREA_FIELDS = ("area_desc", "polygons", "circles", "admin_areas")
# Where errors of the info blocks and the area are named: ``info[0].headline``, ``info``, ``area.polygons``.
INFO, AREA_KEY = "info", "area"


def check_alert_writer(by, alert=None):
    """Refuse (PermissionDenied) a user who may not write alerts, or change this one (the two-person
    workflow's rule: ``core/approval.may_change``)."""
    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm

    if not has_perm(by, Area.ALERTS, Action.CHANGE):
        raise PermissionDenied
    if alert is not None and alert.pk is not None:
        _require_change(by, alert)


def default_expiry(start=None):
    """The expiry of an alert whose author gave none: ``ALERT_DEFAULT_HOURS`` after it starts."""
    from datetime import timedelta

    return (start or timezone.now()) + timedelta(hours=settings.ALERT_DEFAULT_HOURS)


def _required():
    return [_("This field is required.")]


def _info_errors(infos):
    from django.core.validators import URLValidator

    errors, languages = {}, []
    if not infos:
        errors[INFO] = [_("Write the alert in at least one language.")]
    for index, info in enumerate(infos):
        prefix, found = f"{INFO}[{index}]", {}
        for name in ("language", "headline", "categories"):
            if not info.get(name):
                found[f"{prefix}.{name}"] = _required()
        if info.get("web"):
            try:
                URLValidator(schemes=["http", "https"])(info["web"])
            except ValidationError as exc:
                found[f"{prefix}.web"] = list(exc.messages)
        start = info.get("onset") or info.get("effective")
        if start and info.get("expires") and info["expires"] <= start:
            found[f"{prefix}.expires"] = [_("“Expires” must be after “effective” and “onset”.")]
        candidate = InfoBlock(**{name: info.get(name) for name in INFO_FIELDS if info.get(name) is not None})
        found.update(model_errors(candidate, INFO_FIELDS, found, prefix))
        if len(str(info.get("area_desc") or "")) > 500:
            found[f"{prefix}.area_desc"] = [_("Too long: at most %(n)s characters.") % {"n": 500}]
        errors.update(found)
        if info.get("language"):
            languages.append(info["language"])
    if len(languages) != len(set(languages)):
        errors[INFO] = [_("Each language may appear only once.")]
    return errors


def _area_errors(area):
    from lifeline.alerts.cap import check_circle, check_polygon

    errors = {}
    if not str(area.get("area_desc") or "").strip():
        errors[f"{AREA_KEY}.area_desc"] = _required()
    for name, check in (("polygons", check_polygon), ("circles", check_circle)):
        for number, value in enumerate(area.get(name) or (), start=1):
            try:
                check(value)
            except ValueError as exc:
                errors[f"{AREA_KEY}.{name}"] = [_("Line %(n)s: %(reason)s") % {"n": number, "reason": exc}]
                break
    if not (area.get("polygons") or area.get("circles") or area.get("admin_areas")):
        errors[AREA_KEY] = [_("Say where: give a polygon, a circle, a GeoJSON file or administrative areas.")]
    return errors


def alert_errors(by, alert, values, infos, area):
    """The rules of an alert's draft, {field: [messages]} ({} when they hold): issued by an
    organisation ``by`` may write to, a CAP sender without separators, who may see a restricted
    alert and who gets a private one; text in at least one language, each language once, each block
    with a headline and a category, expiring after it starts; an area described and drawn or named."""
    import copy

    from django.forms import ModelChoiceField

    from lifeline.core.permissions import writable_organisations

    errors = {}
    organisation = values.get("organisation")
    if organisation is None:
        errors["organisation"] = _required()
    elif not writable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    sender = str(values.get("sender") or "")
    if not sender:
        errors["sender"] = _required()
    elif any(ch in sender for ch in " ,<&"):
        errors["sender"] = [_("Use no spaces, commas, < or & here.")]
    if values.get("scope") == "Restricted" and not values.get("restriction"):
        errors["restriction"] = [_("A restricted alert must say who may see it.")]
    if values.get("scope") == "Private" and not values.get("addresses"):
        errors["addresses"] = [_("A private alert must name its recipients.")]
    candidate = copy.copy(alert) if alert is not None else Alert()
    for name in ALERT_FIELDS:
        if name in values and name not in errors:
            setattr(candidate, name, values[name])
    errors.update(model_errors(candidate, ALERT_FIELDS, errors))
    return {**errors, **_info_errors(infos), **_area_errors(area)}


def _info_key(info):
    return info.language if isinstance(info, InfoBlock) else info["language"]


def save_alert(by, alert, values, infos, area, *, version=""):
    """Write (``alert`` None) or change a draft alert, as ``by``: every rule checked before anything
    is saved (``alert_errors``), then the alert, its blocks (a stored block in the same language
    is kept and updated, the others deleted) and their one area in one transaction, audited as
    ``by``, who becomes one of its contributors (a change after submission withdraws it: the
    two-person workflow, ``core/approval``). A block with no expiry expires ``ALERT_DEFAULT_HOURS``
    after it starts. ``version`` is the one its author read (``core/versions``): when the alert has
    changed since, ``ChangedMeanwhile`` and nothing changes. Refused input raises ``Invalid``.
    Returns the alert and whether the change withdrew a submission."""
    from lifeline.core import audit
    from lifeline.core.errors import Invalid
    from lifeline.core.versions import ChangedMeanwhile, current_fingerprint

    check_alert_writer(by, alert)
    errors = alert_errors(by, alert, values, infos, area)
    if errors:
        raise Invalid(errors)
    current = audit.current_actor()
    with audit.acting_as(by, ip=current.ip, via=current.via), transaction.atomic():
        stored = alert is not None and alert.pk is not None
        if version and stored and current_fingerprint(alert, lock=True) != version:
            raise ChangedMeanwhile(alert)
        alert = alert if alert is not None else Alert(created_by=by)
        for name in ALERT_FIELDS:
            if name in values:
                setattr(alert, name, values[name])
        if alert.pk is None:
            alert.save()
        withdrawn = record_change(alert, by)  # before the content: a submission is withdrawn
        alert.save()
        remaining = list(alert.info.all())
        for info in infos:
            block = next((b for b in remaining if _info_key(b) == _info_key(info)), None)
            if block is None:
                block = InfoBlock(alert=alert)
            else:
                remaining.remove(block)
            for name in INFO_FIELDS:
                setattr(block, name, info.get(name) if info.get(name) is not None else "")
            for name in ("effective", "onset", "expires"):
                setattr(block, name, info.get(name))
            block.response_types = info.get("response_types") or []
            if block.expires is None:
                block.expires = default_expiry(block.onset or block.effective)
            block.save()
        for block in remaining:
            block.delete()
        descs = {info["language"]: info.get("area_desc") for info in infos}
        set_area(alert, **{name: area.get(name) or () for name in AREA_FIELDS}, area_descs=descs)
        refresh_expiry(alert)
        alert.save()
    return alert, withdrawn


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
