from celery import shared_task


@shared_task
def poll_gdacs():
    """Fetch and import every GDACS document of ``settings.RISK_GDACS_URLS`` (the scheduler's
    "risk-poll-gdacs" entry), relaying new events and episodes to the posts."""
    from lifeline.core.audit import acting_as
    from lifeline.risk.gdacs import poll

    with acting_as(None, via="task"):
        return poll()
