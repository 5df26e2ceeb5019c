import datetime

from django.core import mail
from django.core.management import call_command

from lifeline.core.models import AuditEntry
from lifeline.nationals.models import (
    Consent,
    DeviceToken,
    HouseholdMember,
    Kind,
    Registration,
    default_expiry,
)
from lifeline.nationals.services import purge_expired, renew, send_reminders
from lifeline.nationals.tasks import purge_expired_registrations

TODAY = datetime.date(2026, 6, 1)


def test_expiry_follows_the_trip(post_amman, make_registration, settings):
    settings.REGISTRATION_RETENTION_DAYS = 10
    registration = make_registration(post_amman, departure=datetime.date(2026, 7, 1))
    assert registration.expires_on == datetime.date(2026, 7, 11)
    registration.departure = datetime.date(2026, 8, 1)
    registration.save()
    assert registration.expires_on == datetime.date(2026, 8, 11)
    registration.city = "Irbid"  # other changes keep the date
    registration.expires_on = datetime.date(2027, 1, 1)
    registration.save()
    assert Registration.objects.get().expires_on == datetime.date(2027, 1, 1)
    resident = make_registration(post_amman, review_date=datetime.date(2027, 3, 1))
    assert resident.expires_on == default_expiry(resident) == datetime.date(2027, 3, 11)


def test_reminder_is_sent_once_in_the_persons_language(post_amman, make_registration, settings):
    settings.REGISTRATION_REMINDER_DAYS = 14
    due = make_registration(post_amman, email="ana@example.org", languages=["ar", "en"])
    later = make_registration(post_amman, email="later@example.org")
    Registration.objects.filter(pk=due.pk).update(expires_on=TODAY + datetime.timedelta(days=10))
    Registration.objects.filter(pk=later.pk).update(expires_on=TODAY + datetime.timedelta(days=40))
    assert send_reminders(TODAY) == 1
    assert send_reminders(TODAY) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    assert "2026-06-11" in mail.outbox[0].subject
    assert Registration.objects.get(pk=due.pk).reminded_on == TODAY
    renew(Registration.objects.get(pk=due.pk), TODAY)
    assert Registration.objects.get(pk=due.pk).reminded_on is None


def test_purge_deletes_expired_keeps_the_rest_and_logs_counts_only(post_amman, make_registration):
    gone = make_registration(post_amman, given_names="Lorna", family_name="Magbanua")
    HouseholdMember.objects.create(registration=gone, name="Kyla Magbanua", relation="child")
    Consent.objects.create(registration=gone, purpose="assistance")
    DeviceToken.issue(registration=gone, label="phone")
    kept = make_registration(post_amman)
    crisis = make_registration(post_amman, kind=Kind.JUST_IN_TIME)
    Registration.objects.filter(pk__in=[gone.pk, crisis.pk]).update(
        expires_on=TODAY - datetime.timedelta(days=1)
    )
    Registration.objects.filter(pk=kept.pk).update(expires_on=TODAY)
    figures = purge_expired(TODAY)
    assert figures == {"registrations": 1, "members": 1, "consents": 1, "devices": 1}
    assert set(Registration.objects.values_list("pk", flat=True)) == {kept.pk, crisis.pk}
    assert not HouseholdMember.objects.exists() and not DeviceToken.objects.exists()
    summary = AuditEntry.objects.get(reason="expired registrations purged: 1")
    assert summary.action == "delete" and "1 registrations" in summary.object_repr
    assert not AuditEntry.objects.filter(object_repr__icontains="Magbanua").exists()
    assert not AuditEntry.objects.filter(reason__icontains="Magbanua").exists()


def test_command_and_task(post_amman, make_registration):
    old = make_registration(post_amman)
    Registration.objects.filter(pk=old.pk).update(expires_on=datetime.date(2020, 1, 1))
    call_command("purge_registrations", "--today", "2026-01-01")
    assert not Registration.objects.exists()
    old = make_registration(post_amman)
    Registration.objects.filter(pk=old.pk).update(expires_on=datetime.date(2020, 1, 1))
    assert purge_expired_registrations.delay().get()["registrations"] == 1
