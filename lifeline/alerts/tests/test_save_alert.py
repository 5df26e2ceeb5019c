"""The one write of a draft alert (``alerts/services.save_alert``) that the page and the API both
call: the same rules and messages, the same audit entries and contributors, nothing saved when
refused, a version its author did not see refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lifeline.alerts import api as alerts_api
from lifeline.alerts import services
from lifeline.alerts import views as alerts_views
from lifeline.alerts.models import Alert, InfoBlock, State
from lifeline.core.errors import Invalid
from lifeline.core.models import AuditEntry, Role
from lifeline.core.versions import ChangedMeanwhile, fingerprint

from .conftest import AMMAN_POLYGON
from .test_api import DRAFT
from .test_pages import ENGLISH, alert_data

LATER = timezone.make_aware(datetime.datetime(2099, 1, 1, 10))


def _info(language="en", **extra):
    return {
        "language": language,
        "event": "Flood",
        "headline": "Flood warning",
        "categories": ["Met"],
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "expires": LATER,
        **extra,
    }


def _area(**extra):
    return {"area_desc": "Amman", "polygons": [AMMAN_POLYGON], **extra}


def _values(org, **extra):
    return {"organisation": org, "sender": "cd.example.org", "status": "Actual", "scope": "Public", **extra}


@pytest.fixture
def spy(monkeypatch):
    """Every call of ``save_alert``, from the page or the API."""
    calls, real = [], services.save_alert

    def recording(*args, **kwargs):
        calls.append(args[0].pk)
        return real(*args, **kwargs)

    monkeypatch.setattr(alerts_views, "save_alert", recording)
    monkeypatch.setattr(alerts_api, "save_alert", recording)
    return calls


def test_a_draft_is_written_with_its_blocks_and_area_and_audited_as_the_actor(make_user, org_a, areas):
    user = make_user(org_a)
    alert, withdrawn = services.save_alert(
        user,
        None,
        _values(org_a),
        [_info(), _info("ar", headline="تحذير", expires=None)],
        _area(admin_areas=[areas["amman"]]),
    )
    assert not withdrawn and alert.state == State.DRAFT and alert.created_by == user
    assert [i.language for i in alert.info.all()] == ["en", "ar"]
    arabic = alert.info.get(language="ar")
    assert arabic.expires is not None and arabic.expires > timezone.now()  # the default expiry
    assert [a.pcode for a in arabic.areas.get().admin_areas.all()] == ["JO11"]
    assert AuditEntry.objects.get(action="create", object_id=str(alert.pk)).actor_id == user.pk
    assert list(alert.contributors.all()) == [user]


def test_refused_input_names_every_field_and_saves_nothing(make_user, org_a, org_b):
    user = make_user(org_a)
    with pytest.raises(Invalid) as refused:
        services.save_alert(
            user,
            None,
            _values(org_b, sender="a b", scope="Restricted"),
            [_info(headline="", web="javascript:alert(1)"), _info(onset=LATER)],
            {"area_desc": "", "polygons": ["1,2 3,4"]},
        )
    errors = refused.value.errors
    assert errors["organisation"] and errors["sender"] == ["Use no spaces, commas, < or & here."]
    assert errors["restriction"] == ["A restricted alert must say who may see it."]
    assert errors["info[0].headline"] == ["This field is required."] and errors["info[0].web"]
    assert errors["info[1].expires"] == ["“Expires” must be after “effective” and “onset”."]
    assert errors["info"] == ["Each language may appear only once."]
    assert errors["area.area_desc"] and errors["area.polygons"][0].startswith("Line 1:")
    assert not Alert.objects.exists() and not InfoBlock.objects.exists()
    with pytest.raises(Invalid) as nowhere:
        services.save_alert(user, None, _values(org_a), [], {"area_desc": "Amman"})
    assert nowhere.value.errors == {
        "info": ["Write the alert in at least one language."],
        "area": ["Say where: give a polygon, a circle, a GeoJSON file or administrative areas."],
    }


def test_a_role_that_may_not_write_alerts_is_refused(make_user, org_a):
    with pytest.raises(PermissionDenied):
        services.save_alert(make_user(org_a, role=Role.VIEWER), None, _values(org_a), [_info()], _area())
    assert not Alert.objects.exists()


def test_a_change_withdraws_a_submission_and_a_stale_version_is_refused(make_user, org_a):
    author, editor = make_user(org_a), make_user(org_a)
    alert, _withdrawn = services.save_alert(author, None, _values(org_a), [_info()], _area())
    services.submit(alert, author)
    seen = fingerprint(Alert.objects.get(pk=alert.pk))
    changed, withdrawn = services.save_alert(
        editor, Alert.objects.get(pk=alert.pk), _values(org_a, note="first"), [_info()], _area()
    )
    assert withdrawn and changed.state == State.DRAFT and editor in changed.contributors.all()
    with pytest.raises(ChangedMeanwhile):
        services.save_alert(
            author,
            Alert.objects.get(pk=alert.pk),
            _values(org_a, note="second"),
            [_info()],
            _area(),
            version=seen,
        )
    assert Alert.objects.get(pk=alert.pk).note == "first"


def test_the_page_and_the_api_write_through_it_with_the_same_answers(
    login, api, make_user, org_a, areas, spy
):
    user = make_user(org_a)
    bad_page = alert_data(org_a, scope="Restricted", **{"info-0-web": "javascript:alert(1)"})
    page = login(user).post(reverse("alerts:create"), bad_page)
    bad_api = {**DRAFT, "scope": "Restricted", "info": [{**DRAFT["info"][0], "web": "javascript:alert(1)"}]}
    answer = api(user).post("/api/alerts", bad_api, content_type="application/json")
    assert page.status_code == 200 and answer.status_code == 422
    errors = answer.json()["errors"]
    assert page.context["form"].errors["restriction"] == errors["restriction"]
    assert page.context["infos"].forms[0].errors["web"] == errors["info[0].web"]
    assert not Alert.objects.exists()

    spy.clear()
    page = login(user).post(reverse("alerts:create"), alert_data(org_a))
    answer = api(user).post("/api/alerts", DRAFT, content_type="application/json")
    assert page.status_code == 302 and answer.status_code == 201
    assert spy == [user.pk, user.pk]
    by_page, by_api = Alert.objects.order_by("pk")
    for alert in (by_page, by_api):
        assert alert.created_by == user and list(alert.contributors.all()) == [user]
        entry = AuditEntry.objects.get(action="create", object_id=str(alert.pk))
        assert entry.actor_id == user.pk and entry.object_type == "alerts.alert"
    assert [i.language for i in by_page.info.all()] == ["en", "fil"]


def test_a_stale_edit_page_is_refused(login, make_user, org_a, draft):
    client = login(draft.created_by)
    opened = client.get(reverse("alerts:edit", args=[draft.pk])).context["form"]["edit_version"].value()
    Alert.objects.filter(pk=draft.pk).update(note="changed meanwhile")
    data = alert_data(org_a, note="mine", edit_version=opened, **{"info-0-language": ENGLISH["language"]})
    response = client.post(reverse("alerts:edit", args=[draft.pk]), data)
    assert response.status_code == 200 and "changed this record" in response.content.decode().replace(
        "\n", " "
    )
    assert Alert.objects.get(pk=draft.pk).note == "changed meanwhile"
