"""The audience of an assembly point, for the messaging engine: the people assigned to it, or only
those checked in there, who agreed to crisis messages (``evacuation.point_messages`` is the rule
that pages call; the preview and the send both resolve it here). A closed crisis's points are
messaged by no one (``refuse_if_closed``, asked by every check of this audience)."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from lifeline.core.models import Action, Area
from lifeline.core.permissions import people_organisation_ids
from lifeline.messaging.audiences import after_id, register, registration_recipients

# Who is "at" a point: those on their way to it or there (not those who boarded, arrived,
# declined or never came); ``present`` narrows it to those checked in at the point.
WHO = {
    "assigned": ("to_contact", "confirmed", "at_point"),
    "present": ("at_point",),
}


def refuse_if_closed(point):
    """A closed crisis messages no one at its assembly points: the preview, the page and any API are
    refused with the reason (ValidationError), and nothing is stored or sent."""
    if not point.crisis.is_active:
        raise ValidationError(
            _("The crisis “%(crisis)s” is closed: no message goes to its assembly points any more.")
            % {"crisis": point.crisis.name}
        )


def _check(definition, user):
    from lifeline.evacuation.models import AssemblyPoint

    point_id = definition.get("point")
    if not isinstance(point_id, int) or isinstance(point_id, bool):
        raise ValidationError(_("An assembly point audience names its assembly point."))
    who = definition.get("who", "assigned")
    if who not in WHO:
        raise ValidationError(_("Choose who at the assembly point receives the message."))
    points = (
        AssemblyPoint.objects.all() if user is None else AssemblyPoint.objects.for_user(user, Action.CHANGE)
    )
    point = points.select_related("crisis").filter(pk=point_id).first()
    if point is None:
        raise ValidationError(_("You may not send to this audience."))
    refuse_if_closed(point)
    checked = {"kind": "assembly_point", "point": point_id, "who": who}
    if user is not None:
        # Only the people the sender may reach (core.permissions.people_organisation_ids).
        reached = people_organisation_ids(user, Area.CRISES)
        if reached is not None:
            checked["organisation_ids"] = sorted(reached)
    elif "organisation_ids" in definition:
        checked["organisation_ids"] = definition["organisation_ids"]
    return checked


def point_registrations(definition):
    """The registrations a definition reaches, before consent: active, on the point with a status of ``who``."""
    from lifeline.evacuation.models import Evacuee
    from lifeline.nationals.models import Registration

    on_point = Evacuee.objects.filter(
        assembly_point_id=definition["point"],
        registration_id=OuterRef("pk"),
        status__in=WHO[definition.get("who", "assigned")],
    )
    rows = Registration.objects.active().filter(Exists(on_point))
    if "organisation_ids" in definition:
        rows = rows.filter(organisation_id__in=definition["organisation_ids"])
    return rows


@register("assembly_point", check=_check)
def point_members(definition, after, limit):
    from lifeline.nationals.models import Consent, Purpose

    consented = Consent.objects.filter(
        registration=OuterRef("pk"), purpose=Purpose.CRISIS_MESSAGES, granted=True
    )
    rows = point_registrations(definition).filter(Exists(consented), pk__gt=after_id(after))
    rows = rows.order_by("pk").only("pk", "phone", "email", "languages")[:limit]
    return registration_recipients(rows)
