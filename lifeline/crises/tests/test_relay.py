"""Relay: another authority's CAP alert over registered nationals proposes a check-in to their post."""

import pytest

from lifeline.alerts.models import Origin
from lifeline.alerts.services import import_cap
from lifeline.core.models import Role, Scope
from lifeline.crises.models import CheckInProposal, Crisis

CAP = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>JMD-2026-0042</identifier><sender>met.example.jo</sender><sent>{sent}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>en</language><category>Met</category><event>Flash flood</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>
    <expires>{expires}</expires><headline>Flash flood warning for central Amman</headline>
    <area><areaDesc>Central Amman</areaDesc><polygon>31.90,35.85 31.90,35.98 32.00,35.98 32.00,35.85 31.90,35.85</polygon></area>
  </info>
</alert>"""


@pytest.fixture
def cap_message():
    from django.utils import timezone

    now = timezone.now().replace(microsecond=0)
    fmt = "%Y-%m-%dT%H:%M:%S+00:00"
    return CAP.format(
        sent=now.strftime(fmt), expires=(now + timezone.timedelta(hours=6)).strftime(fmt)
    ).encode()


def test_an_imported_alert_proposes_a_check_in_to_the_post_with_nationals_inside(
    cap_message,
    ministry,
    post_amman,
    post_beirut,
    make_registration,
    make_user,
    login,
    django_capture_on_commit_callbacks,
):
    for n in range(3):
        make_registration(post_amman, location=f"31.95,35.9{n}", languages=["fil", "en"])
    make_registration(post_amman, location="32.55,35.85", languages=["en"])  # Irbid: outside
    with django_capture_on_commit_callbacks(execute=True):
        result = import_cap(cap_message, ministry, origin=Origin.FEED)
    assert result.ok
    [proposal] = CheckInProposal.objects.all()
    assert proposal.organisation == post_amman and proposal.people == 3 and proposal.languages == {"fil": 3}

    other = login(make_user(post_beirut, role=Role.OFFICER, scope=Scope.OWN))
    assert "Flash flood warning" not in other.get("/crises/").content.decode()
    assert other.post(f"/crises/proposals/{proposal.pk}/", {"do": "declare"}).status_code == 404

    client = login(make_user(post_amman, role=Role.OFFICER, scope=Scope.OWN))
    assert "Flash flood warning for central Amman" in client.get("/crises/").content.decode()

    response = client.post(f"/crises/proposals/{proposal.pk}/", {"do": "declare"})
    crisis = Crisis.objects.get()
    assert response["Location"].endswith(f"/crises/{crisis.pk}/")
    assert crisis.organisation == post_amman and crisis.member_count == 3


def test_no_nationals_inside_no_proposal(
    cap_message, ministry, post_amman, make_registration, django_capture_on_commit_callbacks
):
    make_registration(post_amman, location="29.53,35.00")  # Aqaba
    with django_capture_on_commit_callbacks(execute=True):
        import_cap(cap_message, ministry, origin=Origin.FEED)
    assert not CheckInProposal.objects.exists()
