"""Duplicates side by side, "not a duplicate" remembered, and a merge that can be undone (scoped, audited)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lifeline.cases import services as cases
from lifeline.core.models import AuditEntry, Role
from lifeline.nationals import duplicates
from lifeline.nationals.models import Consent, DeviceToken, HouseholdMember, MergeRecord, Registration

PHONE = "+962791111111"


def _pair(make_registration, post, **other):
    a = make_registration(post, phone=PHONE, given_names="Lorna", email="")
    b = make_registration(post, phone=PHONE, given_names="Lorna B", **other)
    return a, b


def test_a_pair_marked_as_two_people_is_not_suggested_again(post_amman, make_registration, consul, login):
    a, b = _pair(make_registration, post_amman)
    assert [(x, y) for x, y, _r in duplicates.suggested(Registration.objects.all())] == [(a.pk, b.pk)]
    client = login(consul)
    response = client.post(reverse("nationals:distinct", args=[b.pk, a.pk]), {"reason": "Sisters"})
    assert response.status_code == 302
    assert duplicates.suggested(Registration.objects.all()) == []
    assert duplicates.suggested(a) == []
    listing = client.get(reverse("nationals:duplicates")).content.decode()
    assert reverse("nationals:compare", args=[a.pk, b.pk]) not in listing
    assert AuditEntry.objects.filter(object_id=str(a.pk), reason=f"not a duplicate of #{b.pk}").exists()
    # Deciding twice is harmless.
    assert client.post(reverse("nationals:distinct", args=[a.pk, b.pk])).status_code == 302


def test_the_side_by_side_page_shows_both_and_is_scoped(
    post_amman, post_beirut, make_registration, consul, login, make_user
):
    a, b = _pair(make_registration, post_amman, email="lorna@example.org")
    elsewhere = make_registration(post_beirut, phone=PHONE, given_names="Beirut twin")
    client = login(consul)
    page = client.get(reverse("nationals:compare", args=[a.pk, b.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Lorna B" in text and "lorna@example.org" in text
    assert "I checked: both registrations are the same person." in text
    assert AuditEntry.objects.filter(object_id=str(b.pk), action="view", reason="duplicates").exists()
    assert client.get(reverse("nationals:compare", args=[a.pk, elsewhere.pk])).status_code == 404
    assert client.post(reverse("nationals:distinct", args=[a.pk, elsewhere.pk])).status_code == 404
    viewer = login(make_user(post_amman, Role.VIEWER))
    text = viewer.get(reverse("nationals:compare", args=[a.pk, b.pk])).content.decode()
    assert "lorna@example.org" not in text and "Merge the two registrations" not in text


def test_a_merge_is_undone_with_everything_it_moved(post_amman, make_registration, consul):
    keep, other = _pair(make_registration, post_amman, email="ana@example.org", employer="Hotel")
    HouseholdMember.objects.create(registration=other, name="Kyla", relation="child")
    Consent.objects.create(registration=keep, purpose="crisis_messages", granted=False)
    Consent.objects.create(registration=other, purpose="crisis_messages", granted=True)
    Consent.objects.create(registration=other, purpose="assistance", granted=True)
    DeviceToken.issue(registration=other, label="phone")
    case = cases.create_case(registration=other, category="documents", summary="Passport held.")[0]
    record = duplicates.merge(keep, other, consul)
    keep.refresh_from_db()
    assert keep.email == "ana@example.org" and keep.members.count() == 1
    assert keep.consents.get(purpose="crisis_messages").granted
    case.refresh_from_db()
    assert case.registration_id == keep.pk
    assert set(record.filled) == {"email", "employer"} and "ana@example.org" not in str(record.filled)

    duplicates.undo(record, consul)
    keep.refresh_from_db()
    other.refresh_from_db()
    case.refresh_from_db()
    assert other.merged_into_id is None and case.registration_id == other.pk
    assert keep.email == "" and keep.email_index == "" and keep.employer == ""
    assert other.email == "ana@example.org"
    assert keep.members.count() == 0 and other.members.count() == 1
    assert other.devices.count() == 1 and keep.devices.count() == 0
    assert not keep.consents.get(purpose="crisis_messages").granted
    assert set(other.consents.values_list("purpose", flat=True)) == {"assistance", "crisis_messages"}
    assert MergeRecord.objects.get(pk=record.pk).undone_by == consul
    assert AuditEntry.objects.filter(object_id=str(other.pk), reason=f"merge into #{keep.pk} undone").exists()
    # The pair is a likely duplicate again; the undo cannot be repeated.
    assert [(x, y) for x, y, _r in duplicates.suggested(keep)] == [(keep.pk, other.pk)]
    with pytest.raises(ValidationError):
        duplicates.undo(record, consul)


def test_an_edit_after_the_merge_is_kept_by_the_undo(post_amman, make_registration, consul):
    keep, other = _pair(make_registration, post_amman, employer="Hotel")
    record = duplicates.merge(keep, other, consul)
    keep.refresh_from_db()
    keep.employer = "Hospital"
    keep.save()
    duplicates.undo(record, consul)
    keep.refresh_from_db()
    assert keep.employer == "Hospital"


def test_the_pages_merge_then_undo_within_scope(
    post_amman, post_beirut, make_registration, consul, login, make_user
):
    keep, other = _pair(make_registration, post_amman)
    client = login(consul)
    # The side-by-side page sends the pair, which one to keep, and the confirmation.
    response = client.post(reverse("nationals:merge"), {"a": keep.pk, "b": other.pk, "keep": other.pk})
    assert Registration.objects.get(pk=keep.pk).merged_into_id is None  # not confirmed: nothing merged
    response = client.post(
        reverse("nationals:merge"), {"a": keep.pk, "b": other.pk, "keep": keep.pk, "confirm": "1"}
    )
    record = MergeRecord.objects.get(keep=keep, other=other)
    assert response.status_code == 302 and response["Location"] == reverse(
        "nationals:merge_detail", args=[record.pk]
    )
    assert "Undo this merge" in client.get(response["Location"]).content.decode()
    beirut = login(make_user(post_beirut, Role.OFFICER))
    assert beirut.get(reverse("nationals:merge_detail", args=[record.pk])).status_code == 404
    assert beirut.post(reverse("nationals:undo_merge", args=[record.pk])).status_code == 404
    client = login(consul)
    assert client.post(reverse("nationals:undo_merge", args=[record.pk])).status_code == 302
    assert Registration.objects.get(pk=other.pk).merged_into_id is None
