"""Every page and API operation, asked as every role, against the hand-written table in table.py."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from lifeline.core.tests.rolematrix.table import API, EXCLUDED, PAGES, Upload
from lifeline.core.tests.rolematrix.world import ROLES, build, log_in

PLACEHOLDER = re.compile(r"\{(\w+)\}")
LOGIN_PAGES = ("/account/login/", "/admin/login/")


def _cases(rows, api):
    for row in rows:
        cells = row.cells.split()
        assert len(cells) == len(ROLES), f"{row.pattern}: {len(cells)} answers for {len(ROLES)} roles"
        sides = ("A", "B") if PLACEHOLDER.search(row.url) else ("",)
        for role, cell in zip(ROLES, cells):
            if row.only and role not in row.only:
                continue
            answers = cell.split("/")
            if len(answers) == 1:
                answers = answers * len(sides)
            assert len(answers) == len(sides), f"{row.pattern}, {role}: {cell!r} for sides {sides}"
            for side, expected in zip(sides, answers):
                reason = row.holes.get((role, side))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(
                    row,
                    role,
                    side,
                    expected,
                    api,
                    id=f"{row.method} {row.pattern} {role} {side}".strip(),
                    marks=marks,
                )
    for row in rows:
        for role, _side in row.holes:
            assert role in ROLES, f"{row.pattern}: unknown role {role!r} in holes"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo deployment and the extra objects, built once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ids, users, tokens = build()
            sessions = {}
            for role, user in users.items():
                client = log_in(Client(), user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield ids, sessions, tokens
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _classify(response):
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return "L" if any(page in location for page in LOGIN_PAGES) else "ok"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def _matches(expected, got, response, marker):
    if expected == "no":
        return got in ("403", "404")
    if expected == "clean":
        return got == "ok" and response.status_code < 300 and marker.encode() not in _body(response)
    return expected == got


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _ask(world, row, role, side, api):
    ids, sessions, tokens = world
    index = {"A": 0, "B": 1, "": 0}[side]
    url = PLACEHOLDER.sub(lambda m: str(ids[m.group(1)][index]), row.url)
    client = Client()
    headers = {}
    if role != "anon":
        if api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[role]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    method = row.method.lower()
    if api and isinstance(row.data, Upload):
        files = {"file": SimpleUploadedFile(row.data.name, row.data.content), **row.data.fields}
        return client.post(url, data=files, **headers)
    if api and row.data is not None:
        return getattr(client, method)(url, data=row.data, content_type="application/json", **headers)
    if method == "post":
        return client.post(url, data=row.data or {}, **headers)
    return getattr(client, method)(url, **headers)


def _check(world, row, role, side, expected, api):
    cache.clear()  # rate limits count per address; every case starts afresh
    response = _ask(world, row, role, side, api)
    got = _classify(response)
    assert _matches(expected, got, response, row.marker), (
        f"{row.method} {row.url} as {role} {side}: expected {expected}, got {response.status_code}"
        f" {response.headers.get('Location', '')}"
    )


@pytest.mark.parametrize("row, role, side, expected, api", list(_cases(PAGES, api=False)))
def test_page(world, db, row, role, side, expected, api):
    _check(world, row, role, side, expected, api)


@pytest.mark.parametrize("row, role, side, expected, api", list(_cases(API, api=True)))
def test_api(world, db, row, role, side, expected, api):
    _check(world, row, role, side, expected, api)


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def _api_path(pattern):
    """'api/crises/<int:crisis_id>' -> '/api/crises/{crisis_id}' (the schema's spelling)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def test_every_url_is_in_the_table():
    from lifeline.api.urls import api

    in_table = {row.pattern for row in PAGES}
    api_paths = {row.pattern.split(" ", 1)[1] for row in API}
    schema_paths = set(api.get_openapi_schema()["paths"])
    missing = []
    for pattern in _patterns():
        if pattern in in_table or any(pattern.startswith(prefix) for prefix in EXCLUDED):
            continue
        if (
            pattern.startswith("api/")
            and _api_path(pattern) in schema_paths
            and _api_path(pattern) in api_paths
        ):
            continue
        missing.append(pattern)
    assert not missing, (
        "URL patterns missing from the role matrix (lifeline/core/tests/rolematrix/table.py): "
        + ", ".join(missing)
    )
    stale = in_table - set(_patterns())
    assert not stale, "Rows for URL patterns that no longer exist: " + ", ".join(sorted(stale))


def test_every_api_operation_is_in_the_table():
    from lifeline.api.urls import api

    operations = {
        f"{method.upper()} {path}"
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method in ops
    }
    in_table = {row.pattern for row in API}
    missing = sorted(operations - in_table)
    assert not missing, (
        "API operations missing from the role matrix (lifeline/core/tests/rolematrix/table.py): "
        + ", ".join(missing)
    )
    stale = sorted(in_table - operations)
    assert not stale, "Rows for API operations that no longer exist: " + ", ".join(stale)
