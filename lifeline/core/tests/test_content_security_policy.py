"""Every page carries a Content-Security-Policy that forbids inline script; templates hold none."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from lifeline.core.models import Role

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "lifeline"
# Emails and PDFs are not pages a browser runs: their inline styles are their only styles.
NOT_PAGES = re.compile(r"/(email|pdf)/|_pdf\.html$|/pdf\.html$")


def _policy(response):
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    return policy, directives


@pytest.mark.parametrize("url", ["/account/login/", "/app/", "/messaging/subscribe/", "/alerts/public/"])
def test_public_pages_forbid_inline_script(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    policy, directives = _policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    # The one inline style (the deployment's colours) carries this response's nonce, and only it.
    page = response.content.decode()
    nonces = re.findall(r"<style nonce=\"([^\"]+)\">", page)
    assert nonces and {f"'nonce-{n}'" for n in nonces} == {
        s for s in directives["style-src"] if s.startswith("'nonce-")
    }
    assert len(re.findall(r"<style", page)) == len(nonces)


def test_the_nonce_changes_with_every_response(client, db):
    first = _policy(client.get("/account/login/"))[0]
    second = _policy(client.get("/account/login/"))[0]
    assert first != second


def test_staff_pages_and_errors_carry_the_policy_too(login, make_user, org_a):
    client = login(make_user(org_a, role=Role.OFFICER))
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/no-such-page/").headers["Content-Security-Policy"]


def _page_templates():
    for path in TEMPLATE_ROOT.rglob("templates/**/*.html"):
        relative = str(path.relative_to(TEMPLATE_ROOT))
        if not NOT_PAGES.search("/" + relative):
            yield relative, path.read_text()


def test_no_template_of_a_page_has_inline_script_handlers_or_styles():
    found = []
    for name, text in _page_templates():
        for script in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in script:
                found.append((name, script))
        found += [(name, m) for m in re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", text)]
        found += [(name, m) for m in re.findall(r"\sstyle\s*=\s*\"", text)]
        found += [(name, m) for m in re.findall(r"href=\"javascript:", text)]
        found += [(name, m) for m in re.findall(r"<style(?![^>]*nonce=)", text)]
    assert found == []


def test_a_page_without_inline_style_gets_no_nonce_and_json_gets_no_policy(client, db):
    policy = client.get("/account/login/", HTTP_HOST="evil.example").headers["Content-Security-Policy"]
    assert "nonce" not in policy and "style-src 'self';" in policy
    assert "Content-Security-Policy" not in client.get("/api/app/posts").headers
