"""Demo data for plans: the Amman branch's flood contingency plan in the register, assessed twice."""

import datetime

from django.utils import timezone

from lifeline.plans.models import (
    Answer,
    AnswerRecord,
    Assessment,
    AssessmentState,
    ChecklistTemplate,
    Item,
    Plan,
)
from lifeline.plans.services import load_shipped

KEY = "contingency-plan-accounts-for-migrants"
# Answers at the first and second assessment, by item key: the plan improved between them.
FIRST = {
    "presence-recorded": Answer.PARTLY,
    "needs-recorded": Answer.NO,
    "capacities-recorded": Answer.NO,
    "evacuation-reaches-migrants": Answer.PARTLY,
    "relocation-planned": Answer.NO,
    "shelter-open-to-all": Answer.YES,
    "warnings-in-their-languages": Answer.NO,
    "trusted-channels": Answer.PARTLY,
    "interpreters-ready": Answer.NO,
    "health-care-for-all": Answer.YES,
    "psychosocial-support": Answer.NO,
    "groups-identified": Answer.NO,
    "referral-paths": Answer.PARTLY,
    "migrants-drafted": Answer.NO,
    "migrants-in-review": Answer.NO,
    "employers-duties": Answer.NO,
    "recruiters-reached": Answer.NOT_APPLICABLE,
    "drill-with-migrants": Answer.NO,
    "lessons-applied": Answer.NOT_APPLICABLE,
}
SECOND = {
    **FIRST,
    "presence-recorded": Answer.YES,
    "needs-recorded": Answer.PARTLY,
    "warnings-in-their-languages": Answer.YES,
    "interpreters-ready": Answer.PARTLY,
    "groups-identified": Answer.PARTLY,
    "migrants-drafted": Answer.PARTLY,
    "employers-duties": Answer.PARTLY,
}
FOLLOW_UPS = {
    "migrants-in-review": (
        "Invite the Filipino and Egyptian workers' associations to the spring review.",
        60,
    ),
    "drill-with-migrants": ("Include a live-in workers' district in the next flood drill.", 120),
}


def load(orgs, areas, **_):
    load_shipped()
    from lifeline.plans import demo_documents

    demo_documents.load(orgs)
    version = ChecklistTemplate.objects.get(key=KEY).published()
    owner = orgs["jcd-amman"]
    today = timezone.localdate()
    plan, _created = Plan.objects.get_or_create(
        organisation=owner,
        title="Amman flash-flood contingency plan",
        defaults={
            "kind": "contingency",
            "link": "https://example.org/plans/amman-flash-flood",
            "last_revised": today - datetime.timedelta(days=200),
            "owner": "Civil Defence, Amman branch: planning unit",
            "notes": "Covers the wadis of downtown Amman and the low-lying districts where many domestic and construction workers live.",
        },
    )
    if "JO11" in areas:
        plan.areas.set([areas["JO11"]])
    if Assessment.objects.filter(plan=plan).exists():
        return
    items = {item.key: item for item in Item.objects.filter(section__version=version)}
    for days_ago, answers in ((270, FIRST), (30, SECOND)):
        assessment = Assessment.objects.create(
            organisation=owner,
            version=version,
            plan=plan,
            assessed_on=today - datetime.timedelta(days=days_ago),
            state=AssessmentState.COMPLETED,
            completed_at=timezone.now() - datetime.timedelta(days=days_ago),
        )
        for key, value in answers.items():
            follow_up, due_in = FOLLOW_UPS.get(key, ("", 0))
            AnswerRecord.objects.create(
                assessment=assessment,
                item=items[key],
                answer=value,
                follow_up=follow_up if days_ago == 30 else "",
                owner="Planning unit" if follow_up and days_ago == 30 else "",
                due=today + datetime.timedelta(days=due_in) if follow_up and days_ago == 30 else None,
            )
