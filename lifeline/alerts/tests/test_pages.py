"""Staff pages (scoping, roles, authoring, approval) and the public pages, feed and CAP URLs."""

import io
import json

import pytest
from django.urls import reverse
from lxml import etree

from lifeline.alerts.cap import parse
from lifeline.alerts.models import Alert, State
from lifeline.alerts.services import publish_override, submit
from lifeline.core.models import AuditAction, AuditEntry, Role

from .conftest import AMMAN_POLYGON, make_draft

ATOM = "{http://www.w3.org/2005/Atom}"


def info_data(n=1, **blocks):
    """Formset POST data: ``blocks`` maps a form index to its values."""
    data = {
        "info-TOTAL_FORMS": str(n),
        "info-INITIAL_FORMS": "0",
        "info-MIN_NUM_FORMS": "0",
        "info-MAX_NUM_FORMS": "1000",
    }
    for index, values in blocks.items():
        data.update({f"info-{index}-{k}": v for k, v in values.items()})
    return data


ENGLISH = {
    "language": "EN",
    "event": "Flood",
    "headline": "Flood warning",
    "description": "Water rising.",
    "instruction": "Go to higher ground.",
    "categories": ["Met"],
    "response_types": ["Evacuate"],
    "urgency": "Immediate",
    "severity": "Severe",
    "certainty": "Likely",
    "expires": "2099-01-01T10:00",
}


def alert_data(org, **extra):
    data = {
        "organisation": org.pk,
        "sender": "cd.example.org",
        "status": "Actual",
        "scope": "Public",
        "area-area_desc": "Amman",
        "area-polygons": AMMAN_POLYGON,
        **info_data(2, **{"0": ENGLISH, "1": {**ENGLISH, "language": "tl", "headline": "Babala sa baha"}}),
    }
    data.update(extra)
    return data


def test_list_and_detail_are_scoped(login, make_user, org_a, org_b, draft):
    other = make_draft(org_b, hazard="heat")
    client = login(make_user(org_a, role=Role.VIEWER))
    response = client.get(reverse("alerts:list"))
    assert response.status_code == 200 and draft.headline.encode() in response.content
    assert other.headline.encode() not in response.content
    assert client.get(reverse("alerts:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("alerts:cap", args=[other.pk])).status_code == 404


def test_immigration_sees_no_alert_of_others(login, make_user, immigration, draft):
    client = login(make_user(immigration, role=Role.COORDINATOR))
    assert client.get(reverse("alerts:detail", args=[draft.pk])).status_code == 404


def test_viewer_cannot_change(login, make_user, org_a, draft):
    client = login(make_user(org_a, role=Role.VIEWER))
    assert client.get(reverse("alerts:create")).status_code == 403
    assert client.post(reverse("alerts:create"), alert_data(org_a)).status_code == 403
    assert client.post(reverse("alerts:submit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("alerts:override", args=[draft.pk]), {"reason": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and Alert.objects.count() == 1


def test_create_from_form_normalises_language_and_sets_area(login, make_user, org_a, areas):
    author = make_user(org_a)
    client = login(author)
    response = client.post(
        reverse("alerts:create"), alert_data(org_a, **{"area-admin_areas": [areas["amman"].pk]})
    )
    assert response.status_code == 302, response.context and [
        response.context["infos"].errors,
        response.context["area_form"].errors,
    ]
    alert = Alert.objects.get()
    assert alert.created_by == author and alert.state == State.DRAFT
    assert [i.language for i in alert.info.all()] == ["en", "fil"]
    area = alert.info.first().areas.get()
    assert area.polygons == [AMMAN_POLYGON] and {"valueName": "PCODE", "value": "JO11"} in area.geocodes
    assert list(area.admin_areas.all()) == [areas["amman"]]


def test_bad_input_is_refused_with_reasons_and_saves_nothing(login, make_user, org_a):
    client = login(make_user(org_a))
    bad = alert_data(
        org_a,
        sender="has space",
        **{
            "area-polygons": "31.9,35.8 32.0,35.9 31.9,35.8",
            "info-0-language": "zz-notreal",
            "info-1-language": "en",
        },
    )
    response = client.post(reverse("alerts:create"), bad)
    assert response.status_code == 200
    text = response.content.decode()
    assert "four points" in text and "is not a language we know" in text and "no spaces" in text
    assert not Alert.objects.exists()


def test_no_area_is_refused(login, make_user, org_a):
    client = login(make_user(org_a))
    response = client.post(reverse("alerts:create"), alert_data(org_a, **{"area-polygons": ""}))
    assert response.status_code == 200 and "Say where" in response.content.decode()
    assert not Alert.objects.exists()


def test_geojson_upload_becomes_cap_polygons(login, make_user, org_a):
    client = login(make_user(org_a))
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[35.85, 31.9], [35.98, 31.9], [35.98, 32.02], [35.85, 31.9]]]],
                },
            }
        ],
    }
    upload = io.BytesIO(json.dumps(geojson).encode())
    upload.name = "area.geojson"
    response = client.post(
        reverse("alerts:create"), alert_data(org_a, **{"area-polygons": "", "area-geojson": upload})
    )
    assert response.status_code == 302
    assert Alert.objects.get().info.first().areas.get().polygons == [
        "31.9,35.85 31.9,35.98 32.02,35.98 31.9,35.85"
    ]


