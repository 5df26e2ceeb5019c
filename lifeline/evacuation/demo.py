"""Demo evacuation of the crises demo's "Flash floods in Amman": two assembly points, a bus, a
charter flight, about sixty households with mixed statuses, and the children's checklists.

Runs after the crises demo; loading twice changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from lifeline.crises.models import Crisis, CrisisMember
from lifeline.crises.services import materialise
from lifeline.evacuation import services
from lifeline.evacuation.models import AssemblyPoint, ChildChecklist, Evacuee, EvacueeStatus, Transport
from lifeline.nationals.models import HouseholdMember
from lifeline.plans.models import Answer, AnswerRecord, Item

CRISIS = "Flash floods in Amman"
EVACUEES = 60
STATUSES = [
    (EvacueeStatus.TO_CONTACT, 10),
    (EvacueeStatus.CONFIRMED, 14),
    (EvacueeStatus.AT_POINT, 12),
    (EvacueeStatus.BOARDED, 12),
    (EvacueeStatus.ARRIVED, 6),
    (EvacueeStatus.DECLINED, 3),
    (EvacueeStatus.NO_SHOW, 3),
]


def load(orgs, areas, countries, rng, write):
    crisis = Crisis.objects.filter(name=CRISIS)
    if orgs.get("emb-amman") is not None:
        crisis = crisis.filter(organisation=orgs["emb-amman"])
    crisis = crisis.order_by("id").first()
    if crisis is None:
        write(f"Evacuation demo skipped: no crisis “{CRISIS}”.\n")
        return
    if crisis.counted is None:
        materialise(crisis)
    day = timezone.localtime(crisis.started).replace(
        hour=7, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=1)
    stadium, _ = AssemblyPoint.objects.update_or_create(
        crisis=crisis,
        name="Amman International Stadium, gate 3",
        defaults={
            "address": "Sports City, Al-Jubeiha, Amman",
            "location": "31.9867,35.8855",
            "capacity": 90,
            "opens": day,
            "closes": day + datetime.timedelta(hours=12),
            "contact": "Embassy duty officer +962 6 550 0001",
        },
    )
    abdali, _ = AssemblyPoint.objects.update_or_create(
        crisis=crisis,
        name="Abdali bus station",
        defaults={
            "address": "Al-Abdali, Amman",
            "location": "31.9616,35.9114",
            "capacity": 70,
            "opens": day,
            "closes": day + datetime.timedelta(hours=10),
            "contact": "Filipino community focal point +962 79 555 0102",
        },
    )
    bus, _ = Transport.objects.update_or_create(
        crisis=crisis,
        name="JETT coach 14",
        defaults={
            "kind": "bus",
            "capacity": 50,
            "departs": day + datetime.timedelta(hours=9),
            "assembly_point": stadium,
            "destination": "Aqaba, temporary shelter",
        },
    )
    flight, _ = Transport.objects.update_or_create(
        crisis=crisis,
        name="PR 6551 charter",
        defaults={
            "kind": "flight",
            "capacity": 180,
            "departs": day + datetime.timedelta(hours=14),
            "assembly_point": abdali,
            "destination": "Manila (NAIA)",
        },
    )
    if Evacuee.objects.filter(crisis=crisis).exists():
        write("Evacuation demo already loaded.\n")
        return

    ids = sorted(CrisisMember.objects.filter(crisis=crisis).values_list("registration_id", flat=True))
    # Households with an unaccompanied child first: the manifests and checklists should show one.
    first = sorted(
        set(
            HouseholdMember.objects.filter(registration_id__in=ids, unaccompanied=True).values_list(
                "registration_id", flat=True
            )
        )
    )
    rest = [i for i in ids if i not in set(first)]
    chosen = (first + rng.sample(rest, max(0, min(EVACUEES, len(ids)) - len(first))))[:EVACUEES]
    placed = 0
    for rid in chosen:
        for point, transport in ((stadium, bus), (abdali, flight), (stadium, None)):
            try:
                services.assign(
                    crisis,
                    [rid],
                    point,
                    transport,
                    seat=f"{placed // 4 + 1}{'ABCD'[placed % 4]}" if transport else "",
                )
            except ValidationError:
                continue
            placed += 1
            break
    statuses, weights = zip(*STATUSES)
    for evacuee in Evacuee.objects.filter(crisis=crisis).order_by("id"):
        status = rng.choices(statuses, weights)[0]
        try:
            services.set_status(evacuee, status)
        except ValidationError:
            pass

    checklists = list(
        ChildChecklist.objects.filter(evacuee__crisis=crisis).select_related("assessment").order_by("id")
    )
    for n, checklist in enumerate(checklists):
        if checklist.assessment.answers.exists():
            continue
        items = list(Item.objects.filter(section__version_id=checklist.assessment.version_id))
        done = items if n % 3 == 0 else rng.sample(items, rng.randint(0, len(items) - 1))
        AnswerRecord.objects.bulk_create(
            AnswerRecord(
                assessment=checklist.assessment,
                item=item,
                answer=Answer.NOT_APPLICABLE if item.key == "best_interests" else Answer.YES,
            )
            for item in done
        )
    write(f"Evacuation: {placed} households on 2 assembly points, {len(checklists)} children's checklists.\n")
