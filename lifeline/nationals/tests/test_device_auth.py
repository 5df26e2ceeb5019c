"""A device's token: how it is read on every request, and how its use is stamped."""

import datetime

import pytest
from django.utils import timezone

from lifeline.nationals import auth
from lifeline.nationals.models import DeviceToken


@pytest.fixture
def quiet(db):
    """No uses pending from another test, and the last write long ago."""
    auth.flush_touches()
    auth._last_flush[0] = 0.0
    yield
    auth.flush_touches()


def test_a_use_is_stamped_at_once_when_quiet_and_together_in_a_surge(quiet, post_amman, make_registration):
    registration = make_registration(post_amman)
    (first, raw_first), (second, raw_second) = DeviceToken.issue(registration), DeviceToken.issue(registration)
    assert auth.device_for_token(raw_first).pk == first.pk
    first.refresh_from_db()
    assert first.last_used is not None  # written at once
    assert auth.device_for_token(raw_second).last_used is not None  # the request sees it…
    second.refresh_from_db()
    assert second.last_used is None  # …and the database gets it with the next batch
    assert auth.flush_touches() == 1
    second.refresh_from_db()
    assert abs(second.last_used - timezone.now()) < datetime.timedelta(seconds=10)


def test_a_recent_stamp_is_not_written_again_and_a_revoked_or_merged_device_is_nobody(quiet, post_amman, make_registration):
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
