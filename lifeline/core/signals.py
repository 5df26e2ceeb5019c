"""Log-ins, log-outs and failed log-ins go to the audit log and to the per-account slowdown; a new password ends the API tokens."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver

from lifeline.core import audit, signin
from lifeline.core.http import client_ip
from lifeline.core.models import ApiToken, AuditAction


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="lifeline-login")
def on_login(sender, request, user, **kwargs):
    signin.cleared(user.get_username())
    with audit.acting_as(user, ip=_ip(request)):
        audit.record(AuditAction.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="lifeline-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        with audit.acting_as(user, ip=_ip(request)):
            audit.record(AuditAction.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="lifeline-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    signin.failure_noted(credentials.get("username"))
    with audit.acting_as(None, ip=_ip(request)):
        audit.record(AuditAction.LOGIN_FAILED, reason=str(credentials.get("username", ""))[:150])


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="lifeline-password-revokes-tokens")
def revoke_api_tokens_on_new_password(sender, instance, update_fields=None, raw=False, **kwargs):
    """A new password (changed, reset, set by an administrator or a command) ends every API token
    of the account: whoever took the old password may have made one. The one place for this rule."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is None or stored == instance.password:
        return
    revoked = ApiToken.objects.filter(user_id=instance.pk, revoked=False).update(revoked=True)
    if revoked:
        audit.record(
            AuditAction.UPDATE,
            object_type="core.apitoken",
            object_repr=instance.get_username(),
            fields=["revoked"],
            reason="password changed",
        )
