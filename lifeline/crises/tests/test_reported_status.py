"""A status the person gave in the app without being asked shows on the check-in board."""

import uuid

from django.urls import reverse

from lifeline.crises import services
from lifeline.nationals.services import report_status


def test_the_board_shows_what_the_person_said_unasked(login, make_crisis, people, officer):
    crisis = make_crisis()
    campaign = services.start_campaign(crisis, {"en": "Are you safe?"}, officer)
    helped, quiet = people["inside"][0], people["inside"][1]
    report_status(helped.pk, "need_help", uuid.uuid4())
    page = login(officer).get(reverse("crises:board", args=[campaign.pk])).content.decode()
    rows = page.split('<li class="board-row"')[1:]
    row_of = {r.split("</strong>")[0].rsplit(">", 1)[-1]: r for r in rows}
    assert "Said in the app without being asked: Needs help" in row_of[helped.full_name]
    assert "without being asked" not in row_of[quiet.full_name]
    # The check-in itself is still unanswered: the board's figures count answers to it only.
    assert services.board_counts(campaign)["no_answer"] == 3
