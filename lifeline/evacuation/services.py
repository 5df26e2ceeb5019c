"""Rules of an evacuation that pages, commands and the demo all call.

Places are counted in people: a registration travels with its household. A
point or a transport that would overflow refuses the whole assignment with a
message saying how many places are left; nothing is half-assigned.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.models import Action, AuditAction
from lifeline.crises.models import Crisis, CrisisMember
from lifeline.evacuation.models import (
    CHILD_SUBJECT,
    FREES_PLACE,
    AssemblyPoint,
    ChildChecklist,
    Evacuee,
    EvacueeStatus,
    Transport,
)
from lifeline.geo.models import AdminArea
from lifeline.nationals.models import HouseholdMember, Registration
from lifeline.plans import services as plans_services
from lifeline.plans.models import Answer, AnswerRecord, Item


def can_change(user, crisis):
    """Only those who may change the crisis (its lead and those above it) run its evacuation."""
    return Crisis.objects.for_user(user, Action.CHANGE).filter(pk=crisis.pk).exists()


# --- places ------------------------------------------------------------------------


def people_in(evacuees):
    """People (registrants and their household members) on these evacuee rows."""
    return (
        evacuees.count()
        + HouseholdMember.objects.filter(registration_id__in=evacuees.values("registration_id")).count()
    )


def places_taken(point=None, transport=None):
    evacuees = Evacuee.objects.exclude(status__in=FREES_PLACE)
    evacuees = (
        evacuees.filter(assembly_point=point) if point is not None else evacuees.filter(transport=transport)
    )
    return people_in(evacuees)


def household_sizes(registration_ids):
    """{registration id: 1 + household members}."""
    sizes = dict.fromkeys(registration_ids, 1)
    members = (
        HouseholdMember.objects.filter(registration_id__in=registration_ids)
        .values_list("registration_id")
        .annotate(n=Count("id"))
    )
    for rid, n in members.order_by():
        sizes[rid] += n
    return sizes


def _check_room(place, needed, what):
    if needed <= 0:
        return
    left = place.capacity - (places_taken(point=place) if what == "point" else places_taken(transport=place))
    if needed > left:
        raise ValidationError(
            _("“%(name)s” is full: %(left)s places left, %(needed)s people to place.")
            % {"name": str(place), "left": max(left, 0), "needed": needed}
        )


def assign(crisis, registration_ids, point, transport=None, seat=None):
    """Put registrations (and their households) on a point, and a transport if given. All or nothing.

    Registrations must be inside the crisis area; someone already on the evacuation
    is moved. Returns the number of registrations assigned."""
    registration_ids = sorted({int(i) for i in registration_ids})
    if not registration_ids:
        raise ValidationError(_("Nobody to assign."))
    if point.crisis_id != crisis.pk or (transport is not None and transport.crisis_id != crisis.pk):
        raise ValidationError(_("The assembly point and the transport must belong to this crisis."))
    if transport is not None and transport.assembly_point_id not in (None, point.pk):
        raise ValidationError(
            _("“%(transport)s” leaves from “%(point)s”, not from this assembly point.")
            % {"transport": str(transport), "point": str(transport.assembly_point)}
        )
    inside = set(
        CrisisMember.objects.filter(crisis=crisis, registration_id__in=registration_ids).values_list(
            "registration_id", flat=True
        )
    )
    outside = [i for i in registration_ids if i not in inside]
    if outside:
        raise ValidationError(
            _("Not inside the crisis area: %(ids)s.") % {"ids": ", ".join(f"#{i}" for i in outside[:10])}
        )
    with transaction.atomic():
        # Lock the point and the transport, so that two people assigning at once cannot overfill them.
        point = AssemblyPoint.objects.select_for_update().get(pk=point.pk)
        if transport is not None:
            transport = Transport.objects.select_for_update().get(pk=transport.pk)
        existing = {
            e.registration_id: e
            for e in Evacuee.objects.filter(crisis=crisis, registration_id__in=registration_ids)
        }
        sizes = household_sizes(registration_ids)

        def counted(evacuee, field, place):
            return (
                evacuee is not None
                and evacuee.status not in FREES_PLACE
                and getattr(evacuee, field) == place.pk
            )

        _check_room(
            point,
            sum(n for rid, n in sizes.items() if not counted(existing.get(rid), "assembly_point_id", point)),
            "point",
        )
        if transport is not None:
            _check_room(
                transport,
                sum(
                    n for rid, n in sizes.items() if not counted(existing.get(rid), "transport_id", transport)
                ),
                "transport",
            )

        for evacuee in existing.values():
            evacuee.assembly_point, evacuee.transport = point, transport
            if evacuee.status in FREES_PLACE:
                evacuee.status, evacuee.status_changed = EvacueeStatus.TO_CONTACT, timezone.now()
            if seat is not None:
                evacuee.seat = seat
            evacuee.save()
        new = [
            Evacuee(
                crisis=crisis,
                organisation_id=crisis.organisation_id,
                registration_id=rid,
                assembly_point=point,
                transport=transport,
                seat=seat or "",
            )
            for rid in registration_ids
            if rid not in existing
        ]
        if new:
            created = Evacuee.objects.bulk_create(new, batch_size=500)
            template = audit.EntryTemplate(
                AuditAction.CREATE, Evacuee, ["registration", "assembly_point", "transport"]
            )
            audit.save_entries(template.for_object(e) for e in created)
        ensure_checklists(Evacuee.objects.filter(crisis=crisis, registration_id__in=registration_ids))
    return len(registration_ids)


def unassigned(crisis):
    """The crisis's members not on the evacuation yet, with their household size, by admin area and name."""
    taken = Evacuee.objects.filter(crisis=crisis).values("registration_id")
    return (
        Registration.objects.filter(
            id__in=CrisisMember.objects.filter(crisis=crisis).values("registration_id"),
            merged_into__isnull=True,
        )
        .exclude(id__in=taken)
        .select_related("area")
        .annotate(members_count=Count("members"))
        .order_by("area__name", "family_name", "given_names", "id")
    )


