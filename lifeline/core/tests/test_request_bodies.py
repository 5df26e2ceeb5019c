"""Bodies no view can use get a clear 4xx before they reach a parser or the database, never a 500."""

import json

import pytest

from lifeline.core.models import ApiToken, AuditEntry, Role
from lifeline.directory.models import KeyContact


@pytest.fixture
def api(client, make_user, org_a):
    user = make_user(org_a, role=Role.OFFICER)
    _token, raw = ApiToken.issue(user, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("text", ["\\ud800", "a\\udfffb", "\\udc00\\ud800"])
def test_a_lone_surrogate_in_api_json_is_a_400(api, org_a, text):
    body = '{"organisation": %d, "name": "%s", "kind": "organisation"}' % (org_a.pk, text)
    response = api.post("/api/contacts", body, content_type="application/json")
    assert response.status_code == 400
    assert "not valid Unicode" in response.json()["detail"]
    assert not KeyContact.objects.exists()


def test_a_surrogate_pair_is_ordinary_text(api, org_a):
    body = '{"organisation": %d, "name": "Clinic \\ud83c\\udfe5", "kind": "organisation"}' % org_a.pk
    response = api.post("/api/contacts", body, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    assert KeyContact.objects.get().name == "Clinic \U0001f3e5"


def test_a_lone_surrogate_in_the_public_app_api_is_a_400(client, db):
    client.raise_request_exception = False
    body = '{"channel": "email", "address": "a@example.org", "language": "\\ud800"}'
    response = client.post("/api/app/signin", body, content_type="application/json")
    assert response.status_code == 400 and "Unicode" in response.json()["detail"]


def test_a_body_over_the_limit_is_a_413_with_a_clear_message(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
    body = b'{"name": "' + b"x" * (21 * 1024 * 1024) + b'"}'
    response = api.post("/api/contacts", body, content_type="application/json")
    assert response.status_code == 413
    assert "at most 20 MB" in response.json()["detail"]
    assert not KeyContact.objects.exists()


def test_a_page_refuses_a_large_form_with_a_page(client, settings, db):
    client.raise_request_exception = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/account/login/", "a=" + "x" * 4096, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"] and "too large" in response.content.decode()


def test_a_large_body_without_content_length_is_a_413(api, settings, rf):
    """Chunked uploads declare no length: Django stops reading at the limit and the view's error is answered."""
    from lifeline.core.http import RequestBodyMiddleware

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    request = rf.post("/api/contacts", "x" * 4096, content_type="application/json")
    del request.META["CONTENT_LENGTH"]

    def view(request):
        try:
            request.body  # noqa: B018  (reading it is the point)
        except Exception as exc:
            return middleware.process_exception(request, exc)

    middleware = RequestBodyMiddleware(view)
    response = middleware(request)
    assert response.status_code == 413 and "at most" in json.loads(response.content)["detail"]


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\x7f"],
)
def test_multipart_without_a_boundary_is_a_400(client, api, db, content_type):
    client.raise_request_exception = False
    for url in ("/api/contacts", "/account/login/", "/messaging/subscribe/"):
        response = client.generic(
            "POST",
            url,
            b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--",
            content_type=content_type,
        )
        assert response.status_code == 400, url
        assert "boundary" in response.content.decode()
    assert not AuditEntry.objects.filter(action="login_failed").exists()
