from celery import shared_task


@shared_task
def dispatch_campaign_task(campaign_id):
    """Send a check-in campaign in the background (in-process when there is no broker)."""
    from lifeline.crises.models import CheckInCampaign
    from lifeline.crises.services import dispatch_campaign

    campaign = CheckInCampaign.objects.filter(pk=campaign_id).first()
    return dispatch_campaign(campaign).pk if campaign is not None else None
