import json

import pytest

from lifeline.core.models import ApiToken, Organisation, OrganisationKind, Role, Scope
from lifeline.crises.models import Crisis

# Central and east Amman, longitude first as GeoJSON says.
AMMAN = {
    "type": "Polygon",
    "coordinates": [[[35.85, 31.90], [36.00, 31.90], [36.00, 32.02], [35.85, 32.02], [35.85, 31.90]]],
}
INSIDE = "31.953,35.912"
OUTSIDE = "32.556,35.851"  # Irbid


@pytest.fixture
def api(client):
    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_user


@pytest.fixture
def officer(make_user, post_amman):
    return make_user(post_amman, Role.OFFICER)


@pytest.fixture
def other_ministry(jordan, db):
    from lifeline.geo.models import Country

    country, _ = Country.objects.get_or_create(code="LK", defaults={"iso3": "LKA"})
    ministry = Organisation.objects.create(
        name="Other Foreign Ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=country
    )
    post = Organisation.objects.create(
        name="Other Embassy in Amman", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    post.jurisdiction_countries.set([jordan])
    return post


@pytest.fixture
def make_crisis(post_amman, jordan):
    from lifeline.crises import services

    def make(organisation=None, geometry=AMMAN, count=True, **fields):
        crisis = Crisis.objects.create(
            organisation=organisation or post_amman,
            name=fields.pop("name", "Flash floods"),
            country=fields.pop("country", jordan),
            geometry=json.dumps(geometry) if geometry else "",
            **fields,
        )
        if count:
            services.materialise(crisis)
        return crisis

    return make


@pytest.fixture
def people(make_registration, post_amman, areas):
    """Three inside the polygon (one with a child), one in Irbid."""
    import datetime

    from lifeline.nationals.models import HouseholdMember

    inside = [
        make_registration(post_amman, location=INSIDE, area=areas["amman"], special_needs=["medical"]),
        make_registration(
            post_amman, location="31.990,35.950", area=areas["amman"], stay_type="student", languages=["ar"]
        ),
        make_registration(
            post_amman, location="31.920,35.990", area=areas["amman"], email="maria@example.org"
        ),
    ]
    HouseholdMember.objects.create(
        registration=inside[0],
        name="Child",
        relation="child",
        date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 6),
        unaccompanied=False,
    )
    outside = make_registration(post_amman, location=OUTSIDE, area=areas["irbid"])
    return {"inside": inside, "outside": outside}


@pytest.fixture
def ministry_user(make_user, ministry):
    return make_user(ministry, Role.COORDINATOR, Scope.CHILDREN)
