"""Schemathesis explores the OpenAPI schema: no input may cause a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from lifeline.core.models import ApiToken, Role
from lifeline.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


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
