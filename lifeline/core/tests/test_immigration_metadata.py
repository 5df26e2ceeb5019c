"""An immigration authority, whatever its scope, does not see other organisations' audit log,
messaging, dead letters, case teams, or the names of individual focal points."""

import pytest
from django.urls import reverse

from lifeline.cases.models import CaseTeam
from lifeline.communities.models import CommunityProfile
from lifeline.core import audit
from lifeline.core.models import AuditAction, Role, Scope
from lifeline.directory.models import KeyContact
from lifeline.messaging.models import DeadLetter, Delivery, Send


@pytest.fixture
def officer_of_immigration(make_user, immigration):
    return make_user(immigration, Role.ADMINISTRATOR, Scope.DEPLOYMENT)


@pytest.fixture
def embassy_send(post_amman):
    send = Send.objects.create(
        organisation=post_amman,
        name="Embassy evacuation notice",
        audience={"kind": "static", "recipients": []},
        texts={"en": {"body": "x"}},
        channels=["sms"],
    )
    delivery = Delivery.objects.create(
        send=send, batch=1, recipient_key="registration:000000000001", language="en"
    )
    DeadLetter.objects.create(
        send=send, delivery=delivery, channel="sms", reason="Embassy-dead-letter-reason"
    )
    return send


def test_immigration_does_not_read_another_organisations_audit_log(
    login, officer_of_immigration, make_user, post_amman, immigration
):
    consul = make_user(post_amman, Role.COORDINATOR)
    with audit.acting_as(consul):
        audit.record(
            AuditAction.EXPORT, object_type="nationals.registration", object_repr="embassy-export-entry"
        )
    own = make_user(immigration, Role.OFFICER)
    with audit.acting_as(own):
        audit.record(
            AuditAction.EXPORT, object_type="directory.keycontact", object_repr="immigration-own-entry"
        )
    page = login(officer_of_immigration).get(reverse("audit"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "embassy-export-entry" not in text and "immigration-own-entry" in text


def test_immigration_does_not_read_another_organisations_messaging_or_dead_letters(
    login, officer_of_immigration, embassy_send
):
    client = login(officer_of_immigration)
    assert "Embassy evacuation notice" not in client.get(reverse("messaging:list")).content.decode()
    assert client.get(reverse("messaging:detail", args=[embassy_send.pk])).status_code == 404
    assert client.get(reverse("messaging:counts", args=[embassy_send.pk])).status_code == 404
    dead = client.get(reverse("messaging:dead_letters")).content.decode()
    assert "Embassy-dead-letter-reason" not in dead
    compose = client.get(reverse("messaging:compose"))
    choices = {o.pk for o in compose.context["form"].fields["organisation"].queryset}
    assert embassy_send.organisation_id not in choices


def test_immigration_cannot_rename_an_embassys_case_team(login, officer_of_immigration, post_amman):
    team = CaseTeam.objects.create(organisation=post_amman, name="Welfare desk")
    client = login(officer_of_immigration)
    assert "Welfare desk" not in client.get(reverse("cases:teams")).content.decode()
    response = client.post(
        reverse("cases:team_edit", args=[team.pk]), {"name": "Renamed", "organisation": post_amman.pk}
    )
    assert response.status_code in (403, 404)  # 403: immigration changes no case team, not even its own
    team.refresh_from_db()
    assert team.name == "Welfare desk"


def test_immigration_sees_that_a_focal_point_exists_not_who(login, officer_of_immigration, org_a, areas):
    leader = KeyContact.objects.create(organisation=org_a, name="Joy Villanueva", kind="individual")
    association = KeyContact.objects.create(organisation=org_a, name="Migrant Workers Association")
    profile = CommunityProfile.objects.create(organisation=org_a, name="Filipino workers")
    profile.areas.set([areas["amman"]])
    profile.focal_points.set([leader, association])
    client = login(officer_of_immigration)
    for url in (reverse("communities:detail", args=[profile.pk]), reverse("communities:list")):
        text = client.get(url).content.decode()
        assert "Joy Villanueva" not in text, url
        assert "A person (name not shown)" in text and "Migrant Workers Association" in text, url
