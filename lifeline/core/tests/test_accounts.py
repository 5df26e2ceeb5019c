import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from lifeline.core.models import AuditEntry, Role


def _login(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def test_passwords_are_hashed_with_argon2(make_user, org_a):
    assert make_user(org_a).password.startswith("argon2")


def test_officer_must_set_up_second_factor_before_seeing_anything(client, make_user, org_a):
    user = make_user(org_a, role=Role.OFFICER)
    _login(client, user)
    response = client.get(reverse("contacts:list"))
    assert response.status_code == 302 and reverse("otp-verify") in response["Location"]
    response = client.get(response["Location"], follow=True)
    assert reverse("otp-setup") in response.redirect_chain[-1][0]


def test_totp_enrolment_then_access(client, make_user, org_a, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between the wrong and the right code
    user = make_user(org_a, role=Role.OFFICER)
    _login(client, user)
    client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("otp-setup"), {"token": "000000"})
    assert b"not valid" in bad.content
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post(reverse("otp-setup"), {"token": code})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get(reverse("contacts:list")).status_code == 200
    assert AuditEntry.objects.filter(action="second_factor", reason="enrolled", actor_id=user.pk).exists()


def test_backup_code_verifies_once(client, make_user, org_a):
    from lifeline.core.otp import issue_backup_codes

    user = make_user(org_a, role=Role.OFFICER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    issue_backup_codes(user, ["backup0001"])
    _login(client, user)
    response = client.post(reverse("otp-verify"), {"token": "backup0001", "next": "/contacts/"})
    assert response.status_code == 302 and response["Location"] == "/contacts/"
    client.post(reverse("logout"))
    _login(client, user)
    again = client.post(reverse("otp-verify"), {"token": "backup0001"})
    assert again.status_code == 200 and b"not valid" in again.content


def test_viewer_needs_no_second_factor(client, make_user, org_a):
    user = make_user(org_a, role=Role.VIEWER)
    _login(client, user)
    assert client.get(reverse("contacts:list")).status_code == 200


def test_lockout_after_repeated_failures(client, make_user, org_a, settings):
    user = make_user(org_a, role=Role.VIEWER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, password="wrong")
    response = _login(client, user)  # right password, but locked
    assert response.status_code == 429
    assert b"Too many failed" in response.content
    assert AuditEntry.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_open_redirect_is_refused_after_second_factor(client, make_user, org_a):
    from lifeline.core.otp import issue_backup_codes

    user = make_user(org_a, role=Role.OFFICER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    issue_backup_codes(user, ["backup0002"])
    _login(client, user)
    response = client.post(reverse("otp-verify"), {"token": "backup0002", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_password_reset_by_email(client, make_user, org_a):
    user = make_user(org_a, role=Role.VIEWER)
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    new = "another long passphrase 42"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.parametrize("name", ["contacts:list", "home", "audit", "settings", "account"])
def test_pages_require_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/contacts/99999999999999999999/",
        "/communities/99999999999999999999/",
        "/interpreters/99999999999999999999/",
        "/staff/99999999999999999999/",
    ],
)
def test_huge_ids_are_not_found_not_errors(login, make_user, org_a, path):
    assert login(make_user(org_a, role=Role.ADMINISTRATOR)).get(path).status_code == 404
