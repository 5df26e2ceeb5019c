from lifeline.cases import services
from lifeline.cases.models import Case, Status
from lifeline.core.models import AuditAction, AuditEntry

URL = "/api/cases"


def test_staff_list_and_get_their_posts_cases_with_audit(
    api, officer, case, make_case, make_registration, post_beirut
):
    elsewhere = make_case(make_registration(post_beirut))
    client = api(officer)
    listing = client.get(URL).json()
    assert [row["reference"] for row in listing["items"]] == [case.reference]
    assert listing["items"][0]["summary"] is None  # lists carry no personal data
    detail = client.get(f"{URL}/{case.pk}").json()
    assert detail["summary"] == case.summary and detail["notes"] == []
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(case.pk), via="api").exists()
    assert client.get(f"{URL}/{elsewhere.pk}").status_code == 404


def test_the_ministry_sees_all_and_immigration_nothing(
    api, ministry_user, immigration_user, case, make_case, make_registration, post_beirut
):
    make_case(make_registration(post_beirut))
    assert api(ministry_user).get(URL).json()["count"] == 2
    client = api(immigration_user)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{case.pk}").status_code == 404


def test_staff_create_transition_note_and_message(api, officer, person):
    client = api(officer)
    created = client.post(
        URL,
        {
            "registration": person.pk,
            "category": "detention",
            "summary": "Arrested at checkpoint",
            "priority": "critical",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert (
        client.post(
            f"{URL}/{case_id}/transition", {"status": "resolved"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"{URL}/{case_id}/transition", {"status": "triaged"}, content_type="application/json"
        ).json()["status"]
        == "triaged"
    )
    noted = client.post(
        f"{URL}/{case_id}/notes", {"text": "Lawyer informed"}, content_type="application/json"
    ).json()
    assert noted["notes"][0]["text"] == "Lawyer informed"
    sent = client.post(
        f"{URL}/{case_id}/messages", {"text": "A lawyer will visit"}, content_type="application/json"
    ).json()
    assert sent["messages"][0]["direction"] == "out"
    assert Case.objects.get().status == Status.TRIAGED


def test_a_viewer_cannot_change_and_bad_input_is_refused(
    api, viewer, officer, case, make_registration, post_beirut
):
    assert (
        api(viewer).post(f"{URL}/{case.pk}/notes", {"text": "x"}, content_type="application/json").status_code
        == 403
    )
    client = api(officer)
    assert (
        client.post(URL, {"category": "nope", "summary": "x"}, content_type="application/json").status_code
        == 422
    )
    other = make_registration(post_beirut)
    assert (
        client.post(
            URL,
            {"registration": other.pk, "category": "other", "summary": "x"},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert (
        client.post(URL, {"category": "other", "summary": "x"}, content_type="application/json").status_code
        == 422
    )  # nobody to help
    assert (
        client.post(f"{URL}/{case.pk}/notes", {"text": ""}, content_type="application/json").status_code
        == 422
    )
    assert Case.objects.count() == 1 and not case.notes.exists()


def test_another_posts_case_cannot_be_changed(api, beirut_officer, case):
    client = api(beirut_officer)
    assert (
        client.post(
            f"{URL}/{case.pk}/transition", {"status": "triaged"}, content_type="application/json"
        ).status_code
        == 404
    )
    services.triage(case, "high")
    assert Case.objects.get(pk=case.pk).status == Status.TRIAGED


def test_staff_triage_and_assign_by_api(api, officer, beirut_officer, case):
    client = api(officer)
    triaged = client.post(
        f"{URL}/{case.pk}/triage",
        {"priority": "critical", "reason": "Injured"},
        content_type="application/json",
    ).json()
    assert (triaged["priority"], triaged["status"]) == ("critical", "triaged")
    assert (
        client.post(
            f"{URL}/{case.pk}/assign", {"officer": beirut_officer.pk}, content_type="application/json"
        ).status_code
        == 422
    )
    assigned = client.post(
        f"{URL}/{case.pk}/assign", {"officer": officer.pk}, content_type="application/json"
    ).json()
    assert assigned["assigned_to"] == officer.get_username()
