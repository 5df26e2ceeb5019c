"""Check-ins from the app are now written in one statement; the inbox that queued them goes.

Answers still waiting in the inbox (accepted by the app before the upgrade, not yet filed) are
filed first, as the old filing did: the answer, its audit entry, the newest answer as the
request's status, and "answered" on the sending dashboard. Nothing the app was told is accepted
is lost."""

from django.db import migrations

ANSWER_FIELDS = ["answer", "at", "by_id", "idempotency_key", "location", "note", "registration_id", "request_id", "via"]


def file_what_is_waiting(apps, schema_editor):
    Inbox = apps.get_model("crises", "CheckInInbox")
    Answer = apps.get_model("crises", "CheckInAnswer")
    Request = apps.get_model("crises", "CheckInRequest")
    Campaign = apps.get_model("crises", "CheckInCampaign")
    Entry = apps.get_model("core", "AuditEntry")
    Delivery = apps.get_model("messaging", "Delivery")
    for row in Inbox.objects.filter(filed=False).order_by("at", "id"):
        if Answer.objects.filter(registration_id=row.registration_id, idempotency_key=row.idempotency_key).exists():
            continue
        request = Request.objects.filter(pk=row.request_id).first()
        if request is None:
            continue
        # bulk_create: no save signal, so the one audit entry is the one below, as the filing wrote it
        (answer,) = Answer.objects.bulk_create([Answer(
            request=request, registration_id=row.registration_id, answer=row.answer, via="app", note=row.note,
            location=row.location, at=row.at, idempotency_key=row.idempotency_key,
        )])
        Entry.objects.create(
            at=row.at, action="create", object_type="crises.checkinanswer", object_id=str(answer.pk),
            object_repr=f"#{answer.pk} (registration #{row.registration_id})", fields=ANSWER_FIELDS, ip=row.ip, via="app",
        )
        if request.answered_at is None or request.answered_at <= row.at:
            Request.objects.filter(pk=request.pk).update(status=row.answer, answered_at=row.at, via="app", note=row.note)
        send_id = Campaign.objects.filter(pk=request.campaign_id).values_list("send_id", flat=True).first()
        if send_id is not None:
            Delivery.objects.filter(send_id=send_id, recipient_key=f"registration:{row.registration_id:012d}").update(
                state="answered", done_at=row.at
            )


class Migration(migrations.Migration):

    dependencies = [
        ("crises", "0005_checkin_inbox"),
        ("core", "0003_people_areas"),
        ("messaging", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(file_what_is_waiting, migrations.RunPython.noop),
        migrations.DeleteModel(name="CheckInInbox"),
    ]
