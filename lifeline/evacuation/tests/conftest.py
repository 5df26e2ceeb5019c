import datetime

import pytest

from lifeline.core.models import Organisation, OrganisationKind, Role, Scope
from lifeline.crises.models import Crisis
from lifeline.crises.services import materialise
from lifeline.evacuation.models import AssemblyPoint, Transport
from lifeline.nationals.models import HouseholdMember


def years_ago(years, days=30):
    today = datetime.date.today()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def crisis(post_amman, jordan, areas):
    crisis = Crisis.objects.create(organisation=post_amman, name="Flash floods in Amman", country=jordan)
    crisis.areas.set([areas["amman"]])
    return crisis


@pytest.fixture
def people(crisis, make_registration, post_amman, areas):
    """Inside the crisis: a family of three, a woman with an Arabic name, a registrant with an unaccompanied
    niece, a teenager registered alone. Outside: one person in Irbid."""
    amman = areas["amman"]
    family = make_registration(
        post_amman,
        given_names="Maria",
        family_name="Santos",
        area=amman,
        date_of_birth=years_ago(35),
        special_needs=["pregnancy"],
        document_status="valid",
        phone="+962790000001",
    )
    HouseholdMember.objects.create(
        registration=family, name="Jose Santos", relation="spouse", date_of_birth=years_ago(38)
    )
    HouseholdMember.objects.create(
        registration=family, name="Ana Santos", relation="child", date_of_birth=years_ago(7)
    )
    arabic = make_registration(
        post_amman,
        given_names="فاطمة",
        family_name="الحسن",
        area=amman,
        date_of_birth=years_ago(29),
        document_status="lost",
        phone="+962790000002",
    )
    uncle = make_registration(
        post_amman,
        given_names="Ramon",
        family_name="Cruz",
        area=amman,
        date_of_birth=years_ago(50),
        phone="+962790000003",
    )
    HouseholdMember.objects.create(
        registration=uncle,
        name="Liza Reyes",
        relation="relative",
        date_of_birth=years_ago(15),
        unaccompanied=True,
        special_needs=["medical"],
    )
    teen = make_registration(
        post_amman,
        given_names="Paolo",
        family_name="Bautista",
        area=amman,
        date_of_birth=years_ago(16),
        phone="+962790000004",
    )
    outside = make_registration(post_amman, given_names="Irene", family_name="Lim", area=areas["irbid"])
    materialise(crisis)
    return {"family": family, "arabic": arabic, "uncle": uncle, "teen": teen, "outside": outside}


@pytest.fixture
def point(crisis):
    return AssemblyPoint.objects.create(
        crisis=crisis,
        name="Sports City gate 3",
        capacity=10,
        address="Sports City, Amman",
        location="31.987,35.885",
        contact="Duty officer +962790009999",
    )


@pytest.fixture
def bus(crisis, point):
    return Transport.objects.create(
        crisis=crisis, kind="bus", name="Bus 1", capacity=6, assembly_point=point, destination="Aqaba"
    )


@pytest.fixture
def coordinator(make_user, post_amman):
    return make_user(post_amman, Role.COORDINATOR)


@pytest.fixture
def viewer(make_user, post_amman):
    return make_user(post_amman, Role.VIEWER)


@pytest.fixture
def beirut_officer(make_user, post_beirut):
    return make_user(post_beirut, Role.COORDINATOR)


@pytest.fixture
def other_ministry_user(make_user, jordan):
    from lifeline.geo.models import Country

    country, _ = Country.objects.get_or_create(code="LK", defaults={"iso3": "LKA"})
    ministry = Organisation.objects.create(
        name="Other Foreign Ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=country
    )
    post = Organisation.objects.create(
        name="Other Embassy in Amman", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    post.jurisdiction_countries.set([jordan])
    return make_user(post, Role.COORDINATOR)


@pytest.fixture
def immigration_user(make_user, immigration):
    return make_user(immigration, Role.COORDINATOR, Scope.DEPLOYMENT)


@pytest.fixture
def ministry_user(make_user, ministry):
    return make_user(ministry, Role.COORDINATOR, Scope.CHILDREN)
