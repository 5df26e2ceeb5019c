import pytest

from lifeline.api.tests.conftest import api  # noqa: F401  (the staff API client fixture)
from lifeline.communities.models import CommunityProfile
from lifeline.communities.services import record_version
from lifeline.core.models import Language
from lifeline.directory.models import KeyContact
from lifeline.geo.models import Country


@pytest.fixture
def origins(db):
    return {
        code: Country.objects.get_or_create(code=code, defaults={"iso3": iso3})[0]
        for code, iso3 in (("PH", "PHL"), ("NP", "NPL"), ("LK", "LKA"))
    }


@pytest.fixture
def leader(org_a):
    return KeyContact.objects.create(
        organisation=org_a, name="Filipino Workers Association", category="migrant_association"
    )


@pytest.fixture
def profile_a(org_a, areas, origins, leader):
    profile = CommunityProfile.objects.create(
        organisation=org_a,
        name="Filipino domestic workers in Amman",
        estimated_size=12000,
        size_source="Embassy estimate",
        female_pct=85,
        sectors=["domestic_work"],
        housing="live_in",
    )
    profile.origin_countries.set([origins["PH"]])
    profile.languages.set([Language.lookup("fil"), Language.lookup("en")])
    profile.areas.set([areas["amman"]])
    profile.focal_points.set([leader])
    record_version(profile, note="first")
    return profile
