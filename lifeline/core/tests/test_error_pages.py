"""Errors a person can read: the product's own 403, 404, 500 and refused-form pages, in the reader's
language, with a way home and no technical detail; JSON under /api/."""

import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from lifeline.core import errors
from lifeline.core.models import Role

TECHNICAL = re.compile(r"Traceback|Django|DEBUG|urls\.py|URLconf|CSRF verification|exception", re.I)


def arabic(message):
    with translation.override("ar"):
        return str(translation.gettext(message))


def test_page_not_found_is_ours_in_arabic_with_a_way_home(client, db):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert arabic("Page not found") in html and arabic("Page not found") != "Page not found"
    assert 'href="/"' in html and arabic("Go to the home page") in html
    assert "lifeline/site.css" in html
    assert not TECHNICAL.search(html) and "/no/such/page/" not in html


def test_a_missing_page_of_the_app_leads_back_to_the_app(client, db):
    html = client.get("/app/nothing-here", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/app/"' in html


def test_permission_denied_is_ours(login, make_user, org_a):
    viewer = make_user(org_a, Role.VIEWER)
    response = login(viewer).get("/audit/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    html = response.content.decode()
    with translation.override("fr"):
        assert translation.gettext("Not allowed") in html
    assert not TECHNICAL.search(html)


def test_server_error_page_needs_no_database_and_shows_nothing_technical(db, monkeypatch):
    from lifeline import urls

    assert urls.handler500 == "lifeline.core.errors.server_error"
    monkeypatch.setattr(errors, "_branding", lambda request: None)
    request = RequestFactory().get("/contacts/")
    with translation.override("ar"):
        response = errors.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert arabic("Something went wrong") in html and 'href="/"' in html
    assert not TECHNICAL.search(html)


def test_a_crash_is_answered_by_our_page_not_a_debug_page(db, settings):
    """A view that fails: our 500 page in the reader's language, or JSON under /api/."""
    settings.ROOT_URLCONF = "lifeline.core.tests.crash_urls"
    crashing = Client(raise_request_exception=False)
    response = crashing.get("/crash/", HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert response.status_code == 500 and "secret internals" not in html
    with translation.override("es"):
        assert translation.gettext("Something went wrong") in html
    response = crashing.get("/api/crash/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert "secret internals" not in response.content.decode()


def test_api_errors_are_json(client, db):
    response = client.get("/api/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404 and response.json() == {"detail": arabic("Not found.")}
    request = RequestFactory().get("/api/app/me")
    assert errors.server_error(request)["Content-Type"].startswith("application/json")


def test_a_refused_form_says_so_in_the_readers_language(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    assert response.status_code == 403
    assert (
        arabic("This form has expired") in html and arabic("This form has expired") != "This form has expired"
    )
    assert not TECHNICAL.search(html)


@pytest.mark.parametrize("env", [{}, {"DEBUG": "0"}])
def test_debug_is_off_unless_asked_for(env):
    import os
    import subprocess
    import sys

    from django.conf import settings

    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    clean.update(env)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lifeline.settings'); django.setup(); from django.conf import settings as s; print(s.DEBUG, 'localhost' in s.ALLOWED_HOSTS, s.WHITENOISE_USE_FINDERS)",
        ],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["False", "True", "True"], out.stderr


def test_the_demo_target_serves_without_debug_pages():
    from django.conf import settings

    makefile = (settings.BASE_DIR / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=0" in demo and "runserver" in demo and "--insecure" not in demo


def test_the_demo_says_where_sign_in_codes_go(settings):
    from lifeline.core.management.commands.load_demo import where_codes_go

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "printed in the terminal where the server runs" in where_codes_go()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 8025
    assert "127.0.0.1:8025" in where_codes_go()


def test_a_request_too_big_is_a_readable_413_not_a_500(client, db, settings, make_registration, post_amman):
    from lifeline.nationals.models import DeviceToken

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    _token, raw = DeviceToken.issue(registration=make_registration(post_amman), label="phone")
    body = '{"status": "safe", "idempotency_key": "%s", "pad": "%s"}' % ("0" * 32, "x" * 500)
    response = client.post(
        "/api/app/status",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {raw}",
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert response.status_code == 413
    from lifeline.core.http import too_large_message

    with translation.override("ar"):
        expected = too_large_message(200)
    with translation.override("en"):
        english = too_large_message(200)
    assert response.json() == {"detail": expected} and expected != english
