"""Demo data for plans: the Amman branch's flood contingency plan in the register, assessed twice, its
follow-ups as action items, and a drill that tested it with two findings."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
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
from lifeline.plans.models_actions import ActionItem, ActionStatus, Drill, DrillLevel, SourceKind
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
    officer = get_user_model().objects.filter(username="officer").first()
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
            record = AnswerRecord.objects.create(assessment=assessment, item=items[key], answer=value)
            if key in FOLLOW_UPS and days_ago == 30:
                text, due_in = FOLLOW_UPS[key]
                ActionItem.objects.create(
                    organisation=owner,
                    text=text,
                    owner_user=officer,
                    owner_organisation=owner,
                    due=today + datetime.timedelta(days=due_in),
                    source_kind=SourceKind.CHECKLIST,
                    source_type=ContentType.objects.get_for_model(AnswerRecord),
                    source_id=record.pk,
                )
    _drill(owner, plan, officer, orgs, today)
    _coordination(owner, officer, today)


def _coordination(owner, officer, today):
    """The directory's agreements as Agreement records, and a working group with a meeting and a decision."""
    from lifeline.directory.models import KeyContact
    from lifeline.plans.coordination import agreements_from_contacts
    from lifeline.plans.models_actions import CoordinationBody, Meeting

    agreements_from_contacts()
    if CoordinationBody.objects.filter(organisation=owner).exists():
        return
    body = CoordinationBody.objects.create(
        organisation=owner,
        name="Amman migrants in emergencies working group",
        level=DrillLevel.LOCAL,
        purpose="Civil defence, the Red Crescent, migrant associations and embassies meet every two months.",
    )
    members = list(KeyContact.objects.filter(organisation=owner).order_by("pk")[:4])
    body.members.set(members)
    body.focal_points.set(members[:1])
    meeting = Meeting.objects.create(
        body=body,
        held_on=today - datetime.timedelta(days=14),
        title="Flood season preparation",
        minutes="Reviewed the drill's findings; agreed to translate the flood leaflet into Amharic and Sinhala.",
    )
    ActionItem.objects.create(
        organisation=owner,
        text="Translate the flood leaflet into Amharic and Sinhala.",
        owner_user=officer,
        due=today + datetime.timedelta(days=21),
        source_kind=SourceKind.MEETING,
        source_type=ContentType.objects.get_for_model(Meeting),
        source_id=meeting.pk,
    )


def _drill(owner, plan, officer, orgs, today):
    """A tabletop flood drill of the plan, 45 days ago, with migrant representatives and two findings
    (one overdue, one closed)."""
    if Drill.objects.filter(plan=plan).exists():
        return
    drill = Drill.objects.create(
        organisation=owner,
        title="Downtown Amman flash-flood tabletop exercise",
        held_on=today - datetime.timedelta(days=45),
        level=DrillLevel.LOCAL,
        scenario="Flash flood in Wadi Abdoun at night; two districts with many live-in domestic workers cut off.",
        objectives="Test the warning chain in Tagalog, Amharic and Bengali; test the evacuation of people without papers.",
        plan=plan,
        participants=24,
        migrant_representatives=5,
        notes="Warnings reached the associations within 40 minutes; shelters asked for identity papers.",
    )
    source = ContentType.objects.get_for_model(Drill)
    partner = orgs.get("crescent") or owner
    ActionItem.objects.create(
        organisation=owner,
        text="Brief shelter managers: nobody is asked for papers to enter a shelter.",
        owner_organisation=partner,
        due=today - datetime.timedelta(days=5),
        source_kind=SourceKind.DRILL,
        source_type=source,
        source_id=drill.pk,
    )
    ActionItem.objects.create(
        organisation=owner,
        text="Add the associations' night-time numbers to the warning chain.",
        owner_user=officer,
        due=today - datetime.timedelta(days=20),
        status=ActionStatus.DONE,
        closing_note="Numbers added to the key contacts and the chain on 12 November.",
        closed_at=timezone.now() - datetime.timedelta(days=22),
        source_kind=SourceKind.DRILL,
        source_type=source,
        source_id=drill.pk,
    )
