import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lifeline.advice import services
from lifeline.advice.models import AdviceVersion, State, TravelAdvice
from lifeline.advice.tests.conftest import add_version
from lifeline.core.models import AuditEntry, Role


@pytest.fixture
def advice(ministry, jordan):
    return TravelAdvice.objects.create(organisation=ministry, country=jordan)


def test_a_draft_goes_through_approval_to_published(advice, writer, approver):
    draft = add_version(advice, author=writer)
    services.submit(draft, writer)
    assert draft.state == State.AWAITING
    services.approve(draft, approver)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert draft.approver == approver and draft.published_at is not None


def test_an_author_cannot_approve_their_own_version(advice, writer):
    draft = add_version(advice, author=writer, state=State.AWAITING)
    with pytest.raises(ValidationError, match="someone else"):
        services.approve(draft, writer)
    draft.refresh_from_db()
    assert draft.state == State.AWAITING and draft.approver is None


def test_publishing_supersedes_the_previous_version(advice, writer, approver):
    first = add_version(advice, level=1, author=writer, state=State.AWAITING)
    services.approve(first, approver)
    second = services.new_draft(advice, writer)
    assert [t.language for t in second.texts.all()] == ["en"]  # the texts are copied
    second.level = 3
    second.save()
    second.texts.update(summary="Reconsider your need to travel.")  # a new level needs its own summary
    services.submit(second, writer)
    services.approve(second, approver)
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED
    assert list(AdviceVersion.objects.filter(advice=advice, state=State.PUBLISHED)) == [
        AdviceVersion.objects.get(pk=second.pk)
    ]
    assert advice.versions.count() == 2  # versions are kept


def test_a_draft_without_text_cannot_be_sent(advice, writer):
    draft = services.new_draft(advice, writer)
    with pytest.raises(ValidationError):
        services.submit(draft, writer)


def test_only_one_version_in_progress(advice, writer):
    services.new_draft(advice, writer)
    with pytest.raises(ValidationError):
        services.new_draft(advice, writer)


def test_a_viewer_cannot_approve(advice, writer, make_user, ministry):
    draft = add_version(advice, author=writer, state=State.AWAITING)
    with pytest.raises(PermissionDenied):
        services.approve(draft, make_user(ministry, Role.VIEWER))


def test_another_ministry_cannot_approve(advice, writer, make_user, other_ministry):
    draft = add_version(advice, author=writer, state=State.AWAITING)
    with pytest.raises(PermissionDenied):
        services.approve(draft, make_user(other_ministry, Role.COORDINATOR))
    assert AdviceVersion.objects.get(pk=draft.pk).state == State.AWAITING


def test_changes_are_audited(advice, writer, approver):
    draft = add_version(advice, author=writer, state=State.AWAITING)
    services.approve(draft, approver)
    assert AuditEntry.objects.filter(
        object_type="advice.adviceversion", object_id=str(draft.pk), action="update"
    ).exists()


def test_the_reader_gets_their_language_or_the_fallback(advice):
    version = add_version(advice, texts={"en": "English", "ar": "عربي", "fil": "Filipino"})
    texts = version.texts.all()
    assert services.pick_text(texts, "ar").summary == "عربي"
    assert services.pick_text(texts, "tl").summary == "Filipino"  # tl and fil are one language
    assert services.pick_text(texts, "ar-JO").summary == "عربي"
    assert services.pick_text(texts, "ru").summary == "English"
    only_arabic = add_version(advice, texts={"ar": "عربي"}).texts.all()
    assert services.pick_text(only_arabic, "fr").summary == "عربي"


def test_compare_marks_the_words_that_changed(advice):
    older = add_version(advice, level=1, texts={"en": "Floods are possible in winter."})
    newer = add_version(advice, level=3, texts={"en": "Floods and storms are likely in winter."})
    rows = {row.label: row for row in services.compare(older, newer, "en")}
    assert rows["Level"].changed
    summary = rows["Summary"]
    assert summary.changed
    assert summary.segments == [
        ("same", "Floods"),
        ("ins", "and storms"),
        ("same", "are"),
        ("del", "possible"),
        ("ins", "likely"),
        ("same", "in winter."),
    ]
    assert not rows["Health"].changed


def test_where_to_get_help_lists_the_posts_covering_the_country(advice, post_amman, post_beirut):
    assert list(services.help_posts(advice)) == [post_amman]


def test_who_edited_someone_elses_draft_cannot_submit_and_approve_it(advice, writer, make_user, ministry):
    editor = make_user(ministry, Role.COORDINATOR)
    draft = add_version(advice, author=writer)
    services.record_change(draft, editor)  # the editor changes the writer's draft…
    draft.level = 4
    draft.save()
    services.submit(draft, editor)  # …submits it…
    with pytest.raises(ValidationError, match="someone else"):
        services.approve(draft, editor)  # …and may not approve it
    assert AdviceVersion.objects.get(pk=draft.pk).state == State.AWAITING
    checker = make_user(ministry, Role.COORDINATOR)  # never touched it
    services.approve(draft, checker)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approver == checker


def test_an_edit_after_submission_withdraws_it(client, login, advice, writer, approver):
    from django.urls import reverse

    from lifeline.advice.tests.test_pages import _text_form

    draft = add_version(advice, author=writer)
    services.submit(draft, writer)
    login(writer)
    response = client.post(
        reverse("advice:version_edit", args=[draft.pk]), _text_form(draft, "fr", "Prudence.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.submitted_at is None
    assert AuditEntry.objects.filter(
        object_type="advice.adviceversion", object_id=str(draft.pk), reason__contains="withdrawn"
    ).exists()
    with pytest.raises(ValidationError):
        services.approve(draft, approver)
    assert AdviceVersion.objects.get(pk=draft.pk).state == State.DRAFT


def test_two_approvals_of_the_same_submission_publish_once(advice, writer, approver, make_user, ministry):
    draft = add_version(advice, author=writer)
    services.submit(draft, writer)
    first, second = AdviceVersion.objects.get(pk=draft.pk), AdviceVersion.objects.get(pk=draft.pk)
    services.approve(first, approver, notify=False)
    with pytest.raises(ValidationError, match="meanwhile"):
        services.approve(second, make_user(ministry, Role.COORDINATOR), notify=False)
    assert AdviceVersion.objects.get(pk=draft.pk).approver == approver
