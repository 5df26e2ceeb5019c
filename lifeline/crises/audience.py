"""The audiences of check-ins, for the messaging engine: who a campaign reaches, and who one started now would.

``campaign``: everyone the campaign asked, who agreed to crisis messages (the send of a campaign).
``crisis``: everyone inside the crisis area now, who agreed to crisis messages: the people a
campaign started now would ask and reach (the check-in composer counts them before sending).
Both are the one queryset below, so the composer's counts are the send's.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from lifeline.core.models import Area
from lifeline.core.permissions import people_organisation_ids
from lifeline.messaging.audiences import after_id, register, registration_recipients


def _id(definition, name):
    value = definition.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        if name == "campaign":
            raise ValidationError(_("A campaign audience names its campaign."))
        raise ValidationError(_("You may not send to this audience."))
    return value


def _checked(definition, user, crisis_id, name):
    from lifeline.crises.models import Crisis

    visible = Crisis.objects.all() if user is None else Crisis.objects.for_user(user)
    if crisis_id is None or not visible.filter(pk=crisis_id).exists():
        raise ValidationError(_("You may not send to this audience."))
    checked = {"kind": definition["kind"], name: definition[name]}
    if user is not None:
        # Only the people the sender may reach (core.permissions.people_organisation_ids).
        reached = people_organisation_ids(user, Area.CRISES)
        if reached is not None:
            checked["organisation_ids"] = sorted(reached)
    return checked


def _check(definition, user):
    from lifeline.crises.models import CheckInCampaign

    campaign_id = _id(definition, "campaign")
    crisis_id = CheckInCampaign.objects.filter(pk=campaign_id).values_list("crisis_id", flat=True).first()
    return _checked(definition, user, crisis_id, "campaign")


def _check_crisis(definition, user):
    return _checked(definition, user, _id(definition, "crisis"), "crisis")


def _members(definition, after, limit):
    """The registrations a check-in reaches: asked by the campaign (or inside the crisis), active,
    with consent to crisis messages, in the organisations the definition names; a page in id order."""
    from lifeline.crises.models import CheckInRequest, CrisisMember
    from lifeline.nationals.models import Consent, Purpose, Registration

    if "campaign" in definition:
        asked = CheckInRequest.objects.filter(
            campaign_id=definition["campaign"], registration_id=OuterRef("pk")
        )
    else:
        asked = CrisisMember.objects.filter(crisis_id=definition["crisis"], registration_id=OuterRef("pk"))
    consented = Consent.objects.filter(
        registration=OuterRef("pk"), purpose=Purpose.CRISIS_MESSAGES, granted=True
    )
    rows = Registration.objects.active().filter(Exists(asked), Exists(consented), pk__gt=after_id(after))
    if "organisation_ids" in definition:
        rows = rows.filter(organisation_id__in=definition["organisation_ids"])
    rows = rows.order_by("pk").only("pk", "phone", "email", "languages")[:limit]
    return registration_recipients(rows)


@register("campaign", check=_check)
def campaign_members(definition, after, limit):
    return _members(definition, after, limit)


@register("crisis", check=_check_crisis)
def crisis_members(definition, after, limit):
    return _members({key: value for key, value in definition.items() if key != "campaign"}, after, limit)
