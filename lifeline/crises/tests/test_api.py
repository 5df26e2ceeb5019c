from lifeline.core.models import Role
from lifeline.crises.models import CheckInAnswer, CheckInCampaign, CheckInRequest, Crisis
from lifeline.crises.tests.conftest import AMMAN


def test_staff_declare_a_crisis_and_read_its_figures(api, officer, post_amman, people):
    client = api(officer)
    payload = {
        "name": "Floods",
        "type": "natural_hazard",
        "country": "JO",
        "geometry": AMMAN,
        "areas": ["JO21"],
    }
    response = client.post("/api/crises", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_count"] == 4 and body["organisation"] == post_amman.pk and body["areas"] == ["JO21"]
    assert [c["id"] for c in client.get("/api/crises").json()["items"]] == [body["id"]]
    figures = client.get(f"/api/crises/{body['id']}/figures").json()
    assert figures["nationals"] == 4 and figures["household_members"] == 1


def test_bad_crisis_payloads_are_refused(api, officer, post_amman, people):
    client = api(officer)
    base = {"name": "Floods", "type": "natural_hazard", "country": "JO"}
    cases = [
        {**base, "country": "XX"},
        {**base, "areas": ["NOPE"]},
        {**base, "geometry": {"type": "Point", "coordinates": [1, 2]}},
        {**base},
        {**base, "circle_lat": 31.9},
        {**base, "type": "meteor"},
    ]
    for payload in cases:
        assert client.post("/api/crises", payload, content_type="application/json").status_code == 422, (
            payload
        )
    assert not Crisis.objects.exists()


def test_campaign_board_and_logged_answer(api, officer, make_crisis, people):
    crisis = make_crisis()
    client = api(officer)
    started = client.post(
        f"/api/crises/{crisis.pk}/campaigns",
        {"messages": {"en": "Are you safe?"}},
        content_type="application/json",
    )
    assert started.status_code == 201
    campaign = CheckInCampaign.objects.get()
    assert started.json()["counts"]["no_answer"] == 3
    request = CheckInRequest.objects.filter(campaign=campaign).first()
    logged = client.post(
        f"/api/crises/campaigns/{campaign.pk}/requests/{request.pk}/answer",
        {"answer": "need_help", "note": "Injured"},
        content_type="application/json",
    )
    assert logged.status_code == 201 and logged.json()["via"] == "phone"
    board = client.get(f"/api/crises/campaigns/{campaign.pk}/board").json()
    assert board["counts"]["need_help"] == 1 and board["counts"]["no_answer"] == 2
    assert (
        client.post(
            f"/api/crises/{crisis.pk}/campaigns", {"messages": {"??": "x"}}, content_type="application/json"
        ).status_code
        == 422
    )
    assert client.post(f"/api/crises/{crisis.pk}/close").json()["status"] == "closed"
    assert (
        client.post(
            f"/api/crises/{crisis.pk}/campaigns", {"messages": {"en": "x"}}, content_type="application/json"
        ).status_code
        == 422
    )


def test_another_post_and_a_viewer_are_kept_out(api, make_user, post_beirut, post_amman, make_crisis, people):
    crisis = make_crisis()
    stranger = api(make_user(post_beirut, Role.COORDINATOR))
    assert stranger.get(f"/api/crises/{crisis.pk}").status_code == 404
    assert stranger.get(f"/api/crises/{crisis.pk}/figures").status_code == 404
    assert stranger.get("/api/crises").json()["items"] == []
    viewer = api(make_user(post_amman, Role.VIEWER))
    assert viewer.get(f"/api/crises/{crisis.pk}").status_code == 200
    assert (
        viewer.post(
            f"/api/crises/{crisis.pk}/campaigns", {"messages": {"en": "x"}}, content_type="application/json"
        ).status_code
        == 403
    )
    assert viewer.post(f"/api/crises/{crisis.pk}/close").status_code == 403
    assert not CheckInCampaign.objects.exists() and not CheckInAnswer.objects.exists()
