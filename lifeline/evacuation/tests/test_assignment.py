import pytest
from django.core.exceptions import ValidationError

from lifeline.core.models import AuditEntry
from lifeline.evacuation import services
from lifeline.evacuation.models import AssemblyPoint, ChildChecklist, Evacuee, EvacueeStatus, Transport


def ids(*registrations):
    return [r.pk for r in registrations]


def test_a_household_takes_as_many_places_as_it_has_people(crisis, people, point):
    services.assign(crisis, ids(people["family"]), point)
    assert services.places_taken(point=point) == 3
    services.assign(crisis, ids(people["arabic"], people["uncle"]), point)
    assert services.places_taken(point=point) == 6
    assert AuditEntry.objects.filter(object_type="evacuation.evacuee", action="create").count() == 3


def test_a_full_point_refuses_the_whole_batch_and_changes_nothing(crisis, people, point):
    point.capacity = 5
    point.save()
    services.assign(crisis, ids(people["family"]), point)
    with pytest.raises(ValidationError) as exc:
        services.assign(crisis, ids(people["arabic"], people["uncle"]), point)  # 3 people, 2 places left
    assert "2 places left, 3 people to place" in exc.value.messages[0]
    assert Evacuee.objects.filter(crisis=crisis).count() == 1
    assert services.places_taken(point=point) == 3


def test_a_full_transport_refuses(crisis, people, point, bus):
    bus.capacity = 3
    bus.save()
    services.assign(crisis, ids(people["family"]), point, bus)
    with pytest.raises(ValidationError, match="is full"):
        services.assign(crisis, ids(people["teen"]), point, bus)
    assert not Evacuee.objects.filter(registration=people["teen"]).exists()


def test_someone_outside_the_crisis_area_is_refused(crisis, people, point):
    with pytest.raises(ValidationError, match="Not inside the crisis area"):
        services.assign(crisis, ids(people["family"], people["outside"]), point)
    assert not Evacuee.objects.exists()


def test_a_transport_leaving_from_another_point_is_refused(crisis, people, point):
    other = AssemblyPoint.objects.create(crisis=crisis, name="Airport road", capacity=50)
    plane = Transport.objects.create(
        crisis=crisis, kind="flight", name="PR 659", capacity=100, assembly_point=other, destination="Manila"
    )
    with pytest.raises(ValidationError, match="leaves from"):
        services.assign(crisis, ids(people["family"]), point, plane)


def test_moving_someone_frees_their_old_place(crisis, people, point):
    other = AssemblyPoint.objects.create(crisis=crisis, name="Airport road", capacity=3)
    services.assign(crisis, ids(people["family"]), point)
    services.assign(crisis, ids(people["family"]), other)
    assert services.places_taken(point=point) == 0
    assert services.places_taken(point=other) == 3
    assert Evacuee.objects.get(registration=people["family"]).assembly_point == other


def test_reassigning_to_the_same_full_point_does_not_count_twice(crisis, people, point):
    point.capacity = 3
    point.save()
    services.assign(crisis, ids(people["family"]), point)
    services.assign(crisis, ids(people["family"]), point, seat="12A-12C")
    assert Evacuee.objects.get(registration=people["family"]).seat == "12A-12C"


def test_a_whole_admin_area_goes_to_a_point(crisis, people, point, areas):
    n = services.assign_area(crisis, areas["amman"], point)
    assert n == 4
    assert services.places_taken(point=point) == 7
    with pytest.raises(ValidationError, match="already on the evacuation"):
        services.assign_area(crisis, areas["amman"], point)


def test_a_whole_area_that_does_not_fit_is_refused(crisis, people, point, areas):
    point.capacity = 6
    point.save()
    with pytest.raises(ValidationError, match="6 places left, 7 people"):
        services.assign_area(crisis, areas["amman"], point)
    assert not Evacuee.objects.exists()


def test_declining_frees_places_and_coming_back_needs_them(crisis, people, point):
    point.capacity = 4
    point.save()
    services.assign(crisis, ids(people["family"]), point)
    evacuee = Evacuee.objects.get(registration=people["family"])
    services.set_status(evacuee, EvacueeStatus.DECLINED)
    assert services.places_taken(point=point) == 0
    services.assign(crisis, ids(people["arabic"], people["uncle"]), point)
    with pytest.raises(ValidationError, match="is full"):
        services.set_status(evacuee, EvacueeStatus.CONFIRMED)
    evacuee.refresh_from_db()
    assert evacuee.status == EvacueeStatus.DECLINED


def test_status_changes_are_audited(crisis, people, point):
    services.assign(crisis, ids(people["teen"]), point)
    evacuee = Evacuee.objects.get()
    services.set_status(evacuee, EvacueeStatus.BOARDED)
    entry = AuditEntry.objects.filter(object_type="evacuation.evacuee", action="update").get()
    assert "status" in entry.fields
    with pytest.raises(ValidationError):
        services.set_status(evacuee, "teleported")


def test_children_get_a_checklist_each(crisis, people, point, areas):
    services.assign_area(crisis, areas["amman"], point)
    # Ana (7, with her parents), Liza (15, unaccompanied), Paolo (16, registered alone)
    assert ChildChecklist.objects.count() == 3
    summary = services.children_summary(crisis)
    assert summary["children"] == 3
    assert summary["unaccompanied"] == 2
    assert [r["unaccompanied"] for r in summary["rows"]] == [True, True, False]
    assert summary["rows"][-1]["name"] == "Ana Santos"
    assert services.ensure_checklists(Evacuee.objects.filter(crisis=crisis)) == 0
