import pytest

from lifeline.core.models import ApiToken


@pytest.fixture
def api(client):
    """A test client that calls the API with a fresh bearer token of ``user``."""

    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_user
