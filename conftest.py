"""Fixtures every test can use: a host country, two organisations, users per role."""

import pytest
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.core.models import Organisation, OrganisationKind, Role, Scope, StaffProfile
from lifeline.geo.models import AdminArea, Country

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _language_of_each_test_is_its_own():
    """A request served in Arabic leaves Arabic active in the thread; the next test starts afresh."""
    yield
    translation.deactivate()


@pytest.fixture
def jordan(db):
    country, _ = Country.objects.get_or_create(code="JO", defaults={"iso3": "JOR"})
    return country


@pytest.fixture
def areas(jordan):
    amman = AdminArea.objects.create(country=jordan, pcode="JO11", name="Amman")
    irbid = AdminArea.objects.create(country=jordan, pcode="JO21", name="Irbid")
    return {"amman": amman, "irbid": irbid}


@pytest.fixture
def org_a(jordan):
    return Organisation.objects.create(
        name="Civil Defence A", kind=OrganisationKind.CIVIL_PROTECTION, country=jordan
    )


@pytest.fixture
def org_a_child(org_a, jordan):
    return Organisation.objects.create(
        name="Civil Defence A, Irbid branch",
        kind=OrganisationKind.CIVIL_PROTECTION,
        country=jordan,
        parent=org_a,
    )


@pytest.fixture
def org_b(jordan):
    return Organisation.objects.create(name="Relief NGO B", kind=OrganisationKind.NGO, country=jordan)


@pytest.fixture
def immigration(jordan):
    return Organisation.objects.create(
        name="Immigration Directorate", kind=OrganisationKind.IMMIGRATION, country=jordan
    )


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(organisation, role=Role.OFFICER, scope=Scope.OWN, **extra):
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=f"{role}{counter['n']}",
            email=f"{role}{counter['n']}@example.org",
            password=PASSWORD,
            **extra,
        )
        StaffProfile.objects.create(user=user, organisation=organisation, role=role, scope=scope)
        return user

    return make


def verified_client(client, user):
    """A test client logged in as ``user`` with a verified second factor."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def do(user):
        return verified_client(client, user)

    return do


# Home-country side: a ministry of foreign affairs, two posts, and registrations.


@pytest.fixture
def philippines(db):
    country, _ = Country.objects.get_or_create(code="PH", defaults={"iso3": "PHL"})
    return country


@pytest.fixture
def lebanon(db):
    country, _ = Country.objects.get_or_create(code="LB", defaults={"iso3": "LBN"})
    return country


@pytest.fixture
def ministry(philippines):
    return Organisation.objects.create(
        name="Foreign Ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=philippines
    )


@pytest.fixture
def post_amman(ministry, jordan):
    post = Organisation.objects.create(
        name="Embassy in Amman", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    post.jurisdiction_countries.set([jordan])
    return post


@pytest.fixture
def post_beirut(ministry, lebanon):
    post = Organisation.objects.create(
        name="Embassy in Beirut", kind=OrganisationKind.CONSULAR_POST, country=lebanon, parent=ministry
    )
    post.jurisdiction_countries.set([lebanon])
    return post


@pytest.fixture
def make_registration(philippines):
    """make_registration(post, **fields): a national registered with ``post`` (country defaults to the post's)."""
    from lifeline.nationals.models import Registration

    counter = iter(range(1, 10**6))

    def make(post, **fields):
        n = next(counter)
        values = {
            "given_names": f"Maria {n}",
            "family_name": "Santos",
            "nationality": philippines,
            "country": post.country,
            "languages": ["fil", "en"],
            "phone": f"+96279{n:07d}",
        }
        values.update(fields)
        return Registration.objects.create(organisation=post, **values)

    return make


@pytest.fixture
def keep_test_connection():
    """For tests that call the WSGI handler directly (schemathesis): its request signals close "old"
    database connections, which inside the test's transaction is the test's own connection
    (PostgreSQL really closes it). Django's test client disconnects the handler the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Limits count in the cache; each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _no_device_uses_carried_over():
    """A device's use noted by one test waits to be written with a later request
    (nationals/auth.touch); forget it, so the next test's requests do not write another test's
    rows and its query counts do not depend on which test ran before."""
    from lifeline.nationals import auth

    yield
    with auth._touch_lock:
        auth._touches.clear()
