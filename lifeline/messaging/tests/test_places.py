"""Subscriptions are to places: any alert whose area touches a subscriber's places reaches them,
whoever issued it; the preview and the send count the same people; a send to nobody is refused."""

import json

import pytest
from django.core.exceptions import ValidationError

from lifeline.core.models import Organisation, OrganisationKind, Role
from lifeline.geo.models import AdminArea
from lifeline.messaging import audiences, services
from lifeline.messaging.models import AlertSubscriber, Send

TEXTS = {
    "en": {"subject": "Flood", "body": "Flash flood: keep away from wadis.", "short": ""},
    "ar": {"subject": "سيول", "body": "تحذير من سيول: ابتعدوا عن الأودية.", "short": ""},
}
# Lon/lat boxes (GeoJSON order) and the same as CAP polygons (lat,lon).
AMMAN_BOX = [[35.8, 31.8], [36.1, 31.8], [36.1, 32.1], [35.8, 32.1], [35.8, 31.8]]
DOWNTOWN = "31.94,35.90 31.94,35.95 31.96,35.95 31.96,35.90 31.94,35.90"
FAR_SOUTH = "29.50,35.00 29.50,35.05 29.55,35.05 29.55,35.00 29.50,35.00"


@pytest.fixture
def branches(org_a, jordan, areas):
    amman = Organisation.objects.create(
        name="Civil Defence A, Amman branch",
        kind=OrganisationKind.CIVIL_PROTECTION,
        country=jordan,
        parent=org_a,
    )
    amman.jurisdiction_areas.set([areas["amman"]])
    return {"amman": amman}


def subscriber(org, address, languages=("en",), areas=(), whole_country=False, point=None, confirmed=True):
    s = AlertSubscriber.objects.create(
        organisation=org,
        channel="email" if "@" in address else "sms",
        address=address,
        languages=list(languages),
        whole_country=whole_country,
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        confirmed=confirmed,
    )
    s.areas.set(areas)
    return s


def reached(definition):
    found, after = [], ""
    while True:
        page = audiences.resolve(definition, after=after, limit=2)
        found += [r.addresses for r in page]
        if len(page) < 2:
            return [next(iter(a.values())) for a in found]
        after = page[-1].key


def test_a_branch_alert_reaches_who_subscribed_through_the_directorate(
    org_a, branches, areas, make_user, run
):
    """The bug: subscribers belonged to the organisation they picked, so the Amman branch's alert
    reached 0 people subscribed through the Directorate, and showed "Done"."""
    subscriber(org_a, "rania@example.org", ["ar"], areas=[areas["amman"]])
    subscriber(org_a, "far@example.org", areas=[areas["irbid"]])
    officer = make_user(branches["amman"], role=Role.COORDINATOR)
    send = run(
        services.start_send,
        organisation=branches["amman"],
        user=officer,
        name="Flood",
        audience={
            "kind": "subscribers",
            "organisation_ids": [branches["amman"].pk],
            "area_ids": [areas["amman"].pk],
        },
        texts=TEXTS,
        channels=["sms", "email"],
    )
    send.refresh_from_db()
    assert send.total == 1 and services.counts(send)["states"]["sent"] == 1


def test_places_touch_up_and_down_the_tree_by_shape_and_by_point(org_a, areas, jordan):
    district = AdminArea.objects.create(
        country=jordan, pcode="JO1101", name="Qasabat Amman", level=2, parent=areas["amman"]
    )
    areas["amman"].set_geometry({"type": "Polygon", "coordinates": [AMMAN_BOX]})
    areas["amman"].save()
    in_governorate = subscriber(org_a, "gov@example.org", areas=[areas["amman"]])
    in_district = subscriber(org_a, "district@example.org", areas=[district])
    everywhere = subscriber(org_a, "all@example.org", whole_country=True)
    here_inside = subscriber(org_a, "here@example.org", point=(31.95, 35.92))
    here_outside = subscriber(org_a, "there@example.org", point=(32.0, 36.05))  # in Amman, not downtown
    subscriber(org_a, "irbid@example.org", areas=[areas["irbid"]])
    subscriber(org_a, "pending@example.org", areas=[areas["amman"]], confirmed=False)
    on_district = {"kind": "subscribers", "area_ids": [district.pk]}
    assert set(reached(on_district)) == {"gov@example.org", "district@example.org", "all@example.org"}
    on_governorate = {"kind": "subscribers", "area_ids": [areas["amman"].pk]}
    assert set(reached(on_governorate)) == {
        a.address for a in (in_governorate, in_district, everywhere, here_inside, here_outside)
    }
    drawn = {"kind": "subscribers", "polygons": [DOWNTOWN]}  # a polygon alone: its overlap with areas counts
    assert set(reached(drawn)) == {"gov@example.org", "all@example.org", "here@example.org"}
    assert set(reached({"kind": "subscribers", "polygons": [FAR_SOUTH]})) == {"all@example.org"}
    whole = {"kind": "subscribers"}  # an alert naming no area covers the whole country
    assert len(reached(whole)) == 7 - 1


