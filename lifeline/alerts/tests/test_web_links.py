"""A CAP <web> that is not an http(s) address is neither stored nor rendered as a link."""

import datetime

import pytest
from django.utils import timezone

from lifeline.alerts.models import Alert, InfoBlock, State
from lifeline.alerts.services import Outcome, import_cap


def cap(web, identifier="LL-WEB-1"):
    now = timezone.now().replace(microsecond=0)
    sent = now.isoformat()
    expires = (now + datetime.timedelta(days=1)).isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>feed.example.org</sender>
  <sent>{sent}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>en</language>
    <category>Met</category>
    <event>Flood</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <expires>{expires}</expires>
    <headline>Flood warning</headline>
    <web>{web}</web>
    <area><areaDesc>Amman</areaDesc></area>
  </info>
</alert>""".encode()


@pytest.mark.parametrize(
    "web",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "//evil",
    ],
)
def test_an_imported_script_address_is_not_stored_nor_linked(login, make_user, org_a, web):
    result = import_cap(cap(web), org_a)
    assert result.outcome == Outcome.IMPORTED, result.reason
    info = result.alert.info.get()
    assert info.web == ""
    page = _detail(login, make_user, org_a, result.alert)
    assert "Flood warning" in page
    assert "javascript:" not in page.lower() and "data:text" not in page


def test_an_http_address_stays_a_link(login, make_user, org_a):
    result = import_cap(cap("https://meteo.example.org/warnings?id=1&amp;lang=en"), org_a)
    assert result.alert.info.get().web == "https://meteo.example.org/warnings?id=1&lang=en"
    page = _detail(login, make_user, org_a, result.alert)
    assert 'href="https://meteo.example.org/warnings?id=1&amp;lang=en"' in page


def test_a_script_address_already_in_the_database_is_shown_as_text(client, login, make_user, org_a, draft):
    result = import_cap(cap("https://meteo.example.org/"), org_a)
    InfoBlock.objects.filter(alert=result.alert).update(web="javascript:alert(1)")  # written before the fix
    page = _detail(login, make_user, org_a, result.alert)
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page
    # The public page of a published alert, likewise.
    Alert.objects.filter(pk=draft.pk).update(state=State.PUBLISHED, published_at=timezone.now())
    InfoBlock.objects.filter(alert=draft).update(web="javascript:alert(2)")
    public = client.get(f"/alerts/public/{draft.pk}/")
    assert public.status_code == 200
    page = public.content.decode()
    assert 'href="javascript:' not in page and "javascript:alert(2)" in page


def _detail(login, make_user, org_a, alert):
    response = login(make_user(org_a)).get(f"/alerts/{alert.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_saving_a_block_keeps_only_http_addresses(org_a):
    result = import_cap(cap("https://meteo.example.org/"), org_a)
    info = result.alert.info.get()
    info.web = "javascript:alert(1)"
    info.save()
    info.refresh_from_db()
    assert info.web == ""
