"""Schemathesis explores the OpenAPI schema: no input may cause a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from lifeline.core.models import ApiToken, Role
from lifeline.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """Calls go straight to the WSGI handler, whose request signals close "old" database connections;
    inside the test's transaction that is the test's own connection (PostgreSQL really closes it).
    Django's test client disconnects the handler the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(make_user, org_a, areas, keep_test_connection):
    _token, raw = ApiToken.issue(make_user(org_a, role=Role.COORDINATOR), "schemathesis")
    return raw


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