def test_preview_and_send_count_the_same_people(org_a, areas, make_user, run, outbox):
    for n in range(7):  # more than one page (MESSAGING_BATCH_SIZE is 3 in these tests)
        subscriber(org_a, f"+96279100{n:04d}", ["ar"] if n % 2 else ["fil", "en"], areas=[areas["amman"]])
    subscriber(
        org_a, "noaddress@example.org", ["so"], areas=[areas["amman"]]
    )  # email, the send uses SMS only
    subscriber(org_a, "+962791009999", areas=[areas["irbid"]])
    user = make_user(org_a, role=Role.COORDINATOR)
    audience = {"kind": "subscribers", "area_ids": [areas["amman"].pk]}
    preview = services.preview_audience(audience, TEXTS, user=user, channels=["sms"])
    send = run(
        services.start_send,
        organisation=org_a,
        user=user,
        name="Flood",
        audience=audience,
        texts=TEXTS,
        channels=["sms"],
    )
    send.refresh_from_db()
    counts = services.counts(send)
    assert preview["total"] == send.total == 8
    assert preview["reachable"] == 7 == counts["states"]["sent"]
    assert preview["by_channel"] == {"sms": 7, "none": 1}
    assert preview["by_language"] == {"en": 5, "ar": 3}
    assert preview["missing_languages"] == {"fil": 4, "so": 1}
    assert preview["sms"]["ar"]["encoding"] == "UCS-2" and preview["sms"]["en"]["encoding"] == "GSM-7"


def test_a_send_to_nobody_is_refused_with_the_reason(org_a, areas, make_user, run):
    from django.utils import translation

    user = make_user(org_a, role=Role.COORDINATOR)
    audience = {"kind": "subscribers", "area_ids": [areas["irbid"].pk]}
    subscriber(org_a, "rania@example.org", areas=[areas["amman"]])
    assert services.preview_audience(audience, TEXTS, user=user, channels=["sms"])["refusal"]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        services.start_send(
            organisation=org_a, user=user, name="x", audience=audience, texts=TEXTS, channels=["sms"]
        )
    assert "Personne" in refused.value.messages[0]  # translated
    # Someone in the audience, but no address for the channels chosen: refused too, saying so.
    audience = {"kind": "subscribers", "area_ids": [areas["amman"].pk]}
    with pytest.raises(ValidationError) as refused:
        services.start_send(
            organisation=org_a, user=user, name="x", audience=audience, texts=TEXTS, channels=["sms"]
        )
    assert "SMS" in refused.value.messages[0]
    assert not Send.objects.exists()


def test_a_finished_send_to_nobody_never_says_done(org_a):
    send = Send.objects.create(
        organisation=org_a,
        name="x",
        audience={"kind": "static", "recipients": []},
        texts=TEXTS,
        channels=["sms"],
    )
    services.resolve_send(send.pk, enqueue=lambda batch: None)
    send.refresh_from_db()
    outcome = services.counts(send)["outcome"]
    assert send.status == "done" and "nobody" in outcome and "Done" not in outcome


def test_only_an_alerting_authority_sends_to_subscribers(org_b, make_user):
    with pytest.raises(ValidationError):
        audiences.check({"kind": "subscribers"}, make_user(org_b, role=Role.COORDINATOR))


def test_subscribing_keeps_places_and_a_rounded_point(areas, org_a):
    s, _code = services.subscribe(
        channel="sms", address="+962791234567", languages=["ar"], point=(31.95123, 35.91789)
    )
    assert (s.lat, s.lon) == (31.951, 35.918) and s.organisation == org_a and not s.areas.exists()
    with pytest.raises(ValidationError):
        services.subscribe(channel="sms", address="+962791234568", languages=["ar"])  # no place at all


def test_the_migration_turns_organisations_into_places(org_a, branches, areas):
    """Existing subscriptions: the areas picked stay; none picked → the organisation's jurisdiction,
    or the whole country; one address through several organisations → one subscription."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("lifeline.messaging.migrations.0002_subscriber_places")
    picked = subscriber(org_a, "picked@example.org", ["ar"], areas=[areas["irbid"]])
    branch_only = subscriber(branches["amman"], "branch@example.org")
    national = subscriber(org_a, "national@example.org")
    migration.to_places(apps, None)
    assert list(picked.areas.all()) == [areas["irbid"]]
    assert list(branch_only.areas.all()) == [areas["amman"]]
    national.refresh_from_db()
    assert national.whole_country
    assert json.dumps(sorted(AlertSubscriber.objects.values_list("pk", flat=True))) == json.dumps(
        sorted([picked.pk, branch_only.pk, national.pk])
    )
