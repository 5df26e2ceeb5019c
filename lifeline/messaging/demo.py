"""Demo: confirmed alert subscribers in Amman and Irbid, and one finished send with deliveries in every state."""

import datetime

from django.utils import timezone

from lifeline.core.fields import blind_index
from lifeline.messaging.models import AlertSubscriber, DeadLetter, Delivery, Send, SendStatus, State

SUBSCRIBERS = [  # channel, address, languages, areas
    ("sms", "+962790100001", ["ar"], ["JO11"]),
    ("sms", "+962790100002", ["fil", "en"], ["JO11"]),
    ("sms", "+962790100003", ["bn", "en"], ["JO11", "JO21"]),
    ("email", "worker.amman@demo.invalid", ["si", "en"], ["JO11"]),
    ("sms", "+962790100005", ["ar", "en"], ["JO21"]),
    ("email", "student.irbid@demo.invalid", ["fr"], ["JO21"]),
    ("sms", "+962790100007", ["ur", "en"], ["JO21"]),
]
TEXTS = {
    "en": {
        "subject": "Flash flood warning",
        "body": "Flash flood warning for Amman and Irbid until 18:00. Keep away from wadis and low roads.",
        "short": "Flash flood warning until 18:00: keep away from wadis.",
    },
    "ar": {
        "subject": "تحذير من سيول",
        "body": "تحذير من سيول مفاجئة في عمان وإربد حتى الساعة 18:00. ابتعدوا عن الأودية والطرق المنخفضة.",
        "short": "تحذير من سيول حتى 18:00: ابتعدوا عن الأودية.",
    },
    "fil": {
        "subject": "Babala sa biglaang baha",
        "body": "Babala sa biglaang baha sa Amman at Irbid hanggang 18:00. Lumayo sa mga wadi at mababang daan.",
        "short": "Babala sa baha hanggang 18:00: lumayo sa mga wadi.",
    },
}


def load(orgs, areas, countries, rng, write):
    org = orgs["jcd"]
    subscribers = []
    for channel, address, languages, pcodes in SUBSCRIBERS:
        subscriber = AlertSubscriber.objects.filter(
            organisation=org, channel=channel, address_index=blind_index(address)
        ).first()
        if subscriber is None:
            subscriber = AlertSubscriber.objects.create(
                organisation=org, channel=channel, address=address, languages=languages, confirmed=True
            )
        subscriber.areas.set([areas[p] for p in pcodes if p in areas])
        subscribers.append((subscriber, channel, address, languages))

    send, created = Send.objects.get_or_create(
        organisation=org,
        source="demo",
        name="Flash flood warning (demo)",
        defaults={
            "audience": {
                "kind": "subscribers",
                "organisation_ids": [org.pk],
                "area_ids": [areas[p].pk for p in ("JO11", "JO21") if p in areas],
            },
            "texts": TEXTS,
            "channels": ["sms", "email"],
            "status": SendStatus.DONE,
        },
    )
    if created:
        now = timezone.now()
        states = [
            State.DELIVERED,
            State.DELIVERED,
            State.SENT,
            State.SENT,
            State.ANSWERED,
            State.FAILED,
            State.DELIVERED,
        ]
        for n, ((subscriber, channel, address, languages), state) in enumerate(
            zip(subscribers, states), start=1
        ):
            language = next((code for code in languages if code in TEXTS), "en")
            delivery = Delivery.objects.create(
                send=send,
                batch=1,
                recipient_key=f"subscriber:{subscriber.pk:012d}",
                language=language,
                addresses={channel: address},
                channel=channel,
                state=state,
                attempts=1,
                provider_id=f"demo-{n}" if state != State.FAILED else "",
                error="Number not reachable (demo)" if state == State.FAILED else "",
                sent_at=now - datetime.timedelta(minutes=30) if state != State.FAILED else None,
            )
            if state == State.FAILED:
                DeadLetter.objects.create(
                    send=send, delivery=delivery, channel=channel, reason="Number not reachable (demo)"
                )
        Send.objects.filter(pk=send.pk).update(
            total=len(subscribers),
            batches=1,
            started=now - datetime.timedelta(minutes=31),
            resolved=now - datetime.timedelta(minutes=31),
        )
    write(f"Messaging: {len(subscribers)} alert subscribers, 1 finished send.\n")
