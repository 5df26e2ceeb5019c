"""What of messaging waits for a worker: read by /readyz, ``lifeline status`` and the staff banner
(registered with ``core.health`` in ``MessagingConfig.ready``)."""

from lifeline.messaging.models import DeadLetter, Delivery, Send


def waiting_work():
    """Sends not finished, deliveries still queued, and dead letters (messages given up on)."""
    return {
        "sends_waiting": Send.objects.exclude(status="done").count(),
        "deliveries_queued": Delivery.objects.filter(state="queued").count(),
        "dead_letters": DeadLetter.objects.count(),
    }


def sends_waiting():
    return Send.objects.exclude(status="done").exists()
