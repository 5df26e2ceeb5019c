"""Log-ins, log-outs and failed log-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lifeline.core import audit
from lifeline.core.http import client_ip
from lifeline.core.models import AuditAction


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="lifeline-login")
def on_login(sender, request, user, **kwargs):
    with audit.acting_as(user, ip=_ip(request)):
        audit.record(AuditAction.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="lifeline-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        with audit.acting_as(user, ip=_ip(request)):
            audit.record(AuditAction.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="lifeline-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    with audit.acting_as(None, ip=_ip(request)):
        audit.record(AuditAction.LOGIN_FAILED, reason=str(credentials.get("username", ""))[:150])
