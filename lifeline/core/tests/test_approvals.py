"""The approver's inbox and the email that tells approvers something waits for them (``core/approval.py``)."""

import pytest
from django.core import mail
from django.urls import reverse

from lifeline.advice.models import AdviceText, AdviceVersion, TravelAdvice
from lifeline.alerts.services import record_change, submit
from lifeline.alerts.tests.conftest import make_draft
from lifeline.core import approval
from lifeline.core.models import Role


@pytest.fixture
def author(make_user, org_a):
    return make_user(org_a, Role.OFFICER)


@pytest.fixture
def editor(make_user, org_a):
    return make_user(org_a, Role.OFFICER)


@pytest.fixture
def checker(make_user, org_a):
    return make_user(org_a, Role.COORDINATOR)


@pytest.fixture
def awaiting(org_a, author, editor):
    """An alert written by ``author``, changed by ``editor``, submitted by ``author``."""
    alert = make_draft(org_a, author)
    record_change(alert, editor)
    alert.save()
    submit(alert, author)
    return alert


def test_the_inbox_lists_what_the_user_may_approve(login, checker, awaiting):
    response = login(checker).get(reverse("approvals"))
    assert response.status_code == 200
    assert reverse("alerts:detail", args=[awaiting.pk]).encode() in response.content
    assert approval.waiting_count(checker) == 1


@pytest.mark.parametrize("who", ["author", "editor"])
def test_the_inbox_leaves_out_ones_own_contributions(request, login, who, awaiting):
    user = request.getfixturevalue(who)
    response = login(user).get(reverse("approvals"))
    assert response.status_code == 200
    assert reverse("alerts:detail", args=[awaiting.pk]).encode() not in response.content
    assert approval.waiting_count(user) == 0


def test_another_organisation_sees_nothing_in_its_inbox(login, make_user, org_b, awaiting):
    user = make_user(org_b, Role.COORDINATOR)
    response = login(user).get(reverse("approvals"))
    assert reverse("alerts:detail", args=[awaiting.pk]).encode() not in response.content


def test_the_navigation_counts_the_waiting_items(login, checker, awaiting):
    page = login(checker).get(reverse("home")).content.decode()
    assert reverse("approvals") in page and '<span class="tag warn">1<' in page


def test_the_inbox_lists_travel_advice_too(login, make_user, ministry, philippines):
    writer, checker = make_user(ministry, Role.OFFICER), make_user(ministry, Role.COORDINATOR)
    advice = TravelAdvice.objects.create(organisation=ministry, country=philippines)
    version = AdviceVersion.objects.create(advice=advice, number=1, author=writer, last_reviewed="2026-11-01")
    AdviceText.objects.create(version=version, language="en", summary="Take care.")
    from lifeline.advice import services

    services.submit(version, writer)
    assert [item.pk for item in approval.waiting_for(checker)] == [version.pk]
    assert approval.waiting_for(writer) == []
    response = login(checker).get(reverse("approvals"))
    assert reverse("advice:version", args=[version.pk]).encode() in response.content


def test_a_submission_emails_the_eligible_approvers_only(
    make_user, org_a, org_b, author, editor, checker, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://lifeline.example"
    viewer = make_user(org_a, Role.VIEWER)  # may not change alerts
    outsider = make_user(org_b, Role.COORDINATOR)  # another organisation
    alert = make_draft(org_a, author)
    record_change(alert, editor)
    alert.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(alert, author)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [checker.email]
    assert author.email not in recipients and editor.email not in recipients
    assert viewer.email not in recipients and outsider.email not in recipients
    (message,) = mail.outbox
    assert alert.headline in message.subject
    assert f"https://lifeline.example/alerts/{alert.pk}/" in message.body
    assert "https://lifeline.example/approvals/" in message.body


def test_the_email_is_in_the_approvers_language(
    make_user, org_a, author, django_capture_on_commit_callbacks, settings
):
    spanish = make_user(org_a, Role.COORDINATOR)
    spanish.profile.language = "es"
    spanish.profile.save()
    alert = make_draft(org_a, author)
    with django_capture_on_commit_callbacks(execute=True):
        submit(alert, author)
    (message,) = mail.outbox
    assert message.to == [spanish.email]
    assert message.subject.startswith("Pendiente de su aprobación")
