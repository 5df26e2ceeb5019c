"""The audience of a check-in campaign, for the messaging engine: everyone asked, who agreed to crisis messages."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from lifeline.core.models import Area
from lifeline.core.permissions import people_organisation_ids
from lifeline.messaging.audiences import after_id, register, registration_recipients


def _check(definition, user):
    from lifeline.crises.models import CheckInCampaign, Crisis

    campaign_id = definition.get("campaign")
    if not isinstance(campaign_id, int) or isinstance(campaign_id, bool):
        raise ValidationError(_("A campaign audience names its campaign."))
    campaign = CheckInCampaign.objects.filter(pk=campaign_id).first()
    visible = Crisis.objects.all() if user is None else Crisis.objects.for_user(user)
    if campaign is None or not visible.filter(pk=campaign.crisis_id).exists():
        raise ValidationError(_("You may not send to this audience."))
    checked = {"kind": "campaign", "campaign": campaign_id}
    if user is not None:
        # Only the people the sender may reach (core.permissions.people_organisation_ids).
        reached = people_organisation_ids(user, Area.CRISES)
        if reached is not None:
            checked["organisation_ids"] = sorted(reached)
    return checked


@register("campaign", check=_check)
def campaign_members(definition, after, limit):
    from lifeline.crises.models import CheckInRequest
    from lifeline.nationals.models import Consent, Purpose, Registration

    asked = CheckInRequest.objects.filter(campaign_id=definition["campaign"], registration_id=OuterRef("pk"))
    consented = Consent.objects.filter(
        registration=OuterRef("pk"), purpose=Purpose.CRISIS_MESSAGES, granted=True
    )
    rows = Registration.objects.active().filter(Exists(asked), Exists(consented), pk__gt=after_id(after))
    if "organisation_ids" in definition:
        rows = rows.filter(organisation_id__in=definition["organisation_ids"])
    rows = rows.order_by("pk").only("pk", "phone", "email", "languages")[:limit]
    return registration_recipients(rows)
