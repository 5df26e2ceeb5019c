"""A crisis shared by a ministry's posts is not a window on the other posts' nationals.

The ministry declares one crisis over Jordan and Lebanon. The consul in Amman sees
the crisis, but the board, its export, the evacuation lists, the manifests, the
children's list and any message to the campaign reach only the people registered
with the Amman embassy; the ministry reaches everyone.
"""

import datetime

import pytest
from django.urls import reverse

from lifeline.core.models import AuditEntry, Role, Scope
from lifeline.crises import services
from lifeline.crises.models import CheckInRequest, Crisis
from lifeline.evacuation import services as evacuation
from lifeline.evacuation.models import AssemblyPoint, Transport
from lifeline.messaging import audiences
from lifeline.messaging import services as messaging
from lifeline.nationals.models import Consent, HouseholdMember, Purpose


@pytest.fixture
def shared(ministry, post_amman, post_beirut, jordan, lebanon, make_registration):
    crisis = Crisis.objects.create(organisation=ministry, name="Regional conflict", country=jordan)
    crisis.countries.set([jordan, lebanon])
    amman = [
        make_registration(post_amman, given_names=f"Ammani{n}", phone=f"+9627900001{n:02d}") for n in range(2)
    ]
    beirut = [
        make_registration(post_beirut, given_names=f"Beiruti{n}", phone=f"+9617100001{n:02d}")
        for n in range(3)
    ]
    HouseholdMember.objects.create(
        registration=beirut[0],
        name="Beiruti Child",
        relation="child",
        date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 8),
    )
    HouseholdMember.objects.create(
        registration=amman[0],
        name="Ammani Child",
        relation="child",
        date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 9),
    )
    for registration in amman + beirut:
        Consent.objects.create(registration=registration, purpose=Purpose.CRISIS_MESSAGES)
    services.materialise(crisis)
    ministry_user = _make_ministry_user(ministry)
    campaign = services.start_campaign(crisis, {"en": "Are you safe?"}, ministry_user, send=False)
    return {
        "crisis": crisis,
        "campaign": campaign,
        "amman": amman,
        "beirut": beirut,
        "ministry": ministry_user,
    }


def _make_ministry_user(ministry):
    from django.contrib.auth import get_user_model

    from lifeline.core.models import StaffProfile

    user = get_user_model().objects.create_user(username="desk", password="x" * 20)
    StaffProfile.objects.create(user=user, organisation=ministry, role=Role.COORDINATOR, scope=Scope.CHILDREN)
    return user


@pytest.fixture
def consul(make_user, post_amman):
    return make_user(post_amman, Role.COORDINATOR)


def _names(text, people):
    return {r.given_names for r in people if r.given_names in text}


