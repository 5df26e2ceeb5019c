"""Reads and writes of key contacts that every entry point shares."""

import copy

from django.core.exceptions import ValidationError
from django.db.models import Q

from lifeline.core.errors import Invalid
from lifeline.core.names import normalise_language


def search_contacts(queryset, q="", category="", language="", area=None, trust="", h24=False, stale=False):
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(affiliation__icontains=q)
            | Q(role_title__icontains=q)
            | Q(capacity__icontains=q)
        )
    if category:
        queryset = queryset.filter(category=category)
    if language:
        queryset = queryset.filter(languages__code=normalise_language(language) or language)
    if area is not None:
        queryset = queryset.filter(coverage_areas=area)
    if trust:
        queryset = queryset.filter(trust_level=trust)
    if h24:
        queryset = queryset.filter(available_24_7=True)
    if stale:
        queryset = queryset.stale()
    return queryset.distinct()


def to_vcards(contacts, include_personal):
    """vCard 3.0 text for the contacts; channels only when the reader may see them."""
    import vobject

    from lifeline.core.models import Branding

    prodid = f"-//{Branding.current().product_name}//Key contacts//EN"
    cards = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("prodid").value = prodid
        card.add("fn").value = contact.name
        if contact.kind == "individual":
            parts = contact.name.split(" ", 1)
            card.add("n").value = vobject.vcard.Name(
                family=parts[-1], given=parts[0] if len(parts) > 1 else ""
            )
        else:
            card.add("n").value = vobject.vcard.Name(family=contact.name)
        if contact.affiliation or contact.kind == "organisation":
            card.add("org").value = [contact.affiliation or contact.name]
        if contact.role_title:
            card.add("title").value = contact.role_title
        if include_personal:
            for channel in contact.channels or []:
                kind, value = channel["type"], channel["value"]
                if kind in ("phone", "sms", "whatsapp", "signal", "viber"):
                    tel = card.add("tel")
                    tel.value = value
                    tel.type_param = {"sms": "TEXT", "phone": "VOICE"}.get(kind, "CELL")
                elif kind == "email":
                    card.add("email").value = value
                elif kind == "website":
                    card.add("url").value = value
                else:
                    card.add("x-socialprofile").value = f"{kind}:{value}"
        langs = [lang.code for lang in contact.languages.all()]
        if langs:
            card.add("x-languages").value = ", ".join(langs)
        card.add("categories").value = [contact.get_category_display()]
        if contact.notes:
            card.add("note").value = contact.notes
        cards.append(card.serialize())
    return "".join(cards)


# The fields of a key contact that ``save_contact`` writes; ``languages`` and ``coverage_areas`` are
# many-to-many (lists of ``Language`` and ``AdminArea`` rows), ``channels`` a list of {type, value}.
FIELDS = (
    "organisation",
    "name",
    "kind",
    "category",
    "affiliation",
    "role_title",
    "languages",
    "channels",
    "coverage_areas",
    "coverage_note",
    "available_24_7",
    "trust_level",
    "capacity",
    "last_verified",
    "notes",
)
MANY = ("languages", "coverage_areas")


def _acting(by):
    from lifeline.core import audit

    current = audit.current_actor()
    return audit.acting_as(by, ip=current.ip, via=current.via)


def check_writer(by, contact=None, editing=True):
    """Refuse (PermissionDenied) a user who may not change key contacts, or this one: a contact
    kept elsewhere, or (``editing``) one whose channels the user may not see (no editing what one
    may not see)."""
    from django.core.exceptions import PermissionDenied

    from lifeline.core import disclosure
    from lifeline.core.models import Action, Area
    from lifeline.core.permissions import has_perm
    from lifeline.directory.models import KeyContact

    if not has_perm(by, Area.CONTACTS, Action.CHANGE):
        raise PermissionDenied
    if contact is not None and contact.pk is not None:
        stored = KeyContact.objects.for_user(by, Action.CHANGE).filter(pk=contact.pk).first()
        if stored is None:
            raise PermissionDenied
        if editing and stored.channels:
            disclosure.require(by, stored)


