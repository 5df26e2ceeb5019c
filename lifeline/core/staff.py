"""Organisations and staff accounts: the writes, with their rules, in one place."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from lifeline.core.forms import SCOPE_RANK
from lifeline.core.models import StaffProfile


def max_scope(user):
    profile = getattr(user, "profile", None)
    if profile is None:
        return "deployment" if user.is_superuser else "own"
    return profile.scope


def clamp_scope(user, scope):
    """Nobody grants a scope wider than their own."""
    mine = max_scope(user)
    return scope if SCOPE_RANK[scope] <= SCOPE_RANK[mine] else mine


def may_manage(acting_user, profile):
    """Nobody edits an account that can do more than they can (a superuser, or a wider scope):
    changing its email and resetting its password would take it over."""
    if acting_user.is_superuser:
        return True
    if profile.user.is_superuser:
        return False
    return SCOPE_RANK[profile.scope] <= SCOPE_RANK[max_scope(acting_user)]


@transaction.atomic
def save_staff(acting_user, data, user=None, request=None):
    """Create (and invite by email) or update a staff account."""
    User = get_user_model()
    created = user is None
    if created:
        user = User(username=data["username"])
        # A random password nobody knows; the invitation's link sets the real one.
        user.set_password(secrets.token_urlsafe(32))
    user.email = data["email"]
    user.first_name = data.get("first_name", "")
    user.last_name = data.get("last_name", "")
    user.is_active = data.get("is_active", True)
    user.save()
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "organisation": data["organisation"],
            "role": data["role"],
            "scope": clamp_scope(acting_user, data["scope"]),
        },
    )
    if created and request is not None:
        invite = PasswordResetForm({"email": user.email})
        if invite.is_valid():
            invite.save(
                request=request,
                use_https=request.is_secure(),
                email_template_name="registration/invite_email.txt",
                subject_template_name="registration/invite_subject.txt",
            )
    return user
