from lifeline.api.tests.conftest import api  # noqa: F401  (the staff API client fixture)
