import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lifeline.cases import services
from lifeline.cases.models import Case, Status
from lifeline.cases.tests.conftest import image_bytes
from lifeline.core.models import AuditAction, AuditEntry
from lifeline.directory.models import KeyContact


def test_the_list_shows_the_posts_cases_only(login, officer, case, make_case, make_registration, post_beirut):
    elsewhere = make_case(make_registration(post_beirut))
    response = login(officer).get(reverse("cases:list"))
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert elsewhere.reference not in response.content.decode()


def test_another_posts_case_is_404(login, beirut_officer, case):
    client = login(beirut_officer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:note", args=[case.pk]), {"text": "x"}).status_code == 404
    assert not case.notes.exists()


def test_the_ministry_sees_every_posts_cases(
    login, ministry_user, case, make_case, make_registration, post_beirut
):
    elsewhere = make_case(make_registration(post_beirut))
    client = login(ministry_user)
    page = client.get(reverse("cases:list")).content.decode()
    assert case.reference in page and elsewhere.reference in page
    assert client.get(reverse("cases:detail", args=[elsewhere.pk])).status_code == 200


def test_immigration_sees_nothing(login, immigration_user, case):
    client = login(immigration_user)
    response = client.get(reverse("cases:list"))
    assert case.reference not in response.content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_detail_is_audited_and_shows_notes_and_messages_apart(login, officer, case):
    services.add_note(case, "Employer is known to us", user=officer)
    services.receive_message(case, "Please help quickly")
    page = login(officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    notes, messages = page.index('id="notes-heading"'), page.index('id="messages-heading"')
    assert messages < page.index("Please help quickly") < notes < page.index("Employer is known to us")
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type="cases.case", object_id=str(case.pk), actor_id=officer.pk
    ).exists()
    assert case.messages.get().read_at is not None  # staff read the person's message


def test_a_viewer_sees_no_personal_data_and_cannot_change(login, viewer, case):
    client = login(viewer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "passport" not in page and "Hidden" in page
    assert client.post(reverse("cases:status", args=[case.pk]), {"status": "triaged"}).status_code == 403
    assert client.get(reverse("cases:create")).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.NEW


def test_staff_triage_assign_and_move_a_case(login, officer, case):
    client = login(officer)
    client.post(reverse("cases:triage", args=[case.pk]), {"priority": "high", "reason": "Alone, no money"})
    client.post(reverse("cases:assign", args=[case.pk]), {"officer": officer.pk, "team": ""})
    client.post(reverse("cases:status", args=[case.pk]), {"status": "in_progress"})
    case.refresh_from_db()
    assert (case.priority, case.assigned_to, case.status) == ("high", officer, Status.IN_PROGRESS)


def test_an_invalid_transition_is_refused_with_a_message(login, officer, case):
    response = login(officer).post(
        reverse("cases:status", args=[case.pk]), {"status": "resolved"}, follow=True
    )
    assert "cannot go from" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.NEW


def test_a_referral_without_consent_is_refused_on_the_page(login, officer, case, post_amman):
    partner = KeyContact.objects.create(
        organisation=post_amman, name="Workers' Rights Centre", kind="organisation"
    )
    services.triage(case, "high")
    client = login(officer)
    response = client.post(reverse("cases:refer", args=[case.pk]), {"contact": partner.pk}, follow=True)
    assert "has not agreed" in response.content.decode()
    assert not case.referrals.exists()
    client.post(reverse("cases:refer", args=[case.pk]), {"contact": partner.pk, "consent_asked": "on"})
    assert case.referrals.get().consent_recorded_by == officer


def test_staff_open_a_walk_in_case(login, officer, post_amman):
    response = login(officer).post(
        reverse("cases:create"),
        {
            "organisation": post_amman.pk,
            "contact_name": "Ana",
            "contact_phone": "+962 79 123 4567",
            "source": "walk_in",
            "category": "shelter",
            "summary": "Slept outside",
            "priority": "high",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert (case.contact_phone, case.organisation, case.registration) == ("+962791234567", post_amman, None)


def test_staff_cannot_open_a_case_for_another_posts_registration(
    login, officer, post_amman, post_beirut, make_registration
):
    other = make_registration(post_beirut)
    response = login(officer).post(
        reverse("cases:create"),
        {
            "organisation": post_amman.pk,
            "registration": other.pk,
            "source": "phone",
            "category": "shelter",
            "summary": "x",
            "priority": "normal",
        },
    )
    assert response.status_code == 200 and "No registration with this number" in response.content.decode()
    assert not Case.objects.exists()


def test_a_bad_photo_on_the_page_is_a_form_error(login, officer, post_amman):
    response = login(officer).post(
        reverse("cases:create"),
        {
            "organisation": post_amman.pk,
            "contact_name": "Ana",
            "source": "walk_in",
            "category": "shelter",
            "summary": "x",
            "priority": "normal",
            "photo": SimpleUploadedFile("x.jpg", b"not an image"),
        },
    )
    assert response.status_code == 200 and "JPEG or PNG" in response.content.decode()
    assert not Case.objects.exists()


def test_the_photo_is_served_only_through_the_checked_view(
    settings, tmp_path, login, officer, beirut_officer, viewer, person
):
    settings.MEDIA_ROOT = tmp_path
    case, _ = services.create_case(
        registration=person, category="medical", summary="x", photo=SimpleUploadedFile("p.jpg", image_bytes())
    )
    url = reverse("cases:photo", args=[case.pk])
    response = login(officer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_id=str(case.pk), fields=["photo"]
    ).exists()
    assert login(beirut_officer).get(url).status_code == 404
    assert login(viewer).get(url).status_code == 403


def test_merge_from_the_page(login, officer, make_case, person):
    first = make_case(person)
    second = make_case(person)
    page = login(officer).get(reverse("cases:detail", args=[second.pk])).content.decode()
    assert f"Possible duplicate of {first.reference}" in page
    login(officer).post(reverse("cases:merge", args=[second.pk]), {"into": first.reference})
    assert Case.objects.get(pk=second.pk).merged_into == first


@pytest.mark.parametrize(
    "query", ["?overdue=on", "?status=open&mine=on", "?category=medical&priority=critical", "?status=bogus"]
)
def test_list_filters(login, officer, make_case, person, query):
    late = make_case(person, category="medical", priority="critical")
    services.assign(late, officer=officer)
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    other = make_case(person, category="shelter")
    page = login(officer).get(reverse("cases:list") + query).content.decode()
    assert late.reference in page
    assert (other.reference in page) == (query == "?status=bogus")


def test_the_dashboard_shows_the_figures(login, officer, case):
    page = login(officer).get(reverse("cases:dashboard")).content.decode()
    assert "Lost or stolen documents" in page and "Under 1 day" in page


def test_the_partners_answer_is_recorded(login, officer, case, post_amman):
    partner = KeyContact.objects.create(organisation=post_amman, name="Shelter NGO", kind="organisation")
    services.triage(case, "high")
    referral = services.refer(case, partner, officer, consent_asked=True)
    client = login(officer)
    client.post(
        reverse("cases:referral_status", args=[case.pk]), {"referral": referral.pk, "status": "accepted"}
    )
    referral.refresh_from_db()
    assert referral.status == "accepted"
    response = client.post(
        reverse("cases:referral_status", args=[case.pk]), {"referral": "x", "status": "accepted"}, follow=True
    )
    assert "Choose a referral" in response.content.decode()


def test_the_list_costs_the_same_queries_for_many_cases(
    login, officer, make_case, person, django_assert_max_num_queries
):
    client = login(officer)
    make_case(person)
    client.get(reverse("cases:list"))  # warm the session and permission caches
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("cases:list"))
    for _n in range(10):
        services.assign(make_case(person, category="other"), officer=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:list"))


def test_teams_of_the_post(login, officer, make_user, post_amman, beirut_officer, viewer):
    from lifeline.cases.models import CaseTeam

    client = login(officer)
    response = client.post(
        reverse("cases:team_create"),
        {"organisation": post_amman.pk, "name": "Welfare", "members": [officer.pk]},
    )
    assert response.status_code == 302
    team = CaseTeam.objects.get()
    assert list(team.members.all()) == [officer] and team.organisation == post_amman
    assert "Welfare" in client.get(reverse("cases:teams")).content.decode()
    refused = client.post(
        reverse("cases:team_edit", args=[team.pk]),
        {"organisation": post_amman.pk, "name": "W", "members": [beirut_officer.pk]},
    )
    assert refused.status_code == 200 and CaseTeam.objects.get().name == "Welfare"
    assert login(beirut_officer).get(reverse("cases:team_edit", args=[team.pk])).status_code == 404
    assert login(viewer).get(reverse("cases:team_create")).status_code == 403
