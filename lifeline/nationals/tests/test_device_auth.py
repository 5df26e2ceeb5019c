"""A device's token: how it is read on every request, and how its use is stamped."""

import datetime

import pytest
from django.utils import timezone

from lifeline.nationals import auth
from lifeline.nationals.models import DeviceToken


@pytest.fixture
def clock(db, monkeypatch):
    """A monotonic clock the test moves by hand, and no uses pending from another test."""
    now = [1000.0]
    monkeypatch.setattr(auth, "_clock", lambda: now[0])
    auth.flush_touches()
    auth._last_flush[0] = 0.0
    yield now
    auth.flush_touches()


def test_a_use_is_stamped_at_once_when_quiet_and_together_in_a_surge(clock, post_amman, make_registration):
    registration = make_registration(post_amman)
    (first, raw_first), (second, raw_second) = (
        DeviceToken.issue(registration),
        DeviceToken.issue(registration),
    )
    assert auth.device_for_token(raw_first).pk == first.pk
    first.refresh_from_db()
    assert first.last_used is not None  # written at once
    clock[0] += 1
    assert auth.device_for_token(raw_second).last_used is not None  # the request sees it…
    second.refresh_from_db()
    assert second.last_used is None  # …and the database gets it with a later batch
    assert auth.flush_touches(only_if_due=True) == 0  # not yet due
    clock[0] += auth.FLUSH_AFTER
    auth._flush_due()  # the next request's start
    second.refresh_from_db()
    assert abs(second.last_used - timezone.now()) < datetime.timedelta(seconds=10)


def test_each_device_keeps_its_own_time_and_a_stamp_never_goes_back(clock, post_amman, make_registration):
    registration = make_registration(post_amman)
    (early, _), (late, _) = DeviceToken.issue(registration), DeviceToken.issue(registration)
    ten = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    DeviceToken.objects.filter(pk=late.pk).update(last_used=ten + datetime.timedelta(minutes=30))
    auth._last_flush[0] = clock[0]  # a surge: nothing is written at once
    auth.touch(early.pk, ten)
    auth.touch(late.pk, ten + datetime.timedelta(minutes=5))  # older than what another process wrote
    assert auth.flush_touches() == 2
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.last_used == ten and late.last_used == ten + datetime.timedelta(minutes=30)


def test_a_recent_stamp_is_not_written_again_and_a_revoked_or_merged_device_is_nobody(
    clock, post_amman, make_registration
):
    registration = make_registration(post_amman)
    device, raw = DeviceToken.issue(registration)
    recent = timezone.now() - datetime.timedelta(seconds=30)
    DeviceToken.objects.filter(pk=device.pk).update(last_used=recent)
    assert auth.device_for_token(raw).last_used == recent
    assert auth._touches == {}
    other = make_registration(post_amman)
    registration.merged_into = other
    registration.save()
    assert auth.device_for_token(raw) is None
    device.revoked = True
    device.save()
    assert auth.device_for_token(raw) is None and auth.device_for_token("x" * 201) is None