def area_registrations(crisis, area):
    """Ids of the crisis's members in an admin area (or an area inside it) who are not on the evacuation yet."""
    area_ids = [area.pk, *AdminArea.objects.filter(parent=area).values_list("id", flat=True)]
    members = CrisisMember.objects.filter(
        crisis=crisis, registration__area_id__in=area_ids, registration__merged_into__isnull=True
    )
    taken = Evacuee.objects.filter(crisis=crisis).values("registration_id")
    return list(members.exclude(registration_id__in=taken).values_list("registration_id", flat=True))


def assign_area(crisis, area, point, transport=None):
    ids = area_registrations(crisis, area)
    if not ids:
        raise ValidationError(
            _("Everyone in %(area)s is already on the evacuation, or nobody lives there.")
            % {"area": area.shown_name}
        )
    return assign(crisis, ids, point, transport)


def set_status(evacuee, status):
    """Record where someone is (boarded, arrived...). Coming back from "declined" or "no show" needs a place again."""
    if status not in EvacueeStatus.values:
        raise ValidationError(_("Not a status: %(status)s") % {"status": str(status)[:40]})
    if status == evacuee.status:
        return evacuee
    with transaction.atomic():
        if evacuee.status in FREES_PLACE and status not in FREES_PLACE:
            size = household_sizes([evacuee.registration_id])[evacuee.registration_id]
            _check_room(
                AssemblyPoint.objects.select_for_update().get(pk=evacuee.assembly_point_id), size, "point"
            )
            if evacuee.transport_id:
                _check_room(
                    Transport.objects.select_for_update().get(pk=evacuee.transport_id), size, "transport"
                )
        evacuee.status, evacuee.status_changed = status, timezone.now()
        evacuee.save()
    return evacuee


# --- figures for the evacuation page ----------------------------------------------------


def _people_by(crisis, field):
    rows = (
        Evacuee.objects.filter(crisis=crisis)
        .exclude(status__in=FREES_PLACE)
        .values_list(field)
        .annotate(n=Count("id", distinct=True), m=Count("registration__members", distinct=True))
        .order_by()
    )
    return {key: n + m for key, n, m in rows}


def overview(crisis):
    by_point, by_transport = _people_by(crisis, "assembly_point"), _people_by(crisis, "transport")
    points = list(AssemblyPoint.objects.filter(crisis=crisis))
    for point in points:
        point.taken = by_point.get(point.pk, 0)
    transports = list(Transport.objects.filter(crisis=crisis).select_related("assembly_point"))
    for transport in transports:
        transport.taken = by_transport.get(transport.pk, 0)
    statuses = Counter(
        dict(Evacuee.objects.filter(crisis=crisis).values_list("status").annotate(n=Count("id")).order_by())
    )
    evacuees = Evacuee.objects.filter(crisis=crisis)
    return {
        "points": points,
        "transports": transports,
        "statuses": [(value, label, statuses.get(value, 0)) for value, label in EvacueeStatus.choices],
        "households": evacuees.count(),
        "people": people_in(evacuees),
        "unassigned": CrisisMember.objects.filter(crisis=crisis)
        .exclude(registration_id__in=evacuees.values("registration_id"))
        .count(),
    }


# --- children ---------------------------------------------------------------------------


def _is_minor(age):
    return age is not None and age < 18


def children_of(evacuee):
    """(member or None, name, age, unaccompanied) for every child travelling as this evacuee."""
    registration = evacuee.registration
    members = list(registration.members.all())
    found = []
    if _is_minor(registration.age):
        adults = [m for m in members if m.age is not None and m.age >= 18]
        found.append((None, registration.full_name, registration.age, not adults))
    for member in members:
        if member.is_child:
            found.append((member, member.name, member.age, member.unaccompanied))
    return found


