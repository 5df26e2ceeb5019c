"""Background jobs for travel advice: telling subscribers, after the approval has been committed."""

from celery import shared_task

from lifeline.core.audit import acting_as


@shared_task(name="advice.notify_subscribers")
def notify_subscribers(version_id, previous_id=None):
    from lifeline.advice import services
    from lifeline.advice.models import AdviceVersion

    version = (
        AdviceVersion.objects.select_related("advice__country", "advice__area").filter(pk=version_id).first()
    )
    if version is None:
        return 0
    previous = AdviceVersion.objects.filter(pk=previous_id).first() if previous_id else None
    with acting_as(via="task"):
        return services.notify_subscribers(version, previous)


@shared_task(name="advice.purge_unconfirmed_subscriptions")
def purge_unconfirmed_subscriptions():
    from lifeline.advice import services

    with acting_as(via="task"):
        return services.purge_unconfirmed()
