"""Second factor: TOTP authenticator apps, with one-time backup codes (django-otp)."""

import base64

import django_otp
import segno
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.core import audit
from lifeline.core.models import AuditAction

BACKUP_CODES = 10


def has_confirmed_device(user):
    return django_otp.user_has_device(user, confirmed=True)


def pending_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def secret_text(device):
    raw = base64.b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def verify(request, token):
    """Check a TOTP or backup code; on success mark the session verified and audit it."""
    device = django_otp.match_token(request.user, token.replace(" ", ""))
    if device is None:
        audit.record(AuditAction.SECOND_FACTOR, user=request.user, reason="failed")
        return None
    django_otp.login(request, device)
    audit.record(AuditAction.SECOND_FACTOR, user=request.user, reason="verified")
    return device


def confirm(request, device, token):
    """Confirm a new authenticator; return fresh backup codes, or None if the code was wrong."""
    if not device.verify_token(token.replace(" ", "")):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    codes = issue_backup_codes(request.user)
    django_otp.login(request, device)
    audit.record(AuditAction.SECOND_FACTOR, user=request.user, reason="enrolled")
    return codes


def issue_backup_codes(user, codes=None):
    static, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    static.token_set.all().delete()
    codes = codes or [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
