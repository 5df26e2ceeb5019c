from celery import shared_task


@shared_task
def poll_feeds():
    """Poll every active feed subscription, then expire alerts whose time is over."""
    from lifeline.alerts.feeds import poll_feed
    from lifeline.alerts.models import FeedSubscription
    from lifeline.alerts.services import expire_alerts
    from lifeline.core.audit import acting_as

    totals = {"feeds": 0, "imported": 0, "rejected": 0, "errors": 0}
    with acting_as(None, via="task"):
        for subscription in FeedSubscription.objects.filter(active=True).select_related("organisation"):
            report = poll_feed(subscription)
            totals["feeds"] += 1
            totals["imported"] += report.imported
            totals["rejected"] += report.rejected
            totals["errors"] += bool(report.error)
        totals["expired"] = expire_alerts()
    return totals
