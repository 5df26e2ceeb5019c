from urllib.parse import quote

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeline.advice.models import AdviceSubscription, AdviceVersion, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version
from lifeline.core.models import Role
from lifeline.nationals.models import Consent, DeviceToken, Purpose

# The nationals' app: public reading


def test_anyone_reads_a_countrys_advice_in_their_language(client, make_advice, lebanon, post_beirut):
    make_advice(lebanon, 3, {"en": "Reconsider travel.", "ar": "أعد النظر."})
    make_advice(lebanon, 4, {"en": "Do not travel."}, region="Southern border areas")
    response = client.get("/api/app/advice/lb", {"lang": "ar"})
    data = response.json()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert [(a["place"], a["level"]) for a in data["advice"]] == [("", 3), ("Southern border areas", 4)]
    assert data["advice"][0]["text"]["summary"] == "أعد النظر." and data["advice"][0]["text"]["rtl"] is True
    assert data["advice"][1]["text"]["language"] == "en"  # the fallback
    assert data["posts"][0]["name"] == "Embassy in Beirut"
    assert sorted(data["languages"]) == ["ar", "en"]


def test_unknown_or_unpublished_is_404(client, ministry, jordan):
    assert client.get("/api/app/advice/zz").status_code == 404
    assert client.get("/api/app/advice/toolong").status_code == 404
    add_version(TravelAdvice.objects.create(organisation=ministry, country=jordan))
    assert client.get("/api/app/advice/jo").json() == {"detail": "Not found."}


def test_anyone_reads_the_briefing(client, jordan_briefing):
    data = client.get("/api/app/advice/jo/briefing", {"lang": "ar"}).json()
    assert data["title"] == "كن مستعداً في الأردن" and data["rtl"] is True
    data = client.get("/api/app/advice/jo/briefing").json()
    assert data["checklist"][0]["items"] == ["Water for three days", "Torch"]


def test_a_registered_national_subscribes_with_consent(client, jordan, post_amman, make_registration):
    registration = make_registration(post_amman, email="n@example.org")
    _device, raw = DeviceToken.issue(registration)
    url, auth = "/api/app/advice/jo/subscription", {"HTTP_AUTHORIZATION": f"Device {raw}"}
    response = client.post(url, **auth)
    # In the person's language (the registration reads Filipino first).
    with translation.override(registration.languages[0]):
        refusal = translation.gettext("Agree to receive travel advice updates first.")
    assert response.status_code == 409 and response.json()["detail"] == refusal
    Consent.objects.create(registration=registration, purpose=Purpose.ADVICE_UPDATES)
    assert client.post(url, **auth).json() == {"country": "JO", "subscribed": True}
    assert client.post(url, **auth).status_code == 200 and AdviceSubscription.objects.count() == 1
    assert client.post(url).status_code == 401
    assert (
        client.delete(url, **auth).json()["subscribed"] is False and not AdviceSubscription.objects.exists()
    )


# Staff API


@pytest.fixture(autouse=True)
def _jordan(jordan):
    """The country the drafts below are for."""


DRAFT = {
    "country": "JO",
    "level": 2,
    "note": "Floods",
    "texts": [{"language": "en", "summary": "Take care."}, {"language": "ar", "summary": "توخَّ الحذر."}],
}


def test_staff_draft_submit_and_another_approves(api, writer, approver):
    response = api(writer).post("/api/advice/drafts", DRAFT, content_type="application/json")
    assert response.status_code == 201, response.content
    version = response.json()
    assert version["state"] == "draft" and [t["language"] for t in version["texts"]] == ["ar", "en"]
    assert api(writer).post(f"/api/advice/versions/{version['id']}/submit").json()["state"] == "awaiting"
    response = api(writer).post(f"/api/advice/versions/{version['id']}/approve")
    assert response.status_code == 409 and "someone else" in response.json()["detail"]
    response = api(approver).post(f"/api/advice/versions/{version['id']}/approve")
    assert response.json()["state"] == "published" and response.json()["approver"] == approver.username
    listed = api(approver).get("/api/advice").json()
    assert listed[0]["latest"]["level"] == 2


def test_a_second_draft_while_one_is_pending_is_409(api, writer):
    assert api(writer).post("/api/advice/drafts", DRAFT, content_type="application/json").status_code == 201
    assert api(writer).post("/api/advice/drafts", DRAFT, content_type="application/json").status_code == 409
    assert AdviceVersion.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"country": "ZZ"}, "country"),
        ({"area": "XX99"}, "area"),
        ({"texts": [{"language": "not a language", "summary": "x"}]}, "texts[0].language"),
        ({"texts": [{"language": "en", "summary": ""}]}, "texts[0].summary"),
        (
            {"texts": [{"language": "en", "summary": "a"}, {"language": "en", "summary": "b"}]},
            "texts[1].language",
        ),
    ],
)
def test_bad_drafts_are_422_and_change_nothing(api, writer, change, field):
    response = api(writer).post("/api/advice/drafts", {**DRAFT, **change}, content_type="application/json")
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not TravelAdvice.objects.exists() and not AdviceVersion.objects.exists()


def test_a_level_out_of_range_is_422(api, writer):
    assert (
        api(writer)
        .post("/api/advice/drafts", {**DRAFT, "level": 5}, content_type="application/json")
        .status_code
        == 422
    )


def test_a_viewer_cannot_draft_and_others_cannot_see(
    api, make_user, ministry, other_ministry, writer, jordan
):
    assert (
        api(make_user(ministry, Role.VIEWER))
        .post("/api/advice/drafts", DRAFT, content_type="application/json")
        .status_code
        == 403
    )
    version = add_version(
        TravelAdvice.objects.create(organisation=ministry, country=jordan),
        author=writer,
        state=State.AWAITING,
    )
    outsider = make_user(other_ministry, Role.COORDINATOR)
    assert api(outsider).get(f"/api/advice/versions/{version.pk}").status_code == 404
    assert api(outsider).post(f"/api/advice/versions/{version.pk}/approve").status_code == 404
    assert api(outsider).get("/api/advice").json() == []
    response = api(outsider).post("/api/advice/drafts", DRAFT, content_type="application/json")
    assert response.status_code == 422 and "another organisation" in response.json()["errors"]["country"][0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lang=st.text(max_size=40), code=st.text(max_size=4))
def test_any_input_is_an_answer_never_a_crash(client, make_advice, lang, code):
    if not TravelAdvice.objects.exists():
        from lifeline.geo.models import Country

        make_advice(Country.objects.get_or_create(code="JO", defaults={"iso3": "JOR"})[0], 2, {"en": "x"})
    for path in (
        f"/api/app/advice/{quote(code, safe='')}",
        "/api/app/advice/jo",
        "/api/app/advice/jo/briefing",
    ):
        response = client.get(path or "/", {"lang": lang, "area": lang})
        assert response.status_code in (200, 404, 422), (path, lang, response.content)
    response = client.get("/advice/jo/", {"lang": lang})
    assert response.status_code == 200
