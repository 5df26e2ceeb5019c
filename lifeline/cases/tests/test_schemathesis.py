"""Schemathesis explores the cases endpoints of the OpenAPI schema, as an officer and as a national: no 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from lifeline.cases import services
from lifeline.core.models import ApiToken
from lifeline.nationals.models import DeviceToken
from lifeline.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def headers(officer, person, keep_test_connection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # photos the exploration uploads go nowhere lasting
    services.create_case(registration=person, category="medical", summary="Fever")
    _token, staff = ApiToken.issue(officer, "schemathesis")
    _device, device = DeviceToken.issue(person, "schemathesis")
    return {"staff": f"Bearer {staff}", "app": f"Device {device}"}


@schema.include(path_regex=r"^/api/(cases|app/requests)").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_cases_api_never_fails(case, headers):
    auth = headers["app"] if case.path.startswith("/api/app/") else headers["staff"]
    response = case.call(headers={"Authorization": auth})
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
