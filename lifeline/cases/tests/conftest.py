import io

import pytest
from PIL import Image

from lifeline.cases import services
from lifeline.core.models import Role, Scope
from lifeline.nationals.models import DeviceToken


@pytest.fixture
def officer(make_user, post_amman):
    return make_user(post_amman, Role.OFFICER)


@pytest.fixture
def beirut_officer(make_user, post_beirut):
    return make_user(post_beirut, Role.OFFICER)


@pytest.fixture
def ministry_user(make_user, ministry):
    return make_user(ministry, Role.COORDINATOR, Scope.CHILDREN)


@pytest.fixture
def viewer(make_user, post_amman):
    return make_user(post_amman, Role.VIEWER)


@pytest.fixture
def immigration_user(make_user, immigration):
    return make_user(immigration, Role.COORDINATOR, Scope.DEPLOYMENT)


@pytest.fixture
def person(make_registration, post_amman):
    return make_registration(post_amman)


@pytest.fixture
def make_case():
    def make(registration=None, **fields):
        fields.setdefault("category", "documents")
        fields.setdefault("summary", "My passport was taken by my employer.")
        if registration is None:
            fields.setdefault("contact_name", "Walk-in person")
        return services.create_case(registration=registration, **fields)[0]

    return make


@pytest.fixture
def case(make_case, person):
    return make_case(person)


@pytest.fixture
def device(person):
    """An app client signed in as ``person``: returns (client, raw token header)."""
    _token, raw = DeviceToken.issue(person, "phone")
    return f"Device {raw}"


def image_bytes(fmt="JPEG", size=(40, 30), exif_gps=False):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "N", 2: (31.0, 57.0, 0.0), 3: "E", 4: (35.0, 55.0, 0.0)}  # GPS
        kwargs["exif"] = exif.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def api(client):
    """A test client that calls the staff API with a fresh bearer token of ``user``."""
    from lifeline.core.models import ApiToken

    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_user
