"""Staff sign-in slowed down per account, never locked by a stranger.

Two limits guard the password form. django-axes locks a (username, client address) pair
after ``LOGIN_FAILURE_LIMIT`` failures: one address cannot keep guessing one account. This
module adds the limit per account, whatever the address: after
``LOGIN_ACCOUNT_FREE_FAILURES`` failures, each further attempt must wait longer after the
last failure (2, 4, 8 … seconds, at most ``LOGIN_ACCOUNT_MAX_DELAY``). A guesser spread
over many addresses is slowed to a crawl, and the account's owner, who may be the one
typing, is only asked to wait a moment: a stranger can slow an account down but cannot lock
its owner out. A successful sign-in clears the count; failures are forgotten after
``LOGIN_ACCOUNT_WINDOW`` seconds without one.

Every password form (the staff sign-in and the administration site) uses
``SlowedSignInMixin``; the count is kept by the ``user_login_failed`` and
``user_logged_in`` signals, so any path that authenticates counts.
"""

import hashlib
import math
import time

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import ngettext


def _key(username):
    name = str(username or "").strip().casefold()
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:signin:{name}".encode()).hexdigest()[:32]
    return f"lifeline:signin:{digest}"


def _now():
    return time.time()


def failure_noted(username):
    """Count one failed sign-in for ``username`` (any address)."""
    if not username:
        return
    key = _key(username)
    state = cache.get(key) or {"failures": 0, "last": 0.0}
    state = {"failures": state["failures"] + 1, "last": _now()}
    cache.set(key, state, settings.LOGIN_ACCOUNT_WINDOW)


def cleared(username):
    """Forget the failures of ``username`` (after a successful sign-in)."""
    if username:
        cache.delete(_key(username))


def wait_seconds(username):
    """How many whole seconds ``username`` must still wait before the next attempt (0: none)."""
    if not username:
        return 0
    state = cache.get(_key(username))
    free = settings.LOGIN_ACCOUNT_FREE_FAILURES
    if not state or state["failures"] < free:
        return 0
    delay = min(2 ** (state["failures"] - free + 1), settings.LOGIN_ACCOUNT_MAX_DELAY)
    remaining = state["last"] + delay - _now()
    return max(0, math.ceil(remaining))


class SlowedSignInMixin:
    """Refuses an attempt, before any password is checked, while the account must wait."""

    def clean(self):
        username = self.cleaned_data.get("username")
        wait = wait_seconds(username)
        if wait:
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-ins for this account. Try again in %(seconds)d second.",
                    "Too many failed sign-ins for this account. Try again in %(seconds)d seconds.",
                    wait,
                )
                % {"seconds": wait},
                code="slowed",
            )
        return super().clean()


class SignInForm(SlowedSignInMixin, AuthenticationForm):
    pass


class AdminSignInForm(SlowedSignInMixin, AdminAuthenticationForm):
    pass