def contact_errors(by, contact, values):
    """The rules of a key contact's values, {field: [messages]} ({} when they hold): kept by an
    organisation the user may write to; each channel a known type with a value that reads as one
    (phone numbers dialled locally are read in the country of that organisation); and the model's
    own rules (lengths, choices)."""
    from django.forms import ModelChoiceField
    from django.utils.translation import gettext as _

    from lifeline.core import defaults
    from lifeline.core.permissions import writable_organisations
    from lifeline.directory.models import KeyContact
    from lifeline.directory.tabular import normalise_channel

    errors = {}
    if not str(values.get("name") or "").strip():
        errors["name"] = [_("This field is required.")]
    organisation = values.get("organisation")
    if organisation is None:
        errors["organisation"] = [_("This field is required.")]
    elif not writable_organisations(by).filter(pk=organisation.pk).exists():
        errors["organisation"] = [str(ModelChoiceField.default_error_messages["invalid_choice"])]
    region = defaults.phone_region(organisation=organisation)
    found = []
    for channel in values.get("channels") or ():
        try:
            normalise_channel(channel["type"], channel["value"], region)
        except ValidationError as exc:
            found.extend(str(m) for m in exc.messages)
    if found:
        errors["channels"] = found
    candidate = copy.copy(contact) if contact is not None else KeyContact()
    _apply(candidate, values, None if found else region)
    try:
        candidate.full_clean(exclude=list(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update({field: [str(m) for m in found] for field, found in exc.message_dict.items()})
    return in_order(errors)


def _apply(contact, values, region):
    """Copy ``values`` onto ``contact`` (not its many-to-many links); channels normalised in
    ``region``'s way of dialling (as given when ``region`` is None: they did not read)."""
    from lifeline.directory.tabular import normalise_channel

    for name in FIELDS:
        if name in MANY or name not in values:
            continue
        value = values[name]
        if name == "channels" and region is not None:
            value = [
                {"type": c["type"], "value": normalise_channel(c["type"], c["value"], region)}
                for c in value or ()
            ]
        setattr(contact, name, value)


def in_order(errors):
    """``errors`` in the order of the fields (as the page's form lists them), others last."""
    rank = {name: i for i, name in enumerate(FIELDS)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def save_contact(by, contact, values, *, version=""):
    """Create (``contact`` None) or change a key contact, as ``by``: every rule checked before
    anything is saved, then saved with its languages and coverage areas in one transaction and
    audited as ``by``. ``values`` are plain values (rows, dates, lists: see ``FIELDS``); channels
    are stored normalised. ``version`` is the one its author read (``core/versions``: the page's
    form, the API's ``If-Match``): when the contact has changed since, ``ChangedMeanwhile`` and
    nothing changes. Refused input raises ``Invalid``. Returns the contact."""
    from django.db import transaction

    from lifeline.core import defaults
    from lifeline.core.versions import ChangedMeanwhile, current_fingerprint
    from lifeline.directory.models import KeyContact

    check_writer(by, contact)
    errors = contact_errors(by, contact, values)
    if errors:
        raise Invalid(errors)
    contact = contact if contact is not None else KeyContact()
    _apply(contact, values, defaults.phone_region(organisation=values["organisation"]))
    with _acting(by), transaction.atomic():
        if version and contact.pk is not None and current_fingerprint(contact, lock=True) != version:
            raise ChangedMeanwhile(contact)
        contact.save()
        for name in MANY:
            if name in values:
                getattr(contact, name).set(values[name])
    return contact


def delete_contact(by, contact):
    """Delete a key contact, as ``by`` (``core/deletion``: a ``ValidationError`` when something
    still needs it, and nothing is deleted)."""
    from lifeline.core import deletion

    check_writer(by, contact, editing=False)
    with _acting(by):
        deletion.delete(contact)


def mark_verified(by, contact):
    """Record that ``by`` checked the contact's details today."""
    from django.utils import timezone

    check_writer(by, contact, editing=False)
    contact.last_verified = timezone.localdate()
    with _acting(by):
        contact.save()
    return contact