def test_the_board_of_a_shared_crisis_shows_only_the_consuls_own_people(login, consul, shared):
    page = login(consul).get(reverse("crises:board", args=[shared["campaign"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert _names(text, shared["amman"]) == {r.given_names for r in shared["amman"]}
    assert _names(text, shared["beirut"]) == set()
    assert not any(r.phone in text for r in shared["beirut"])
    assert sum(page.context["counts"].values()) == 2
    shown = AuditEntry.objects.filter(action="view", object_type="nationals.registration")
    assert set(shown.values_list("object_id", flat=True)) == {str(r.pk) for r in shared["amman"]}


def test_the_ministry_sees_the_whole_board(client, shared):
    from conftest import verified_client

    page = verified_client(client, shared["ministry"]).get(
        reverse("crises:board", args=[shared["campaign"].pk])
    )
    text = page.content.decode()
    assert _names(text, shared["beirut"]) == {r.given_names for r in shared["beirut"]}
    assert sum(page.context["counts"].values()) == 5


def test_the_board_export_of_a_shared_crisis_lists_only_the_consuls_own_people(login, consul, shared):
    response = login(consul).get(reverse("crises:board_export", args=[shared["campaign"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert _names(text, shared["amman"]) == {r.given_names for r in shared["amman"]}
    assert _names(text, shared["beirut"]) == set()
    assert not any(r.phone in text for r in shared["beirut"])


def test_the_consul_cannot_answer_for_another_posts_national(login, consul, shared, post_amman):
    # Even the post that leads the crisis (and may change it) reaches only its own people.
    Crisis.objects.filter(pk=shared["crisis"].pk).update(organisation=post_amman)
    beirut_request = CheckInRequest.objects.get(campaign=shared["campaign"], registration=shared["beirut"][0])
    url = reverse("crises:board_answer", args=[shared["campaign"].pk, beirut_request.pk])
    assert login(consul).post(url, {"answer": "safe", "via": "phone"}).status_code == 404
    beirut_request.refresh_from_db()
    assert beirut_request.status == "no_answer"


@pytest.fixture
def evacuation_of(shared):
    crisis = shared["crisis"]
    point = AssemblyPoint.objects.create(crisis=crisis, name="Border crossing", capacity=50)
    bus = Transport.objects.create(
        crisis=crisis, name="Bus 7", capacity=50, assembly_point=point, destination="Aqaba"
    )
    evacuation.assign(crisis, [r.pk for r in shared["amman"] + shared["beirut"][:2]], point, bus)
    return {"point": point, "bus": bus}


def test_evacuation_lists_and_manifests_show_only_the_consuls_own_people(
    login, consul, shared, evacuation_of
):
    client = login(consul)
    point, bus = evacuation_of["point"], evacuation_of["bus"]
    for url in (
        reverse("evacuation:point", args=[point.pk]),
        reverse("evacuation:transport", args=[bus.pk]),
        reverse("evacuation:point_manifest", args=[point.pk, "csv"]),
        reverse("evacuation:transport_manifest", args=[bus.pk, "csv"]),
        reverse("evacuation:unassigned", args=[shared["crisis"].pk]),
        reverse("evacuation:children", args=[shared["crisis"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert _names(text, shared["beirut"]) == set(), url
        assert "Beiruti Child" not in text, url
    listed = client.get(reverse("evacuation:point", args=[point.pk])).content.decode()
    assert _names(listed, shared["amman"]) == {r.given_names for r in shared["amman"]}
    children = client.get(reverse("evacuation:children", args=[shared["crisis"].pk])).content.decode()
    assert "Ammani Child" in children


def test_the_ministry_sees_every_evacuee(client, shared, evacuation_of):
    from conftest import verified_client

    response = verified_client(client, shared["ministry"]).get(
        reverse("evacuation:point_manifest", args=[evacuation_of["point"].pk, "csv"])
    )
    assert _names(response.content.decode(), shared["beirut"]) == {
        r.given_names for r in shared["beirut"][:2]
    }


def test_a_message_to_the_campaign_reaches_only_the_consuls_own_people(consul, shared, post_amman):
    audience = {"kind": "campaign", "campaign": shared["campaign"].pk}
    assert messaging.preview_audience(audience, {}, user=consul)["total"] == 2
    send = messaging.start_send(
        organisation=post_amman,
        user=consul,
        name="Follow-up",
        audience=audience,
        texts={"en": {"subject": "Follow-up", "body": "Please answer.", "short": "Please answer."}},
        channels=["sms"],
    )
    reached = audiences.resolve(send.audience, limit=100)
    assert {r.key for r in reached} == {audiences.key("registration", r.pk) for r in shared["amman"]}
    # A definition that names other organisations is rewritten by the check, not trusted.
    forged = dict(audience, organisation_ids=[shared["beirut"][0].organisation_id])
    assert messaging.preview_audience(forged, {}, user=consul)["total"] == 2


def test_the_ministry_and_the_campaign_itself_reach_everyone(shared):
    audience = {"kind": "campaign", "campaign": shared["campaign"].pk}
    assert messaging.preview_audience(audience, {}, user=shared["ministry"])["total"] == 5
    assert messaging.preview_audience(audience, {}, user=None)["total"] == 5
