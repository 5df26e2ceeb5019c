"""Channels for the tests: an outbox per channel name that keeps what it was given, like Django's locmem mail.

An address containing "bounce" is refused for good, "flaky" fails retryably,
"slow" is accepted but never reported delivered. Push and SMS get provider ids
(they have receipts); email is "sent" only.
"""

import itertools

from lifeline.messaging.channels.base import SendResult

OUTBOX = []  # (channel, OutboundMessage)
_ids = itertools.count(1)


class Outbox:
    name = ""
    max_batch = 4
    rate_per_second = 0

    def send_batch(self, messages):
        results = []
        for m in messages:
            if "bounce" in m.address:
                results.append(SendResult(m.delivery_id, ok=False, error="address refused"))
            elif "flaky" in m.address:
                results.append(SendResult(m.delivery_id, ok=False, error="timeout", retryable=True))
            else:
                OUTBOX.append((self.name, m))
                results.append(SendResult(m.delivery_id, ok=True, provider_id=f"{self.name}-{next(_ids)}"))
        return results


class Push(Outbox):
    name = "push"


class Sms(Outbox):
    name = "sms"


class Email(Outbox):
    name = "email"


class Broken(Outbox):
    name = "email"

    def send_batch(self, messages):
        raise ConnectionError("gateway down")
