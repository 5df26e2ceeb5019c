"""Likely duplicate registrations: the pairs still to check, "not a duplicate", and merges that can be undone.

The one place these rules live; the pages (and any command) call them:

- ``suggested`` is ``services.find_duplicates`` less the pairs someone decided are two people;
- ``decide_distinct`` remembers such a decision (audited);
- ``merge`` is ``services.merge`` (the household, consents, devices, cases and push subscriptions move to
  the kept record, its empty fields are filled) with a ``MergeRecord`` of what moved: row ids and field
  names, never people's data;
- ``undo`` puts back what the merge moved and filled, and makes the merged record active again (audited).

Who may do what is the caller's: both records must be in the user's scope (``Registration.for_user``)
with the right to change and to see personal data (``may_merge``).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import has_perm
from lifeline.nationals import services
from lifeline.nationals.models import Consent, DistinctPair, MergeRecord, Registration

# Rows that point at a registration: (label, model, field). Those a merge moves to the kept record go
# back on undo; the others (check-in requests and answers belong to the campaign that asked that
# registration, places on an evacuation, status reports) stay with the merged record and are there
# again once it is active.
LINKS = (
    ("members", "nationals.HouseholdMember", "registration"),
    ("trips", "nationals.Trip", "registration"),
    ("consents", "nationals.Consent", "registration"),
    ("devices", "nationals.DeviceToken", "registration"),
    ("status_reports", "nationals.StatusReport", "registration"),
    ("cases", "cases.Case", "registration"),
    ("push_subscriptions", "pwa.PushSubscription", "registration"),
    ("checkin_requests", "crises.CheckInRequest", "registration"),
    ("checkin_answers", "crises.CheckInAnswer", "registration"),
    ("evacuees", "evacuation.Evacuee", "registration"),
    ("advice_subscriptions", "advice.AdviceSubscription", "registration"),
)


def _links():
    for label, model, field in LINKS:
        try:
            yield label, apps.get_model(model), field
        except LookupError:  # an app this deployment does not install
            continue


def may_merge(user):
    return has_perm(user, Area.NATIONALS, Action.CHANGE) and has_perm(user, Area.NATIONALS, Action.PERSONAL)


def distinct_pairs(ids=None):
    """The (first id, second id) pairs decided to be two people (among ``ids`` if given)."""
    found = DistinctPair.objects.all()
    if ids is not None:
        found = found.filter(first_id__in=ids, second_id__in=ids)
    return set(found.values_list("first_id", "second_id"))


def suggested(registrations):
    """``services.find_duplicates`` (a queryset, or one registration) less the pairs decided to be two people."""
    pairs = services.find_duplicates(registrations)
    decided = distinct_pairs({pk for a, b, _r in pairs for pk in (a, b)})
    return [(a, b, reasons) for a, b, reasons in pairs if (a, b) not in decided]


def decide_distinct(first, second, user, reason=""):
    """Remember that two registrations are two people: the pair is not suggested again. Audited on both."""
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different registrations."), code="same")
    a, b = (first, second) if first.pk < second.pk else (second, first)
    reason = " ".join((reason or "").split())[:300]
    try:
        with transaction.atomic():
            decision = DistinctPair.objects.create(first=a, second=b, decided_by=user, reason=reason)
    except IntegrityError:
        return DistinctPair.objects.get(first=a, second=b)
    for record, twin in ((a, b), (b, a)):
        audit.record(
            AuditAction.UPDATE,
            obj=record,
            fields=["duplicates"],
            user=user,
            reason=f"not a duplicate of #{twin.pk}",
        )
    return decision


def merge(keep, other, user):
    """Merge ``other`` into ``keep`` (``services.merge``) and keep what an undo needs. Returns the record."""
    if keep.pk == other.pk:
        raise ValidationError(_("Choose two different registrations."), code="same")
    with transaction.atomic():
        keep = Registration.objects.select_for_update().get(pk=keep.pk)
        other = Registration.objects.select_for_update().get(pk=other.pk)
        if keep.merged_into_id or other.merged_into_id:
            raise ValidationError(_("One of these registrations was merged meanwhile."), code="merged")
        moved = {
            label: list(model.objects.filter(**{field: other}).values_list("pk", flat=True))
            for label, model, field in _links()
        }
        filled = {}
        for name in services.MERGE_FILL:
            attname = keep._meta.get_field(name).attname
            if not getattr(keep, attname) and getattr(other, attname):
                filled[name] = getattr(keep, attname)
        consents = {
            str(c.pk): [c.granted, c.language, c.at.isoformat() if c.at else None]
            for c in keep.consents.all()
        }
        services.merge(keep, other)
        changed = {
            pk: before
            for pk, before in consents.items()
            if Consent.objects.filter(pk=pk).exclude(granted=before[0]).exists()
        }
        return MergeRecord.objects.create(
            keep=keep,
            other=other,
            merged_by=user,
            moved={label: ids for label, ids in moved.items() if ids},
            filled=filled,
            consents=changed,
        )


def undo(record, user):
    """Undo a merge: what moved goes back to the merged record, the filled fields are emptied again (unless
    someone changed them since), the kept record's consents are as before, and the merged record is active."""
    from django.utils.dateparse import parse_datetime

    with transaction.atomic():
        record = MergeRecord.objects.select_for_update().get(pk=record.pk)
        if record.undone_at is not None:
            raise ValidationError(_("This merge was already undone."), code="undone")
        keep = Registration.objects.select_for_update().get(pk=record.keep_id)
        other = Registration.objects.select_for_update().get(pk=record.other_id)
        if other.merged_into_id != keep.pk:
            raise ValidationError(_("The merged record is no longer merged into this one."), code="state")
        if keep.merged_into_id:
            raise ValidationError(
                _("The kept record was merged into another since: undo that merge first."), code="state"
            )
        links = {label: (model, field) for label, model, field in _links()}
        for label, ids in record.moved.items():
            if label in links:
                model, field = links[label]
                model.objects.filter(pk__in=ids, **{field: keep}).update(**{field: other})
        for pk, (granted, language, at) in record.consents.items():
            Consent.objects.filter(pk=pk, registration=keep).update(
                granted=granted, language=language, at=parse_datetime(at) if at else None
            )
        emptied = []
        for name, before in record.filled.items():
            attname = keep._meta.get_field(name).attname
            if getattr(keep, attname) == getattr(other, attname):
                setattr(keep, attname, before)
                emptied.append(name)
        keep.save()
        other.merged_into = None
        other.save()
        record.undone_by, record.undone_at = user, timezone.now()
        record.save(update_fields=["undone_by", "undone_at"])
        audit.record(
            AuditAction.UPDATE,
            obj=keep,
            fields=emptied + sorted(record.moved) + (["consents"] if record.consents else []),
            user=user,
            reason=f"undid the merge of #{other.pk} into this record",
        )
        audit.record(
            AuditAction.UPDATE,
            obj=other,
            fields=["merged_into"],
            user=user,
            reason=f"merge into #{keep.pk} undone",
        )
    return record
