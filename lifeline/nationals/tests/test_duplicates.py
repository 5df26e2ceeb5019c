import datetime

from django.urls import reverse

from lifeline.core.models import AuditEntry, Role
from lifeline.nationals.models import Consent, DeviceToken, HouseholdMember, Registration
from lifeline.nationals.services import find_duplicates, merge

BORN = datetime.date(1990, 5, 1)


def test_finds_pairs_by_document_phone_email_and_name_with_birth(post_amman, make_registration):
    a = make_registration(post_amman, document_number="P 123 4567", phone="+962791111111")
    b = make_registration(post_amman, document_number="p1234567", phone="+962792222222")
    c = make_registration(post_amman, phone="+962793333333", email="x@example.org")
    d = make_registration(post_amman, phone="+962794444444", email="X@Example.org")
    e = make_registration(
        post_amman,
        given_names="José María",
        family_name="Dela Cruz",
        date_of_birth=BORN,
        phone="+962795555555",
    )
    f = make_registration(
        post_amman,
        given_names="Jose Maria",
        family_name="dela cruz",
        date_of_birth=BORN,
        phone="+962796666666",
    )
    make_registration(
        post_amman,
        given_names="Jose Maria",
        family_name="dela cruz",
        date_of_birth=BORN.replace(year=1991),
        phone="+962797777777",
    )
    pairs = find_duplicates(Registration.objects.all())
    assert pairs == [(a.pk, b.pk, ["document"]), (c.pk, d.pk, ["email"]), (e.pk, f.pk, ["name_birth"])]
    assert find_duplicates(f) == [(e.pk, f.pk, ["name_birth"])]
    make_registration(post_amman, phone="+962791111111")
    assert ["phone"] in [reasons for _a, _b, reasons in find_duplicates(Registration.objects.all())]


def test_merge_moves_everything_and_is_audited(post_amman, make_registration):
    keep = make_registration(post_amman, phone="+962791111111", email="")
    other = make_registration(post_amman, phone="+962791111111", email="ana@example.org", employer="Hotel")
    HouseholdMember.objects.create(registration=other, name="Kyla", relation="child")
    Consent.objects.create(registration=keep, purpose="crisis_messages", granted=False)
    Consent.objects.create(registration=other, purpose="crisis_messages", granted=True)
    Consent.objects.create(registration=other, purpose="assistance", granted=True)
    DeviceToken.issue(registration=other, label="phone")
    merge(keep, other)
    keep.refresh_from_db()
    other.refresh_from_db()
    assert other.merged_into == keep
    assert keep.email == "ana@example.org" and keep.employer == "Hotel" and keep.email_index
    assert keep.members.count() == 1 and keep.devices.count() == 1
    assert set(keep.consents.filter(granted=True).values_list("purpose", flat=True)) == {
        "assistance",
        "crisis_messages",
    }
    assert AuditEntry.objects.filter(object_id=str(keep.pk), reason__startswith="merged").exists()
    assert AuditEntry.objects.filter(object_id=str(other.pk), reason__startswith="merged into").exists()
    assert find_duplicates(Registration.objects.all()) == []


def test_duplicates_page_is_scoped_and_merges(
    login, make_user, consul, post_amman, post_beirut, make_registration
):
    a = make_registration(post_amman, phone="+962791111111", given_names="Lorna")
    b = make_registration(post_amman, phone="+962791111111", given_names="Lorna B")
    elsewhere = make_registration(post_beirut, phone="+962791111111", given_names="Beirut twin")
    client = login(consul)
    text = client.get(reverse("nationals:duplicates")).content.decode()
    assert f"#{a.pk}" in text and f"#{b.pk}" in text and "Beirut twin" not in text
    # A post cannot merge a record it cannot see.
    assert client.post(reverse("nationals:merge"), {"keep": a.pk, "other": elsewhere.pk}).status_code == 404
    assert client.post(reverse("nationals:merge"), {"keep": a.pk, "other": "x"}).status_code == 302
    response = client.post(reverse("nationals:merge"), {"keep": a.pk, "other": b.pk})  # not confirmed
    assert response.status_code == 302 and Registration.objects.get(pk=b.pk).merged_into_id is None
    response = client.post(reverse("nationals:merge"), {"keep": a.pk, "other": b.pk, "confirm": "1"})
    assert response.status_code == 302 and Registration.objects.get(pk=b.pk).merged_into_id == a.pk
    viewer = login(make_user(post_amman, Role.VIEWER))
    assert viewer.post(reverse("nationals:merge"), {"keep": a.pk, "other": elsewhere.pk}).status_code == 403


def test_deleting_the_kept_record_deletes_the_merged_one(post_amman, make_registration):
    from lifeline.nationals.services import erase

    keep = make_registration(post_amman, phone="+962791111111")
    other = make_registration(post_amman, phone="+962791111111")
    merge(keep, other)
    figures = erase(Registration.objects.filter(pk=keep.pk), "withdrawn")
    assert figures["registrations"] == 2 and not Registration.objects.exists()
