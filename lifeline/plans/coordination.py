"""Coordination bodies, their meetings and decisions, and agreements: every write, one function each.

Members and parties are key contacts of the directory (read through its scope). An agreement is one
record: a key contact's ``agreement_status`` and ``agreement_date`` are derived from the agreements
that name it (``sync_contacts``), never typed on the contact.
"""

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lifeline.directory.models import AgreementStatus, KeyContact
from lifeline.plans import actions
from lifeline.plans.actions import acting
from lifeline.plans.models_actions import ActionItem, Agreement, CoordinationBody, Meeting, SourceKind

# Strongest first: the status a contact shows when several agreements name it.
STRENGTH = [AgreementStatus.SIGNED, AgreementStatus.DRAFT, AgreementStatus.INFORMAL, AgreementStatus.EXPIRED]
# An agreement's responsible person is reminded this many days before its renewal date.
RENEWAL_NOTICE_DAYS = 60
# ...and again at most this often until it is renewed (the date moved) or ended.
RENEWAL_REPEAT_DAYS = 7


def readable_contacts(user):
    return KeyContact.objects.for_user(user)


def _check_contacts(user, contacts):
    contacts = list(contacts)
    if contacts:
        readable = set(
            readable_contacts(user).filter(pk__in=[c.pk for c in contacts]).values_list("pk", flat=True)
        )
        if readable != {c.pk for c in contacts}:
            raise ValidationError(_("Choose members and parties among the key contacts you can see."))
    return contacts


# Bodies and meetings -----------------------------------------------------------------------------


def save_body(user, body, name, level, purpose="", members=(), focal_points=()):
    """Create (``body`` unsaved, its ``organisation`` set) or change a coordination body."""
    if body.pk:
        stored = CoordinationBody.objects.get(pk=body.pk)
        actions._check_scope(user, stored.organisation_id)
        body.organisation_id = stored.organisation_id
    else:
        actions._check_scope(user, body.organisation_id)
    members = _check_contacts(user, members)
    focal_points = _check_contacts(user, focal_points)
    if not {c.pk for c in focal_points} <= {c.pk for c in members}:
        raise ValidationError(_("A focal point must be one of the members."))
    body.name, body.level, body.purpose = (name or "").strip(), level, (purpose or "").strip()
    body.full_clean(exclude=["organisation"])
    with acting(user), transaction.atomic():
        body.save()
        body.members.set(members)
        body.focal_points.set(focal_points)
    return body


def meetings_for(user):
    """Meetings of the bodies the user reads."""
    return Meeting.objects.filter(body__in=CoordinationBody.objects.for_user(user)).select_related("body")


def add_meeting(user, body, held_on, title, minutes=""):
    actions._check_scope(user, body.organisation_id)
    meeting = Meeting(
        body=body, held_on=held_on, title=(title or "").strip(), minutes=(minutes or "").strip()
    )
    if held_on is None:
        raise ValidationError(_("Give the date of the meeting."))
    meeting.full_clean(exclude=["body"])
    with acting(user), transaction.atomic():
        meeting.save()
    return meeting


def save_minutes(user, meeting, title, held_on, minutes):
    actions._check_scope(user, meeting.body.organisation_id)
    meeting.title, meeting.held_on, meeting.minutes = (title or "").strip(), held_on, (minutes or "").strip()
    if held_on is None:
        raise ValidationError(_("Give the date of the meeting."))
    meeting.full_clean(exclude=["body"])
    with acting(user), transaction.atomic():
        meeting.save()
    return meeting


def add_decision(user, meeting, text, due, owner_user=None, owner_organisation=None):
    """A decision of the meeting that someone has to carry out: an action item whose source is the meeting."""
    return actions.save_action(
        user,
        ActionItem(organisation_id=meeting.body.organisation_id),
        text,
        due,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        source=meeting,
        source_kind=SourceKind.MEETING,
    )


# Agreements ------------------------------------------------------------------------------------


