"""Import, follow-ups, four-eyes approval and the texts handed to messaging."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lifeline.alerts.models import Alert, ImportLog, MsgType, Origin, Outcome, State
from lifeline.alerts.services import (
    WorkflowError,
    approve,
    expire_alerts,
    followup,
    import_cap,
    message_texts,
    publish_override,
    submit,
)
from lifeline.core.models import AuditAction, AuditEntry, Role

from .conftest import CAP_DIR, sample

needs_samples = pytest.mark.skipif(
    not CAP_DIR.exists(), reason="the shared CAP data is not beside the project"
)


@needs_samples
def test_import_stores_blocks_areas_and_raw_message(org_a):
    result = import_cap(sample("cap12_be_kmi_irm_update_4lang.xml"), org_a)
    assert result.outcome == Outcome.IMPORTED
    alert = result.alert
    assert alert.origin == Origin.FILE and alert.msg_type == MsgType.UPDATE
    assert alert.raw_xml.startswith("<?xml") and "nl-BE" in alert.raw_xml
    assert [i.language for i in alert.info.all()] == ["nl-BE", "fr-BE", "en-GB", "de-DE"]
    assert alert.info.first().areas.first().geocodes == [{"valueName": "NUTS2", "value": "BE21"}]
    assert alert.state == State.EXPIRED  # its time (July 2024) is over
    assert ImportLog.objects.get(alert=alert).outcome == Outcome.IMPORTED


@needs_samples
def test_second_import_is_a_duplicate(org_a):
    data = sample("cap12_oasis_nws_thunderstorm_polygon_geocode.xml")
    import_cap(data, org_a)
    again = import_cap(data, org_a)
    assert again.outcome == Outcome.DUPLICATE
    assert Alert.objects.filter(identifier="KSTO1055887203").count() == 1


@needs_samples
def test_another_organisation_keeps_its_own_copy(org_a, org_b):
    data = sample("cap12_oasis_nws_thunderstorm_polygon_geocode.xml")
    assert import_cap(data, org_a).outcome == Outcome.IMPORTED
    assert import_cap(data, org_b).outcome == Outcome.IMPORTED


@needs_samples
def test_invalid_message_is_logged_and_changes_nothing(org_a):
    result = import_cap(sample("invalid_cap12_missing_scope.xml"), org_a)
    assert result.outcome == Outcome.REJECTED and "scope" in result.reason
    assert not Alert.objects.exists()
    assert ImportLog.objects.get().outcome == Outcome.REJECTED


def _message(identifier, msg_type="Alert", references="", expires="2099-01-01T00:00:00+00:00"):
    refs = f"<references>{references}</references>" if references else ""
    return f"""<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>
<sender>ops@example.org</sender><sent>2026-11-01T10:00:00+00:00</sent><status>Actual</status>
<msgType>{msg_type}</msgType><scope>Public</scope>{refs}<info><category>Met</category><event>Flood</event>
<urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty><expires>{expires}</expires>
<headline>Flood {identifier}</headline><area><areaDesc>Amman</areaDesc><geocode><valueName>PCODE</valueName><value>JO11</value></geocode></area></info></alert>""".encode()


def test_imported_alerts_cannot_be_updated_here(org_a, make_user):
    imported = import_cap(_message("B1"), org_a).alert
    with pytest.raises(WorkflowError):
        followup(imported, MsgType.UPDATE, make_user(org_a))


@pytest.mark.django_db
def test_update_supersedes_and_cancel_cancels(org_a, areas):
    first = import_cap(_message("A1"), org_a).alert
    assert first.state == State.PUBLISHED
    assert list(first.info.first().areas.first().admin_areas.all()) == [areas["amman"]]
    update = import_cap(_message("A2", "Update", "ops@example.org,A1,2026-11-01T10:00:00+00:00"), org_a).alert
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED and update.updates == first
    import_cap(_message("A3", "Cancel", "ops@example.org,A2,2026-11-01T10:00:00+00:00"), org_a)
    update.refresh_from_db()
    assert update.state == State.CANCELLED


def test_four_eyes(draft, make_user, org_a):
    author = draft.created_by
    submit(draft, author)
    assert draft.state == State.AWAITING
    with pytest.raises(WorkflowError):
        approve(draft, author)  # the same person cannot approve their own alert
    with pytest.raises(PermissionDenied):
        approve(draft, make_user(org_a, role=Role.VIEWER))
    approver = make_user(org_a, role=Role.COORDINATOR)
    approve(draft, approver)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approved_by == approver
    assert draft.identifier and draft.sent is not None and not draft.override_reason


def test_other_organisation_cannot_approve(draft, make_user, org_b):
    submit(draft, draft.created_by)
    with pytest.raises(PermissionDenied):
        approve(draft, make_user(org_b, role=Role.COORDINATOR))


def test_override_needs_a_reason_and_is_audited(draft):
    author = draft.created_by
    with pytest.raises(WorkflowError):
        publish_override(draft, author, "   ")
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    publish_override(draft, author, "Flash flood, no second officer on duty")
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approved_by is None
    assert draft.override_reason == "Flash flood, no second officer on duty"
    entry = AuditEntry.objects.filter(object_id=str(draft.pk), reason__contains="Flash flood").get()
    assert entry.action == AuditAction.UPDATE and entry.actor_id == author.pk


def test_update_and_cancel_reference_the_original(draft):
    author = draft.created_by
    publish_override(draft, author, "urgent")
    update = followup(draft, MsgType.UPDATE, author)
    assert update.state == State.DRAFT and update.msg_type == MsgType.UPDATE
    assert update.references == f"{draft.sender},{draft.identifier},{draft.sent.isoformat()}"
    assert update.info.count() == draft.info.count() and update.info.first().areas.first().polygons
    publish_override(update, author, "urgent")
    draft.refresh_from_db()
    assert draft.state == State.SUPERSEDED
    cancel = followup(update, MsgType.CANCEL, author)
    publish_override(cancel, author, "over")
    update.refresh_from_db()
    assert update.state == State.CANCELLED
    with pytest.raises(WorkflowError):
        followup(update, MsgType.UPDATE, author)  # a cancelled alert cannot be updated


def test_message_texts_per_language(draft, settings):
    settings.SITE_URL = "https://alerts.example.org"
    publish_override(draft, draft.created_by, "urgent")
    texts = message_texts(draft)
    assert set(texts) == {"en", "ar"}
    english = texts["en"]
    info = draft.info.get(language="en")
    assert english["subject"] == info.headline
    assert info.description in english["body"] and info.instruction in english["body"]
    assert f"https://alerts.example.org/alerts/public/{draft.pk}/" in english["body"]
    assert len(english["short"]) <= 160 and english["short"].startswith(info.headline)
    assert texts["ar"]["subject"].startswith("تحذير")


def test_expired_alerts_expire(draft):
    publish_override(draft, draft.created_by, "urgent")
    draft.info.update(expires=timezone.now() + datetime.timedelta(hours=1))
    Alert.objects.filter(pk=draft.pk).update(expires=timezone.now() - datetime.timedelta(minutes=1))
    assert expire_alerts() == 1
    draft.refresh_from_db()
    assert draft.state == State.EXPIRED
