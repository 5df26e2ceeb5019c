"""Schemathesis explores the nationals endpoints of the OpenAPI schema, as an officer and as a national: no 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from lifeline.core.models import ApiToken, Role
from lifeline.nationals.models import DeviceToken
from lifeline.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def headers(make_user, post_amman, areas, make_registration, keep_test_connection):
    person = make_registration(post_amman, email="ana@example.org")
    _token, staff = ApiToken.issue(make_user(post_amman, Role.OFFICER), "schemathesis")
    _device, device = DeviceToken.issue(person, "schemathesis")
    return {"staff": f"Bearer {staff}", "app": f"Device {device}"}


@schema.include(path_regex=r"^/api/(nationals|app/(posts|signin|me|devices|consents))").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_nationals_api_never_fails(case, headers):
    auth = headers["app"] if case.path.startswith("/api/app/") else headers["staff"]
    response = case.call(headers={"Authorization": auth})
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