def save_agreement(user, agreement, data, contacts=(), organisations=()):
    """Create (``agreement`` unsaved, its ``organisation`` set) or change an agreement; the parties'
    key contacts then show its status (``sync_contacts``)."""
    if agreement.pk:
        stored = Agreement.objects.get(pk=agreement.pk)
        actions._check_scope(user, stored.organisation_id)
        agreement.organisation_id = stored.organisation_id
        before = set(stored.contacts.values_list("pk", flat=True))
    else:
        actions._check_scope(user, agreement.organisation_id)
        before = set()
    contacts = _check_contacts(user, contacts)
    for name in ("title", "status", "signed_on", "renewal_due", "focal_user", "link", "notes"):
        if name in data:
            setattr(agreement, name, data[name])
    if agreement.status == AgreementStatus.SIGNED and agreement.signed_on is None:
        raise ValidationError(_("A signed agreement needs its signing date."))
    if agreement.signed_on and agreement.renewal_due and agreement.renewal_due < agreement.signed_on:
        raise ValidationError(_("The renewal date comes after the signing date."))
    if agreement.focal_user_id and not actions.owner_users(user).filter(pk=agreement.focal_user_id).exists():
        raise ValidationError(_("Choose an owner among the staff you work with."))
    if not contacts and not list(organisations):
        raise ValidationError(_("Name at least one party: a key contact or an organisation."))
    agreement.full_clean(exclude=["organisation", "focal_user"])
    with acting(user), transaction.atomic():
        agreement.save()
        agreement.contacts.set(contacts)
        agreement.organisations.set(organisations)
        sync_contacts(before | {c.pk for c in contacts})
    return agreement


def derived_status(agreements):
    """(status, date) of a contact from the agreements that name it: the strongest, its signing date."""
    best = None
    for agreement in agreements:
        if best is None or STRENGTH.index(agreement.status) < STRENGTH.index(best.status):
            best = agreement
    if best is None:
        return AgreementStatus.NONE, None
    return best.status, best.signed_on


def sync_contacts(contact_ids):
    """Write each contact's derived agreement status and date (the contact's own fields are only a
    reading of its agreements, for its page, the API and exports)."""
    for contact in KeyContact.objects.filter(pk__in=contact_ids).prefetch_related("agreements"):
        status, date = derived_status(contact.agreements.all())
        if (contact.agreement_status, contact.agreement_date) != (status, date):
            contact.agreement_status, contact.agreement_date = status, date
            contact.save(update_fields=["agreement_status", "agreement_date", "updated"])


def agreements_of_contact(user, contact):
    """The agreements naming ``contact`` that the user reads (the contact's page links them)."""
    return Agreement.objects.for_user(user).filter(contacts=contact)


def send_renewal_reminders(today=None):
    """Email the person responsible for each signed agreement whose renewal is due within
    ``RENEWAL_NOTICE_DAYS`` (or past), at most every ``RENEWAL_REPEAT_DAYS``. Returns how many."""
    today = today or timezone.localdate()
    due = (
        Agreement.objects.filter(
            status=AgreementStatus.SIGNED,
            renewal_due__isnull=False,
            renewal_due__lte=today + timezone.timedelta(days=RENEWAL_NOTICE_DAYS),
            focal_user__isnull=False,
            focal_user__is_active=True,
        )
        .exclude(focal_user__email="")
        .exclude(reminded_on__gt=today - timezone.timedelta(days=RENEWAL_REPEAT_DAYS))
        .select_related("focal_user__profile")
    )
    sent = 0
    for agreement in due:
        user = agreement.focal_user
        profile = getattr(user, "profile", None)
        with translation.override((profile.language if profile else "") or settings.LANGUAGE_CODE):
            values = {
                "title": agreement.title,
                "date": agreement.renewal_due.isoformat(),
                "url": settings.SITE_URL.rstrip("/") + reverse("plans:agreement", args=[agreement.pk]),
            }
            subject = _("Agreement to renew by %(date)s: %(title)s") % values
            body = _("The agreement “%(title)s” is due for renewal on %(date)s. See it: %(url)s") % values
        try:
            mail.send_mail(subject, body, None, [user.email])
        except OSError:
            continue
        Agreement.objects.filter(pk=agreement.pk).update(reminded_on=today)
        sent += 1
    return sent


def agreements_from_contacts():
    """An Agreement for each key contact whose status was typed on the contact and that no agreement
    names yet (the demo's contacts; the migration did the same for existing data). Returns how many."""
    made = 0
    for contact in KeyContact.objects.exclude(agreement_status=AgreementStatus.NONE).filter(
        agreements__isnull=True
    ):
        agreement = Agreement.objects.create(
            organisation_id=contact.organisation_id,
            title=f"Agreement with {contact.name}"[:200],
            status=contact.agreement_status,
            signed_on=contact.agreement_date,
        )
        agreement.contacts.add(contact)
        made += 1
    return made
