"""Demo: flash floods in Amman, who is inside, and a check-in campaign half answered."""

import datetime

from django.utils import timezone

from lifeline.crises import services
from lifeline.crises.models import CheckInRequest, CheckInStatus, Crisis, CrisisType, Phase, Via
from lifeline.nationals.models import Registration

NAME = "Flash floods in Amman"
# Central and east Amman (longitude, latitude).
POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [35.86, 31.90],
            [35.95, 31.88],
            [36.03, 31.92],
            [36.04, 32.00],
            [35.97, 32.05],
            [35.88, 32.02],
            [35.86, 31.90],
        ]
    ],
}
MESSAGES = {
    "en": "Flash floods in Amman. Are you safe? Answer in the app, or reply SAFE or HELP.",
    "fil": "May biglaang baha sa Amman. Ligtas ka ba? Sumagot sa app, o mag-reply ng SAFE o HELP.",
    "ar": "سيول مفاجئة في عمّان. هل أنت بأمان؟ أجب في التطبيق أو أرسل SAFE أو HELP.",
}
# Most are safe, some need help, some have not answered, a few cannot be reached.
MIX = [
    (CheckInStatus.SAFE, 62),
    (CheckInStatus.NEED_HELP, 9),
    (CheckInStatus.NOT_IN_AREA, 6),
    (CheckInStatus.UNREACHABLE, 4),
    (CheckInStatus.NO_ANSWER, 19),
]
NOTES = {
    CheckInStatus.NEED_HELP: [
        "Water entered the flat, we are on the roof",
        "My employer locked the door, I cannot leave",
        "Need medicine for my child",
        "",
    ],
    CheckInStatus.UNREACHABLE: ["Phone switched off, tried twice", "Number not in service"],
}


def load(orgs, areas, countries, rng, write):
    post, jordan = orgs["emb-amman"], countries["JO"]
    if not Registration.objects.filter(country=jordan).exists():
        _fallback_registrations(post, jordan, countries["PH"], areas, rng)
    crisis = Crisis.objects.filter(name=NAME, organisation=post).first()
    if crisis is None:
        crisis = Crisis.objects.create(
            name=NAME,
            organisation=post,
            country=jordan,
            type=CrisisType.NATURAL_HAZARD,
            phase=Phase.PRECAUTIONARY,
            started=timezone.now() - datetime.timedelta(hours=5),
            geometry=services.geometry_text(services.parse_area(_json(POLYGON))),
            description="Heavy rain over Amman; flash floods in low-lying districts of central and east Amman. "
            "Civil Defence advises staying away from wadis and basements.",
        )
        crisis.areas.set([areas["JO11"]])
    services.materialise(crisis)
    if not crisis.campaigns.exists():
        campaign = services.start_campaign(crisis, MESSAGES, send=False)
        campaign.started = crisis.started + datetime.timedelta(minutes=40)
        campaign.save()
        _answers(campaign, rng)
    campaign = crisis.campaigns.order_by("started", "id").first()
    if campaign is not None and campaign.send_id is None:
        _message_states(campaign, rng)
    write(f"Crisis “{NAME}”: {crisis.member_count} registrations inside.\n")


def _answers(campaign, rng):
    statuses = [s for s, weight in MIX for _ in range(weight)]
    for request in CheckInRequest.objects.filter(campaign=campaign).order_by("id"):
        status = rng.choice(statuses)
        if status == CheckInStatus.NO_ANSWER:
            continue
        if status == CheckInStatus.UNREACHABLE:
            via = Via.PHONE
        else:
            via = rng.choice([Via.APP, Via.APP, Via.APP, Via.SMS, Via.PHONE])
        note = rng.choice(NOTES.get(status, [""]))
        at = campaign.started + datetime.timedelta(minutes=rng.randrange(2, 240))
        services.record_answer(status, via, request=request, note=note, at=min(at, timezone.now()))


def _message_states(campaign, rng):
    """The campaign's message as the messaging engine would have left it: answered for those who
    answered, delivered or only sent for most of the others, and failed on every channel for a few
    (whom the board then shows as unreachable). Those who did not agree to crisis messages get none."""
    from lifeline.messaging.audiences import key
    from lifeline.messaging.models import DeadLetter, Delivery, Send, SendStatus, State
    from lifeline.nationals.models import Consent, Purpose

    agreed = set(
        Consent.objects.filter(
            registration__in=CheckInRequest.objects.filter(campaign=campaign).values("registration_id"),
            purpose=Purpose.CRISIS_MESSAGES,
            granted=True,
        ).values_list("registration_id", flat=True)
    )
    requests = list(
        CheckInRequest.objects.filter(campaign=campaign, registration_id__in=agreed)
        .select_related("registration")
        .order_by("id")
    )
    texts = services.campaign_texts(campaign)
    send = Send.objects.create(
        organisation=campaign.crisis.organisation,
        name=str(campaign)[:200],
        audience={
            "kind": "campaign",
            "campaign": campaign.pk,
            "organisation_ids": [campaign.crisis.organisation_id],
        },
        texts=texts,
        channels=["push", "sms", "email"],
        source=f"campaign:{campaign.pk}",
        status=SendStatus.DONE,
        total=len(requests),
        batches=1,
        started=campaign.started,
        resolved=campaign.started,
    )
    failed = []
    for request in requests:
        person = request.registration
        addresses = {k: v for k, v in (("sms", person.phone), ("email", person.email)) if v}
        if request.status == CheckInStatus.UNREACHABLE:
            state = State.FAILED
        elif request.status != CheckInStatus.NO_ANSWER:
            state = State.ANSWERED
        else:
            state = rng.choice([State.DELIVERED, State.DELIVERED, State.SENT, State.FAILED])
        sent = state != State.FAILED
        delivery = Delivery.objects.create(
            send=send,
            batch=1,
            recipient_key=key("registration", person.pk),
            language=send.texts.language_for(person.languages or []),
            addresses=addresses,
            channel="email" if "email" in addresses and not sent else "sms",
            state=state,
            attempts=3 if not sent else 1,
            provider_id=f"demo-{request.pk}" if sent else "",
            error="" if sent else "Number not reachable; no answer by email (demo)",
            sent_at=campaign.started if sent else None,
            done_at=None if state == State.SENT else campaign.started,
        )
        if not sent:
            failed.append(
                DeadLetter(send=send, delivery=delivery, channel=delivery.channel, reason=delivery.error)
            )
    DeadLetter.objects.bulk_create(failed)
    type(campaign).objects.filter(pk=campaign.pk).update(send=send)


def _fallback_registrations(post, jordan, philippines, areas, rng):
    """A few registrations around Amman when the nationals demo has not made any."""
    for n in range(40):
        lat, lon = 31.88 + rng.random() * 0.2, 35.84 + rng.random() * 0.22
        Registration.objects.create(
            organisation=post,
            given_names=rng.choice(["Maria", "Jose", "Ana", "Ramon", "Liza"]),
            family_name=f"Demo {n}",
            nationality=philippines,
            country=jordan,
            area=areas["JO11"],
            location=f"{lat:.5f},{lon:.5f}",
            languages=["fil", "en"],
            phone=f"+9627{rng.choice('789')}{rng.randrange(1000000, 9999999)}",
        )


def _json(value):
    import json

    return json.dumps(value)
