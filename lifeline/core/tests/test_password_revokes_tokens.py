"""A new password ends the account's API tokens, whichever way it was set."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, verified_client
from lifeline.core.models import ApiToken, AuditEntry, Role

NEW_PASSWORD = "a fresh and long passphrase 42"


def _api_status(raw):
    return Client().get("/api/contacts", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_changing_the_password_revokes_api_tokens(client, make_user, org_a):
    user = make_user(org_a, role=Role.OFFICER)
    _token, raw = ApiToken.issue(user, "script")
    assert _api_status(raw) == 200
    verified_client(client, user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _api_status(raw) == 401
    assert not ApiToken.objects.filter(user=user, revoked=False).exists()
    assert AuditEntry.objects.filter(object_type="core.apitoken", reason="password changed").exists()


def test_resetting_the_password_revokes_api_tokens(client, make_user, org_a):
    user = make_user(org_a, role=Role.OFFICER)
    _token, raw = ApiToken.issue(user, "script")
    other = make_user(org_a, role=Role.OFFICER)
    _other_token, other_raw = ApiToken.issue(other, "script")
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"/account/reset/[^/\s]+/[^/\s]+/", mail.outbox[-1].body).group(0)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _api_status(raw) == 401
    assert _api_status(other_raw) == 200  # someone else's tokens are untouched


def test_saving_the_user_without_a_new_password_keeps_tokens(make_user, org_a):
    user = make_user(org_a, role=Role.OFFICER)
    _token, raw = ApiToken.issue(user, "script")
    user.first_name = "Lina"
    user.save()
    assert _api_status(raw) == 200
