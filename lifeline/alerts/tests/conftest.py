from pathlib import Path

import pytest
from django.conf import settings

from lifeline.alerts import hazards
from lifeline.alerts.models import Alert, InfoBlock
from lifeline.alerts.services import set_area
from lifeline.api.tests.conftest import api  # noqa: F401  (the API client fixture)

CAP_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "cap"
EXAMPLES = CAP_DIR / "examples"
VALID_SAMPLES = sorted(p.name for p in EXAMPLES.glob("cap12_*.xml")) if EXAMPLES.exists() else []
AMMAN_POLYGON = "31.90,35.85 31.90,35.98 32.02,35.98 32.02,35.85 31.90,35.85"


def sample(name):
    path = EXAMPLES / name
    if not path.exists():
        pytest.skip("the shared CAP examples are not beside the project")
    return path.read_bytes()


def make_draft(organisation, author=None, hazard="flood", languages=("en", "ar"), admin_areas=(), **fields):
    """A draft alert written from a hazard template, with a polygon (and admin areas) in every block."""
    alert = Alert.objects.create(
        organisation=organisation, sender="cd.example.org", created_by=author, **fields
    )
    for block in hazards.HAZARDS[hazard].blocks(languages):
        InfoBlock.objects.create(alert=alert, **block)
    set_area(alert, "Amman", polygons=[AMMAN_POLYGON], admin_areas=list(admin_areas))
    return alert


@pytest.fixture
def draft(org_a, make_user, areas):
    author = make_user(org_a)
    return make_draft(org_a, author, admin_areas=[areas["amman"]])
