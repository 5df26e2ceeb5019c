"""Two-person approval of alerts (``core/approval.py``): whoever changed or submitted an alert cannot approve it,
a change after submission withdraws it, and of two approvals of the same submission only one publishes."""

import pytest
from django.urls import reverse

from lifeline.alerts.models import Alert, State
from lifeline.alerts.services import WorkflowError, approve, record_change, submit
from lifeline.core.models import AuditEntry, Role

from .test_pages import alert_data


def test_who_edited_someone_elses_draft_cannot_submit_and_approve_it(login, make_user, org_a, draft):
    editor = make_user(org_a, role=Role.COORDINATOR)
    client = login(editor)
    assert client.post(reverse("alerts:edit", args=[draft.pk]), alert_data(org_a)).status_code == 302
    client.post(reverse("alerts:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == State.AWAITING and draft.submitted_by == editor
    response = client.post(reverse("alerts:approve", args=[draft.pk]), follow=True)
    assert "someone else must approve it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.AWAITING and draft.approved_by is None
    with pytest.raises(WorkflowError):
        approve(draft, draft.created_by)  # nor may the author
    checker = make_user(org_a, role=Role.COORDINATOR)  # never touched it
    approve(draft, checker)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approved_by == checker


def test_an_editor_cannot_approve_what_the_author_submitted(make_user, org_a, draft):
    editor = make_user(org_a, role=Role.COORDINATOR)
    record_change(draft, editor)
    draft.save()
    submit(draft, draft.created_by)
    with pytest.raises(WorkflowError, match="someone else"):
        approve(draft, editor)
    assert Alert.objects.get(pk=draft.pk).state == State.AWAITING


def test_the_api_refuses_the_submitter_as_approver(api, make_user, org_a, draft):
    other = make_user(org_a, role=Role.COORDINATOR)
    assert api(other).post(f"/api/alerts/{draft.pk}/submit").json()["state"] == "awaiting"
    response = api(other).post(f"/api/alerts/{draft.pk}/approve")
    assert response.status_code == 409 and "someone else" in response.json()["detail"]
    assert Alert.objects.get(pk=draft.pk).state == State.AWAITING


def test_the_approve_button_shows_only_to_who_may_approve(login, make_user, org_a, draft):
    submit(draft, draft.created_by)
    approve_url = reverse("alerts:approve", args=[draft.pk]).encode()
    assert approve_url not in login(draft.created_by).get(reverse("alerts:detail", args=[draft.pk])).content
    checker = make_user(org_a, role=Role.COORDINATOR)
    assert approve_url in login(checker).get(reverse("alerts:detail", args=[draft.pk])).content


def test_an_edit_after_submission_withdraws_it(login, make_user, org_a, draft):
    submit(draft, draft.created_by)
    response = login(draft.created_by).post(reverse("alerts:edit", args=[draft.pk]), alert_data(org_a))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.submitted_at is None and draft.submitted_by is None
    assert AuditEntry.objects.filter(
        object_type="alerts.alert", object_id=str(draft.pk), reason__contains="withdrawn"
    ).exists()
    with pytest.raises(WorkflowError):
        approve(draft, make_user(org_a, role=Role.COORDINATOR))
    assert Alert.objects.get(pk=draft.pk).state == State.DRAFT


def test_a_published_alert_refuses_a_change(make_user, org_a, draft):
    submit(draft, draft.created_by)
    stale = Alert.objects.get(pk=draft.pk)
    approve(draft, make_user(org_a, role=Role.COORDINATOR))
    with pytest.raises(WorkflowError, match="meanwhile"):
        record_change(stale, stale.created_by)
    assert Alert.objects.get(pk=draft.pk).state == State.PUBLISHED


def test_two_approvals_of_the_same_submission_publish_once(make_user, org_a, draft):
    """The race, interleaved by hand: both approvers read the submission before either writes.
    (A test cannot commit on two connections here: the append-only audit log refuses the flush after it.)"""
    submit(draft, draft.created_by)
    first, second = Alert.objects.get(pk=draft.pk), Alert.objects.get(pk=draft.pk)
    one, two = make_user(org_a, role=Role.COORDINATOR), make_user(org_a, role=Role.COORDINATOR)
    approve(first, one)
    with pytest.raises(WorkflowError, match="meanwhile"):
        approve(second, two)  # read before the first approval: its conditional update finds nothing
    published = Alert.objects.get(pk=draft.pk)
    assert published.approved_by == one and published.state == State.PUBLISHED
    assert AuditEntry.objects.filter(object_id=str(draft.pk), reason="Approved and published.").count() == 1


def test_an_approval_of_a_version_changed_since_it_was_read_is_refused(make_user, org_a, draft):
    author = draft.created_by
    submit(draft, author)
    seen = Alert.objects.get(pk=draft.pk)  # what the approver opened
    changed = Alert.objects.get(pk=draft.pk)
    record_change(changed, author)  # meanwhile the author changes it and submits again
    changed.note = "Changed after the approver looked"
    changed.save()
    submit(changed, author)
    with pytest.raises(WorkflowError, match="meanwhile"):
        approve(seen, make_user(org_a, role=Role.COORDINATOR))
    assert Alert.objects.get(pk=draft.pk).state == State.AWAITING