def ensure_checklists(evacuees):
    """Make the missing checklist of every child on these evacuee rows: an assessment of the shipped
    "Evacuating migrant children" checklist about that child. Returns how many were made."""
    made = 0
    existing = set(ChildChecklist.objects.filter(evacuee__in=evacuees).values_list("evacuee_id", "member_id"))
    for evacuee in evacuees.select_related("registration").prefetch_related("registration__members"):
        for member, _name, _age, _unaccompanied in children_of(evacuee):
            key = (evacuee.pk, member.pk if member else None)
            if key not in existing:
                with transaction.atomic():
                    assessment = plans_services.start_for_subject(CHILD_SUBJECT, evacuee.organisation)
                    ChildChecklist.objects.create(evacuee=evacuee, member=member, assessment=assessment)
                made += 1
    return made


def may_answer_child(user, assessment):
    """The engine asks this before recording an answer about a child: those who may run the evacuation
    of the child's crisis and reach the child's people (``Evacuee.objects.for_user``)."""
    checklist = ChildChecklist.objects.filter(assessment=assessment).select_related("evacuee__crisis").first()
    if checklist is None or not can_change(user, checklist.evacuee.crisis):
        return False
    return Evacuee.objects.for_user(user, Action.CHANGE).filter(pk=checklist.evacuee_id).exists()


def describe(checklist):
    """Name, age and whether the child is unaccompanied, from the member or the registration."""
    if checklist.member_id:
        member = checklist.member
        return {"name": member.name, "age": member.age, "unaccompanied": member.unaccompanied}
    registration = checklist.evacuee.registration
    adults = [m for m in registration.members.all() if m.age is not None and m.age >= 18]
    return {"name": registration.full_name, "age": registration.age, "unaccompanied": not adults}


# An item is done when it is answered yes, or not applicable to this child.
DONE = (Answer.YES, Answer.NOT_APPLICABLE)


def children_summary(crisis, evacuees=None):
    """Every child's checklist on the evacuation (of ``evacuees`` if given), unaccompanied first, with how many items are done."""
    checklists = ChildChecklist.objects.filter(evacuee__crisis=crisis)
    if evacuees is not None:
        checklists = checklists.filter(evacuee__in=evacuees)
    checklists = (
        checklists.select_related("evacuee__registration", "evacuee__assembly_point", "member", "assessment")
        .prefetch_related("evacuee__registration__members")
        .annotate(done=Count("assessment__answers", filter=Q(assessment__answers__answer__in=DONE)))
    )
    totals = dict(
        Item.objects.filter(section__version_id__in=checklists.values("assessment__version_id"))
        .values_list("section__version_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for checklist in checklists:
        total = totals.get(checklist.assessment.version_id, 0)
        rows.append(
            {
                "checklist": checklist,
                "done": checklist.done,
                "total": total,
                "complete": checklist.done == total,
                **describe(checklist),
            }
        )
    rows.sort(key=lambda r: (not r["unaccompanied"], r["complete"], r["name"].casefold()))
    return {
        "rows": rows,
        "children": len(rows),
        "complete": sum(r["complete"] for r in rows),
        "unaccompanied": sum(r["unaccompanied"] for r in rows),
    }


def checklist_sections(checklist):
    """The checklist's sections (before, during, after) in order, each with its items and what was recorded
    about this child (an unsaved blank answer where nothing was)."""
    assessment = checklist.assessment
    recorded = {a.item_id: a for a in assessment.answers.select_related("answered_by")}
    return [
        (
            section,
            [
                (item, recorded.get(item.pk) or AnswerRecord(assessment=assessment, item=item))
                for item in section.items.all()
            ],
        )
        for section in assessment.version.sections.prefetch_related("items")
    ]


def answer_item(user, checklist, key, answer, note=""):
    """Record the answer (yes, partly, no, not applicable, or none yet) to one item about this child, with
    an encrypted note; who and when are recorded, and the change is audited (through the engine)."""
    item = Item.objects.filter(section__version_id=checklist.assessment.version_id, key=key).first()
    if item is None:
        raise ValidationError(_("Not an item of the checklist: %(key)s") % {"key": str(key)[:40]})
    return plans_services.save_answer(user, checklist.assessment, item, answer, private_note=note)


def registrations_of(evacuees):
    return Registration.objects.filter(id__in=evacuees.values("registration_id"))


def members_areas(crisis):
    """Ids of the admin areas where the crisis's members live (for the "whole area" assignment)."""
    return (
        Registration.objects.filter(
            id__in=CrisisMember.objects.filter(crisis=crisis).values("registration_id"), area__isnull=False
        )
        .values("area_id")
        .distinct()
    )
