"""Audiences: who a send reaches, resolved late and in pages.

A kind is a resolver ``resolver(definition, after, limit) -> list[Recipient]``
that returns at most ``limit`` recipients whose key sorts after ``after``, in
key order (keyset pagination: never everyone at once). A kind may also have a
``check(definition, user) -> definition`` that refuses (ValidationError) what
the user may not reach and fills in defaults; ``start_send`` calls it.

Other apps register their own kinds with ``@register("kind")``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lifeline.core.models import Action, Area, Role
from lifeline.core.permissions import has_perm, is_immigration, organisation_ids_for

ID_WIDTH = 12  # keys carry zero-padded ids so that they sort as strings in id order


@dataclass
class Recipient:
    key: str
    languages: list = field(default_factory=list)
    addresses: dict = field(default_factory=dict)


@dataclass
class Kind:
    resolver: object
    check: object = None
    label: str = ""


KINDS: dict[str, Kind] = {}


def register(kind, check=None, label=""):
    def decorate(resolver):
        KINDS[kind] = Kind(resolver, check, label or kind)
        return resolver

    return decorate


def _load_modules():
    """Import the modules that settings.MESSAGING_AUDIENCE_MODULES names (kinds registered outside an app's ready())."""
    import importlib

    from django.conf import settings

    for name in settings.MESSAGING_AUDIENCE_MODULES:
        importlib.import_module(name)


def get(kind):
    if kind not in KINDS:
        _load_modules()
    try:
        return KINDS[kind]
    except KeyError:
        raise ValidationError(_("Unknown audience “%(kind)s”.") % {"kind": kind}) from None


def resolve(definition, after="", limit=500):
    return get(definition.get("kind", "")).resolver(definition, after, limit)


def check(definition, user):
    """The definition as it will be stored, or ValidationError if the user may not reach this audience."""
    if not isinstance(definition, dict):
        raise ValidationError(_("The audience must be an object with a “kind”."))
    kind = get(definition.get("kind", ""))
    return kind.check(dict(definition), user) if kind.check else dict(definition)


def key(prefix, pk):
    return f"{prefix}:{pk:0{ID_WIDTH}d}"


def key_sql(prefix, expression):
    """``key`` in PostgreSQL, for an id given by the SQL ``expression``."""
    return f"('{prefix}:' || lpad(({expression})::text, {ID_WIDTH}, '0'))"


def after_id(after):
    """The id in a key made by ``key`` (0 before the first)."""
    if not after:
        return 0
    try:
        return int(after.rpartition(":")[2])
    except ValueError:
        return 0


def _int_list(definition, name):
    values = definition.get(name) or []
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise ValidationError(_("“%(name)s” must be a list of ids.") % {"name": name})
    return values


def _organisations(definition, user, area):
    """The organisations named in the definition, limited to those the user sees in ``area``; default all seen."""
    if user is not None and not has_perm(user, area, Action.VIEW):
        raise ValidationError(_("You may not send to this audience."))
    asked = _int_list(definition, "organisation_ids")
    visible = organisation_ids_for(user, area) if user is not None else None
    if visible is None:
        return asked
    if asked and not set(asked) <= set(visible):
        raise ValidationError(_("You may only send to the organisations you work for."))
    return asked or sorted(visible)


# Built-in kinds -----------------------------------------------------------------


def may_send_large_static(user):
    """Whether ``user`` may send to a typed-in list longer than settings.MESSAGING_STATIC_LIMIT.

    Such a list reaches people no registry vouches for, so above the limit it takes
    a coordinator (or an administrator); system sends (no user) are trusted."""
    if user is None or (user.is_superuser and getattr(user, "profile", None) is None):
        return True
    profile = getattr(user, "profile", None)
    return profile is not None and profile.role in (Role.COORDINATOR, Role.ADMINISTRATOR)


def _check_static(definition, user):
    from django.conf import settings

    recipients = definition.get("recipients")
    if not isinstance(recipients, list) or len(recipients) > 10_000:
        raise ValidationError(_("A static audience is a list of at most 10,000 recipients."))
    limit = settings.MESSAGING_STATIC_LIMIT
    if len(recipients) > limit and not may_send_large_static(user):
        raise ValidationError(
            _(
                "A list of more than %(limit)s addresses can only be sent by a coordinator: "
                "ask a coordinator to send it, or send to a group of the registry instead."
            )
            % {"limit": limit}
        )
    for r in recipients:
        if not (
            isinstance(r, dict) and isinstance(r.get("key"), str) and isinstance(r.get("addresses", {}), dict)
        ):
            raise ValidationError(_("Each static recipient needs a “key” and “addresses”."))
    definition["recipients"] = sorted(recipients, key=lambda r: r["key"])
    return definition


@register("static", check=_check_static)
def static(definition, after, limit):
    """A short list stored in the definition itself (tests, small ad-hoc sends)."""
    rows = sorted(definition.get("recipients", []), key=lambda r: r["key"])
    found = [r for r in rows if r["key"] > after][:limit]
    return [Recipient(r["key"], list(r.get("languages", [])), dict(r.get("addresses", {}))) for r in found]


def _check_subscribers(definition, user):
    """Alert subscribers are reached by place, whoever sends: only an alerting authority may send to them."""
    from lifeline.core.models import Organisation, OrganisationKind

    definition["organisation_ids"] = _organisations(definition, user, Area.MESSAGING)
    _int_list(definition, "area_ids")
    for name in ("polygons", "circles"):
        values = definition.get(name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValidationError(_("“%(name)s” must be a list of CAP texts.") % {"name": name})
    if user is not None and not (
        user.is_superuser
        or Organisation.objects.filter(
            pk__in=definition["organisation_ids"], kind=OrganisationKind.CIVIL_PROTECTION
        ).exists()
    ):
        raise ValidationError(
            _("Only an alerting authority (civil protection) may send to alert subscribers.")
        )
    return definition


@register("subscribers", check=_check_subscribers)
def subscribers(definition, after, limit):
    """Confirmed alert subscribers whose places the alert's area touches (``places``), whoever sends."""
    import shapely
    from django.db.models import Exists, OuterRef, Q

    from lifeline.messaging.models import AlertSubscriber
    from lifeline.messaging.places import footprint

    where = footprint(definition)
    queryset = AlertSubscriber.objects.filter(confirmed=True)
    if not where.everywhere:
        in_areas = AlertSubscriber.areas.through.objects.filter(
            alertsubscriber_id=OuterRef("pk"), adminarea_id__in=where.area_ids
        )
        queryset = queryset.annotate(by_area=Exists(in_areas))
        reach = Q(whole_country=True) | Q(by_area=True)
        if where.shape is not None:
            minx, miny, maxx, maxy = where.shape.bounds
            reach |= Q(lat__gte=miny, lat__lte=maxy, lon__gte=minx, lon__lte=maxx)
            shapely.prepare(where.shape)
        queryset = queryset.filter(reach)
    found, cursor = [], after_id(after)
    while len(found) < limit:
        page = list(queryset.filter(pk__gt=cursor).order_by("pk")[:limit])
        for s in page:
            # A point found by its box is in only if it is inside the shape itself.
            if (
                where.everywhere
                or s.whole_country
                or s.by_area
                or shapely.contains_xy(where.shape, s.lon, s.lat)
            ):
                found.append(Recipient(key("subscriber", s.pk), list(s.languages), {s.channel: s.address}))
        if len(page) < limit:
            break
        cursor = page[-1].pk
    return found[:limit]


def _check_contacts(definition, user):
    definition["organisation_ids"] = _organisations(definition, user, Area.CONTACTS)
    if user is not None and is_immigration(getattr(getattr(user, "profile", None), "organisation", None)):
        definition["organisations_only"] = (
            True  # individuals are never reached through an immigration authority
        )
    _int_list(definition, "area_ids")
    return definition


@register("contacts", check=_check_contacts)
def contacts(definition, after, limit):
    """Key contacts (who pass the message on), by their SMS/phone and email channels."""
    from lifeline.directory.models import KeyContact

    queryset = KeyContact.objects.filter(
        pk__gt=after_id(after), organisation_id__in=definition.get("organisation_ids", [])
    )
    if definition.get("area_ids"):
        queryset = queryset.filter(coverage_areas__in=definition["area_ids"]).distinct()
    if definition.get("organisations_only"):
        queryset = queryset.filter(kind="organisation")
    found = []
    for contact in queryset.prefetch_related("languages").order_by("pk")[:limit]:
        phones = contact.channel_values("sms") or contact.channel_values("phone")
        emails = contact.channel_values("email")
        addresses = {k: v[0] for k, v in (("sms", phones), ("email", emails)) if v}
        found.append(
            Recipient(key("contact", contact.pk), [lang.code for lang in contact.languages.all()], addresses)
        )
    return found


def _check_interpreters(definition, user):
    definition["organisation_ids"] = _organisations(definition, user, Area.INTERPRETERS)
    return definition


@register("interpreters", check=_check_interpreters)
def interpreters(definition, after, limit):
    """Active interpreters who agreed to be contacted, in the languages they work in."""
    from lifeline.interpreters.models import Interpreter

    queryset = Interpreter.objects.filter(
        pk__gt=after_id(after),
        active=True,
        consent_contact=True,
        organisation_id__in=definition.get("organisation_ids", []),
    )
    found = []
    for person in queryset.prefetch_related("pairs__source", "pairs__target").order_by("pk")[:limit]:
        languages = []
        for pair in person.pairs.all():
            for code in (pair.target.code, pair.source.code):
                if code not in languages:
                    languages.append(code)
        addresses = {k: v for k, v in (("sms", person.phone), ("email", person.email)) if v}
        found.append(Recipient(key("interpreter", person.pk), languages, addresses))
    return found


def _check_staff(definition, user):
    definition["organisation_ids"] = _organisations(definition, user, Area.MESSAGING)
    return definition


@register("staff", check=_check_staff)
def staff(definition, after, limit):
    """Active staff accounts of the organisations, by email."""
    from django.contrib.auth import get_user_model

    queryset = (
        get_user_model()
        .objects.filter(
            pk__gt=after_id(after),
            is_active=True,
            profile__organisation_id__in=definition.get("organisation_ids", []),
        )
        .exclude(email="")
    )
    return [Recipient(key("staff", u.pk), [], {"email": u.email}) for u in queryset.order_by("pk")[:limit]]


def _check_nationals(definition, user):
    if user is not None:
        organisation = getattr(getattr(user, "profile", None), "organisation", None)
        if organisation is not None and is_immigration(organisation):
            raise ValidationError(_("You may not send to this audience."))
    definition["organisation_ids"] = _organisations(definition, user, Area.NATIONALS)
    _int_list(definition, "area_ids")
    countries = definition.get("countries") or []
    if not isinstance(countries, list) or not all(isinstance(c, str) and len(c) == 2 for c in countries):
        raise ValidationError(_("“countries” must be a list of two-letter country codes."))
    definition["countries"] = [c.upper() for c in countries]
    return definition


@register("nationals", check=_check_nationals)
def nationals(definition, after, limit):
    """Active registrations of the posts, in the countries and areas, that consented to crisis messages."""
    from django.db.models import Exists, OuterRef

    from lifeline.nationals.models import Consent, Purpose, Registration

    consented = Consent.objects.filter(
        registration=OuterRef("pk"), purpose=Purpose.CRISIS_MESSAGES, granted=True
    )
    queryset = Registration.objects.active().filter(
        Exists(consented), pk__gt=after_id(after), organisation_id__in=definition.get("organisation_ids", [])
    )
    if definition.get("countries"):
        queryset = queryset.filter(country__code__in=definition["countries"])
    if definition.get("area_ids"):
        queryset = queryset.filter(area_id__in=definition["area_ids"])
    return registration_recipients(queryset.order_by("pk").only("pk", "phone", "email", "languages")[:limit])


def registration_recipients(rows):
    """Recipients for registrations of nationals: their languages, and push (the app), SMS and email addresses."""
    import json

    from lifeline.pwa.models import PushSubscription

    rows = list(rows)
    push = {}
    for sub in PushSubscription.objects.filter(registration_id__in=[r.pk for r in rows], gone=False).order_by(
        "created"
    ):
        push[sub.registration_id] = json.dumps(sub.subscription)  # the newest browser wins
    recipients = []
    for r in rows:
        addresses = {k: v for k, v in (("push", push.get(r.pk)), ("sms", r.phone), ("email", r.email)) if v}
        recipients.append(Recipient(key("registration", r.pk), list(r.languages or []), addresses))
    return recipients
