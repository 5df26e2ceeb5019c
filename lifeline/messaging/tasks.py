"""Celery tasks of the messaging engine: thin wrappers around services.

Payloads are ids and batch numbers only. Batch tasks are acknowledged late and
rejected (so re-queued) when their worker dies; they are idempotent, because
only queued deliveries (or ones this same task had claimed) are sent.
"""

from celery import shared_task
from celery.signals import worker_init, worker_process_init

from lifeline.messaging import services

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="messaging.resolve_send", **RELIABLE)
def resolve_send(send_id):
    def enqueue(batch):
        deliver.apply_async((send_id, batch), queue=services.queue())

    services.resolve_send(send_id, enqueue)


@shared_task(name="messaging.deliver", bind=True, **RELIABLE)
def deliver(self, send_id, batch):
    eager = bool(self.request.is_eager)

    def retry_later(seconds):
        # Without a broker a countdown cannot wait: a later retry is left to the periodic sweep.
        if not (eager and seconds > 0):
            deliver.apply_async((send_id, batch), countdown=seconds, queue=services.queue())

    # The claim is the task's id: a re-delivered message (its worker died) takes back what it had claimed.
    return services.deliver_batch(
        send_id, batch, claim=None if eager else self.request.id, retry_later=retry_later
    )


@shared_task(name="messaging.check_fallbacks")
def check_fallbacks():
    return services.check_fallbacks()


@shared_task(name="messaging.sweep")
def sweep():
    return len(services.sweep())


@worker_init.connect
@worker_process_init.connect
def _warm_up(**kwargs):
    """Load the URL configuration and the channels before work arrives (before the pool forks, where it can)."""
    import time

    started = time.perf_counter()
    services.unsubscribe_url("warm-up")
    for name in getattr(services.settings, "MESSAGING_CHANNEL_CLASSES", {}):
        services.get_channel(name)
    services.log.info("messaging warm-up took %.2fs", time.perf_counter() - started)