@pytest.mark.parametrize(
    "geometry, reason",
    [
        ({"type": "LineString", "coordinates": [[35.9, 31.9], [36.0, 32.0]]}, "Only polygons and circles"),
        ({"type": "Point", "coordinates": [35.9, 31.9]}, "radius"),  # a circle needs its radius
    ],
)
def test_geojson_that_is_not_a_polygon_or_circle_is_refused(login, make_user, org_a, geometry, reason):
    client = login(make_user(org_a))
    upload = io.BytesIO(json.dumps(geometry).encode())
    upload.name = "shape.geojson"
    response = client.post(
        reverse("alerts:create"), alert_data(org_a, **{"area-polygons": "", "area-geojson": upload})
    )
    assert response.status_code == 200 and reason in response.content.decode()
    assert not Alert.objects.exists()


def test_template_prefills_every_language(login, make_user, org_a):
    response = login(make_user(org_a)).get(reverse("alerts:create") + "?template=earthquake")
    infos = response.context["infos"]
    assert [f.initial["language"] for f in infos.forms[:6]] == ["en", "es", "fr", "ar", "ru", "pt"]
    assert "زلزال" in response.content.decode()


def test_template_text_posted_back_unchanged_is_saved_in_every_language(login, make_user, org_a):
    from lifeline.alerts.hazards import HAZARDS

    blocks = HAZARDS["evacuation"].blocks()
    data = alert_data(
        org_a, **info_data(len(blocks) + 1, **{str(n): block for n, block in enumerate(blocks)})
    )
    response = login(make_user(org_a)).post(reverse("alerts:create"), data)
    assert response.status_code == 302
    assert [i.language for i in Alert.objects.get().info.all()] == list(HAZARDS["evacuation"].texts)


