"""What every channel takes and gives back.

A channel sends a batch of ``OutboundMessage`` and returns one ``SendResult`` per
message, in the same order. It never raises for a problem with one message nor
for a network failure: it returns failed results, marked ``retryable`` when the
same message may succeed later (timeouts, 5xx, a dropped connection).
"""

import abc
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class OutboundMessage:
    delivery_id: int
    address: str
    language: str
    subject: str
    body: str
    short: str
    unsubscribe_url: str
    change_url: str = ""  # a subscriber's "change my places" link (``services.change_url``)


@dataclass
class SendResult:
    delivery_id: int
    ok: bool
    provider_id: str = ""
    error: str = ""
    retryable: bool = False
    delivered: bool = False
    # Extras (defaults keep the contract): SMS parts billed, and a push
    # subscription the push service says is gone for good (404/410).
    parts: int = 1
    gone: bool = False


def failed(message, error, retryable=False, **extra):
    return SendResult(
        delivery_id=message.delivery_id, ok=False, error=str(error)[:500], retryable=retryable, **extra
    )


DEFAULT_RATES = {"email": 20.0, "sms": 200.0, "push": 200.0, "manual": 1000.0}


class Channel(abc.ABC):
    name = ""
    max_batch = 100
    concurrency = 1  # requests in flight at once when a channel sends one request per message
    _pool = None
    _pool_lock = threading.Lock()

    @property
    def rate_per_second(self) -> float:
        rates = settings.MESSAGING_RATES or {}
        return float(rates.get(self.name, DEFAULT_RATES.get(self.name, 10.0)))

    @abc.abstractmethod
    def send_batch(self, messages: list[OutboundMessage]) -> list[SendResult]:
        """One result per message, same order; never raises."""

    def map_ordered(self, function, items):
        """``[function(item) ...]`` run ``concurrency`` at a time, results in the items' order."""
        if len(items) <= 1 or self.concurrency <= 1:
            return [function(item) for item in items]
        with self._pool_lock:
            if self._pool is None:  # made lazily, so a forked worker makes its own threads
                self._pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix=self.name)
            pool = self._pool
        return list(pool.map(function, items))

    def close(self):
        """Release threads and pooled connections (the cached channel is reused otherwise)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
