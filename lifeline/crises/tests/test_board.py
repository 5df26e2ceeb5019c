"""The check-in board per person: the message's delivery state, language, household, links, and its live part."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lifeline.core.models import ApiToken, AuditEntry, Role
from lifeline.core.names import language_name
from lifeline.crises import services
from lifeline.crises.models import CheckInRequest, CheckInStatus
from lifeline.messaging.audiences import key
from lifeline.messaging.models import Delivery
from lifeline.nationals.models import Consent, Purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks, make_crisis, people, officer):
    """A campaign sent through the messaging engine: the first person has no address at all (their
    message fails at once), the other two are emailed; all three agreed to crisis messages."""
    first, second, third = people["inside"]
    first.phone, first.email = "", ""
    first.save()
    for person in (second, third):
        person.phone, person.email = "", f"p{person.pk}@example.org"
        person.save()
    for person in people["inside"]:
        Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer)
    campaign.refresh_from_db()
    return campaign


def _delivery(campaign, person):
    return Delivery.objects.get(send=campaign.send, recipient_key=key("registration", person.pk))


def _row(page, person):
    return next(row for row in page.context["object_list"] if row.registration_id == person.pk)


def test_a_message_that_failed_on_every_channel_is_unreachable_never_no_answer(login, officer, sent, people):
    first, second, third = people["inside"]
    assert _delivery(sent, first).state == "failed"  # no address for any channel: the engine's final word
    Delivery.objects.filter(pk=_delivery(sent, third).pk).update(state="delivered")
    page = login(officer).get(reverse("crises:board", args=[sent.pk]))
    assert page.status_code == 200
    assert page.context["counts"][CheckInStatus.UNREACHABLE] == 1
    assert page.context["counts"][CheckInStatus.NO_ANSWER] == 2
    row = _row(page, first)
    assert row.shown == CheckInStatus.UNREACHABLE and str(row.delivery_label) == "Failed on every channel"
    assert str(_row(page, second).delivery_label) == "Sent"
    assert str(_row(page, third).delivery_label) == "Delivered"
    html = page.content.decode()
    assert 'data-status="unreachable" data-delivery="failed"' in html
    # The filter and the follow-up list read the same status: the unreachable are not "no answer".
    unreachable = login(officer).get(reverse("crises:board", args=[sent.pk]), {"status": "unreachable"})
    assert [r.registration_id for r in unreachable.context["object_list"]] == [first.pk]
    no_answer = login(officer).get(reverse("crises:board", args=[sent.pk]), {"status": "no_answer"})
    assert {r.registration_id for r in no_answer.context["object_list"]} == {second.pk, third.pk}
    # An answer is still the status, whatever happened to the message.
    services.record_answer(
        "safe", "phone", request=CheckInRequest.objects.get(campaign=sent, registration=first)
    )
    assert services.board_counts(sent)[CheckInStatus.SAFE] == 1
    assert services.board_counts(sent)[CheckInStatus.UNREACHABLE] == 0


def test_the_follow_up_list_leaves_out_the_unreachable_and_says_what_happened_to_the_message(
    login, make_user, post_amman, sent, people
):
    coordinator = make_user(post_amman, Role.COORDINATOR)
    csv = login(coordinator).get(reverse("crises:board_export", args=[sent.pk])).content.decode()
    assert people["inside"][0].given_names not in csv and "Sent" in csv
    everyone = login(coordinator).get(
        reverse("crises:board_export", args=[sent.pk]), {"status": "unreachable"}
    )
    assert "Failed on every channel" in everyone.content.decode()


def test_someone_who_was_not_messaged_is_said_so(login, officer, campaign_without_send, people):
    page = login(officer).get(reverse("crises:board", args=[campaign_without_send.pk]))
    assert {str(row.delivery_label) for row in page.context["object_list"]} == {"Not sent yet"}


@pytest.fixture
def campaign_without_send(make_crisis, people, officer):
    return services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer, send=False)


def test_the_board_shows_the_language_by_name_the_household_and_links_to_the_person_and_a_case(
    login, officer, sent, people
):
    first = people["inside"][0]  # Filipino first, with a child
    with translation.override("fr"):
        page = login(officer).get(reverse("crises:board", args=[sent.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        filipino = language_name("fil")
    html = page.content.decode()
    assert filipino in html and filipino != "fil"
    assert "Child (" in html  # the household member's name and relation
    assert reverse("nationals:detail", args=[first.pk]) in html
    assert f"{reverse('cases:create')}?registration={first.pk}" in html
    members = AuditEntry.objects.filter(object_type="nationals.householdmember", action="view")
    assert members.count() == 1 and members.get().fields == ["name"]


def test_a_role_without_personal_data_sees_no_names_of_people_or_their_households(
    login, make_user, post_amman, sent, people
):
    viewer = make_user(post_amman, Role.VIEWER)
    page = login(viewer).get(reverse("crises:board", args=[sent.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert people["inside"][0].given_names not in html and "Child (" not in html
    assert "•••" in html
    assert "Open a case" not in html  # a viewer opens no case
    assert not AuditEntry.objects.filter(object_type="nationals.householdmember", action="view").exists()


def test_the_live_part_keeps_the_readers_filters_and_the_page_refreshes_without_inline_script(
    login, officer, sent, people
):
    client = login(officer)
    live = client.get(reverse("crises:board_live", args=[sent.pk]), {"status": "unreachable"})
    assert live.status_code == 200 and live["Cache-Control"] == "no-store"
    body = live.content.decode()
    assert "<html" not in body and "<script" not in body
    assert [r.registration_id for r in live.context["object_list"]] == [people["inside"][0].pk]
    assert 'href="?status=need_help"' in body  # the cards keep the other filters
    page = client.get(reverse("crises:board", args=[sent.pk]), {"status": "unreachable"}).content.decode()
    assert 'src="/static/lifeline/board.js"' in page
    assert f'data-live-url="{reverse("crises:board_live", args=[sent.pk])}"' in page
    assert 'id="board-refresh" href="?status=unreachable"' in page  # without script: a refresh link
    assert "<script>" not in page
    post = sent.crisis.organisation.pk
    live = client.get(reverse("crises:board_live", args=[sent.pk]), {"post": post})
    assert f'href="?status=safe&amp;post={post}"' in live.content.decode()


def test_another_post_cannot_read_the_live_part(login, make_user, post_beirut, sent):
    client = login(make_user(post_beirut, Role.COORDINATOR))
    assert client.get(reverse("crises:board_live", args=[sent.pk])).status_code == 404


def test_open_a_case_is_prefilled_with_the_person(login, officer, make_user, post_beirut, people, post_amman):
    person = people["inside"][0]
    consul = make_user(post_amman, Role.COORDINATOR)
    form = login(consul).get(reverse("cases:create"), {"registration": person.pk}).context["form"]
    assert form.initial["registration"] == person.pk and form.initial["organisation"] == post_amman.pk
    other = login(make_user(post_beirut, Role.COORDINATOR)).get(
        reverse("cases:create"), {"registration": person.pk}
    )
    assert "registration" not in other.context["form"].initial  # another post's person is not filled in


@pytest.fixture
def one_app_only(django_capture_on_commit_callbacks, make_crisis, people, officer):
    """All three emailable and silent; the third never agreed to crisis messages, so the campaign
    sends them nothing: they can see the question in the app only. Their family name sorts last."""
    for person, family in zip(people["inside"], ("Abad", "Bautista", "Zamora"), strict=True):
        person.phone, person.email, person.family_name = "", f"p{person.pk}@example.org", family
        person.save()
    for person in people["inside"][:2]:
        Consent.objects.create(registration=person, purpose=Purpose.CRISIS_MESSAGES)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(make_crisis(), {"en": "Are you safe?"}, officer)
    campaign.refresh_from_db()
    return campaign


def test_no_answer_from_someone_asked_in_the_app_only_says_so_and_comes_first(
    login, make_user, post_amman, one_app_only, people
):
    """Their status stays "no answer" (they may yet answer in the app), but the row, the card, the
    filter, the CSV and the API all say they were not messaged, and the row is phoned first."""
    first, second, third = people["inside"]
    coordinator = make_user(post_amman, Role.COORDINATOR)
    client = login(coordinator)
    board = reverse("crises:board", args=[one_app_only.pk])
    page = client.get(board)
    assert page.context["counts"][CheckInStatus.NO_ANSWER] == 3 and page.context["app_only"] == 1
    assert [row.registration_id for row in page.context["object_list"]] == [third.pk, first.pk, second.pk]
    row = _row(page, third)
    assert row.shown == CheckInStatus.NO_ANSWER and row.app_only
    assert str(row.delivery_label) == "No message: sees the question in the app only"
    assert not _row(page, first).app_only and not _row(page, second).app_only
    html = page.content.decode()
    assert html.count('data-app-only="true"') == 1 and "Not messaged: app only. Phone them first." in html
    assert "Not messaged, app only: 1" in html and "app_only=on" in html
    only = client.get(board, {"status": "no_answer", "app_only": "on"})
    assert [r.registration_id for r in only.context["object_list"]] == [third.pk]
    csv = client.get(reverse("crises:board_export", args=[one_app_only.pk])).content.decode()
    line = next(line for line in csv.splitlines() if line.startswith(f"{third.pk},"))
    assert "No answer (Not messaged: app only. Phone them first.)" in line
    assert "No message: sees the question in the app only" in line
    assert csv.count("Not messaged: app only") == 1
    only_csv = client.get(reverse("crises:board_export", args=[one_app_only.pk]), {"app_only": "on"})
    assert len(only_csv.content.decode().strip().splitlines()) == 2  # the header and the third
    _token, raw = ApiToken.issue(coordinator, "test")
    api = (
        Client()
        .get(f"/api/crises/campaigns/{one_app_only.pk}/board", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .json()
    )
    assert api["counts"]["no_answer"] == 3 and api["no_answer_app_only"] == 1


def test_nobody_is_app_only_before_the_message_is_sent(login, officer, campaign_without_send):
    page = login(officer).get(reverse("crises:board", args=[campaign_without_send.pk]))
    assert page.context["app_only"] == 0
    assert not any(row.app_only for row in page.context["object_list"])