def test_approval_through_pages(login, make_user, org_a, client, draft):
    author = draft.created_by
    login(author).post(reverse("alerts:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.AWAITING
    login(author).post(reverse("alerts:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.AWAITING  # not by the author
    login(make_user(org_a, role=Role.COORDINATOR)).post(reverse("alerts:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED


def test_override_without_reason_is_refused_and_with_reason_is_flagged(login, draft):
    client = login(draft.created_by)
    response = client.post(reverse("alerts:override", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    client.post(reverse("alerts:override", args=[draft.pk]), {"reason": "Dam breach"})
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    page = client.get(reverse("alerts:detail", args=[draft.pk])).content.decode()
    assert "Published without approval" in page and "Dam breach" in page


def test_the_override_refuses_an_alert_with_no_text_on_the_page_and_the_api(login, api, make_user, org_a):
    """The override takes the same content rule as submitting (``services.ready_to_publish``): an alert
    with no text is refused with a translated reason, and nothing about it changes."""
    author = make_user(org_a)
    empty = Alert.objects.create(organisation=org_a, sender="cd.example.org", created_by=author)
    changes = AuditEntry.objects.filter(object_type="alerts.alert", object_id=str(empty.pk))
    before = changes.count()
    message = "An alert with no text cannot be submitted or published: add at least one language first."
    page = login(author).post(
        reverse("alerts:override", args=[empty.pk]), {"reason": "Dam breach"}, follow=True
    )
    assert message in page.content.decode()
    refused = api(author).post(
        f"/api/alerts/{empty.pk}/publish", {"reason": "Dam breach"}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["detail"] == message
    french = api(author).post(
        f"/api/alerts/{empty.pk}/publish",
        {"reason": "Dam breach"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert french.status_code == 409 and french.json()["detail"].startswith("Une alerte sans texte")
    empty.refresh_from_db()
    assert empty.state == State.DRAFT and empty.published_at is None and empty.sent is None
    assert empty.override_reason == "" and not empty.identifier
    assert changes.count() == before


def test_update_and_cancel_buttons_create_drafts(login, draft):
    publish_override(draft, draft.created_by, "urgent")
    client = login(draft.created_by)
    response = client.post(reverse("alerts:followup", args=[draft.pk, "cancel"]))
    cancel = Alert.objects.exclude(pk=draft.pk).get()
    assert response.url == reverse("alerts:edit", args=[cancel.pk])
    assert cancel.msg_type == "Cancel" and cancel.updates == draft and draft.identifier in cancel.references
    assert client.post(reverse("alerts:followup", args=[draft.pk, "archive"])).status_code == 404


def test_cap_upload_page(login, make_user, org_a):
    client = login(make_user(org_a))
    upload = io.BytesIO(b"<not-cap/>")
    upload.name = "x.xml"
    response = client.post(reverse("alerts:import"), {"file": upload, "organisation": org_a.pk})
    assert response.status_code == 400 and "not a CAP" in response.content.decode()
    assert not Alert.objects.exists()


# --- public ---------------------------------------------------------------------------


def test_drafts_are_not_public(client, draft):
    assert client.get(reverse("alerts:public", args=[draft.pk])).status_code == 404
    assert client.get(reverse("alerts:cap_by_id", args=[draft.pk])).status_code == 404
    assert b"<entry>" not in client.get(reverse("alerts:feed_atom")).content


def test_public_cap_is_valid_and_cacheable(client, draft):
    publish_override(draft, draft.created_by, "urgent")
    response = client.get(reverse("alerts:cap_public", args=[draft.identifier]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    assert parse(response.content)["identifier"] == draft.identifier
    again = client.get(reverse("alerts:cap_by_id", args=[draft.pk]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_atom_feed_lists_current_alerts_with_cap_links(client, draft, org_a):
    publish_override(draft, draft.created_by, "urgent")
    gone = make_draft(org_a, hazard="heat")
    publish_override(gone, draft.created_by, "urgent")
    response = client.get(reverse("alerts:feed_atom"))
    assert (
        response["Content-Type"].startswith("application/atom+xml") and "max-age" in response["Cache-Control"]
    )
    feed = etree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert (
        len(entries) == 2 and feed.find(f"{ATOM}id") is not None and feed.find(f"{ATOM}updated") is not None
    )
    for entry in entries:
        assert entry.find(f"{ATOM}id") is not None and entry.find(f"{ATOM}title").text
        cap_links = [l for l in entry.findall(f"{ATOM}link") if l.get("type") == "application/cap+xml"]
        assert len(cap_links) == 1
        assert client.get(cap_links[0].get("href")).status_code == 200
    gone.state = State.CANCELLED
    gone.save()
    assert len(etree.fromstring(client.get(reverse("alerts:feed_atom")).content).findall(f"{ATOM}entry")) == 1
    Alert.objects.filter(pk=draft.pk).update(state=State.EXPIRED)
    assert etree.fromstring(client.get(reverse("alerts:feed_atom")).content).findall(f"{ATOM}entry") == []


def test_public_page_switches_language_and_lays_arabic_out_rtl(client, draft):
    publish_override(draft, draft.created_by, "urgent")
    url = reverse("alerts:public", args=[draft.pk])
    english = client.get(url + "?lang=en").content.decode()
    assert '<h1 lang="en" dir="ltr">' in english and "?lang=ar" in english
    arabic = client.get(url + "?lang=ar").content.decode()
    assert (
        '<h1 lang="ar" dir="rtl">' in arabic
        and '<p lang="ar" dir="rtl">' in arabic
        and "تحذير من الفيضان" in arabic
    )
    assert "max-age=60" in client.get(url)["Cache-Control"]
    assert client.get(url + "?lang=xx").status_code == 200


def test_cancelled_alert_page_says_so(client, draft):
    publish_override(draft, draft.created_by, "urgent")
    draft.state = State.CANCELLED
    draft.save()
    assert "has been cancelled" in client.get(reverse("alerts:public", args=[draft.pk])).content.decode()


def test_viewing_does_not_audit_personal_data(login, make_user, org_a, draft):
    """Alerts are public warnings, not personal data: opening one writes no VIEW entry."""
    login(make_user(org_a, role=Role.VIEWER)).get(reverse("alerts:detail", args=[draft.pk]))
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_an_invalid_edit_of_an_awaiting_alert_changes_nothing(login, draft):
    submit(draft, draft.created_by)
    response = login(draft.created_by).post(reverse("alerts:edit", args=[draft.pk]), {})
    assert response.status_code == 200 and b"errors" in response.content
    draft.refresh_from_db()
    assert draft.state == State.AWAITING and draft.info.count() == 2


def test_send_back_and_delete_draft(login, make_user, org_a, draft):
    submit(draft, draft.created_by)
    approver = login(make_user(org_a, role=Role.COORDINATOR))
    approver.post(reverse("alerts:return", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    publish_override(draft, draft.created_by, "urgent")
    approver.post(reverse("alerts:delete", args=[draft.pk]))
    assert Alert.objects.filter(pk=draft.pk).exists()  # published alerts are never deleted
    other = make_draft(org_a, hazard="heat")
    assert approver.post(reverse("alerts:delete", args=[other.pk])).status_code == 302
    assert not Alert.objects.filter(pk=other.pk).exists()


def test_public_list_tells_two_alerts_with_one_headline_apart(client, draft, org_a):
    """Severity, area, issuer and times on each alert; the reader's language first, the others by name."""
    import datetime

    from django.utils import timezone

    from lifeline.alerts.services import set_area

    publish_override(draft, draft.created_by, "urgent")
    other = make_draft(org_a)
    set_area(other, "Zarqa", polygons=[AMMAN_POLYGON])
    publish_override(other, draft.created_by, "urgent")
    Alert.objects.filter(pk=other.pk).update(expires=timezone.now() + datetime.timedelta(hours=6))
    page = client.get(reverse("alerts:public_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    headline = draft.first_info().headline
    assert page.count(headline) == 2  # one headline, two alerts ...
    assert "Amman" in page and "Zarqa" in page  # ... told apart by their areas
    assert page.count(f"by {org_a.name}") == 2
    assert str(draft.first_info().get_severity_display()) in page
    assert page.count("<dt>Until</dt>") == 2 and page.count("<dt>Issued</dt>") == 2
    assert "العربية" in page and ">ar<" not in page  # other languages by their own names


def test_public_list_in_arabic_shows_the_arabic_texts(client, draft):
    publish_override(draft, draft.created_by, "urgent")
    page = client.get(reverse("alerts:public_index"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "تحذير من الفيضان" in page and 'dir="rtl"' in page


@pytest.mark.parametrize("language, name", [("ar", "عمان"), ("fr", "Amman-ville")])
def test_public_alerts_name_their_admin_areas_in_the_readers_language(client, draft, areas, language, name):
    areas["amman"].name_local, areas["amman"].names = "عمان", {"fr": "Amman-ville"}
    areas["amman"].save()
    publish_override(draft, draft.created_by, "urgent")
    for url in (reverse("alerts:public_index"), reverse("alerts:public", args=[draft.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'class="places">{name}<' in page, url
