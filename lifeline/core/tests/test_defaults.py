"""Local phone numbers on staff forms and their APIs, and the defaults a form starts with (core/defaults)."""

import pytest
from django.urls import reverse

from lifeline.core import defaults
from lifeline.core.models import ApiToken, Organisation, OrganisationKind, Role, Scope
from lifeline.directory.models import KeyContact
from lifeline.geo.models import Country
from lifeline.nationals.forms import RegistrationForm
from lifeline.nationals.models import Registration
from lifeline.nationals.tests.test_registration_pages import form_data
from lifeline.nationals.tests.test_staff_api import payload

LOCAL = "079 123 4567"  # as dialled in Jordan
E164 = "+962791234567"

CONTACT = {
    "name": "Sri Lankan Community",
    "kind": "organisation",
    "category": "migrant_association",
    "trust_level": "unknown",
    "agreement_status": "none",
}


@pytest.fixture
def api(client):
    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_user


# Phones --------------------------------------------------------------------------------


def test_contact_page_reads_a_local_number_in_the_organisations_country(login, make_user, org_a):
    client = login(make_user(org_a))
    data = dict(CONTACT, organisation=org_a.pk, channels=f"phone:{LOCAL}\nwhatsapp:0791234567")
    assert client.post(reverse("contacts:create"), data).status_code == 302
    contact = KeyContact.objects.get(name=CONTACT["name"])
    assert contact.channels == [{"type": "phone", "value": E164}, {"type": "whatsapp", "value": E164}]


def test_contact_page_reads_the_number_in_the_chosen_organisations_country(login, make_user, org_a, ministry):
    # The user may write for a Jordanian agency and a Philippine ministry: the one chosen decides.
    user = make_user(org_a, scope=Scope.DEPLOYMENT, role=Role.COORDINATOR)
    data = dict(CONTACT, organisation=ministry.pk, channels="phone:0917 123 4567")
    assert login(user).post(reverse("contacts:create"), data).status_code == 302
    assert KeyContact.objects.get().channels == [{"type": "phone", "value": "+639171234567"}]


def test_contact_page_refuses_a_number_that_is_not_local_either(login, make_user, org_a):
    client = login(make_user(org_a))
    data = dict(CONTACT, organisation=org_a.pk, channels="phone:0123")
    response = client.post(reverse("contacts:create"), data)
    assert response.status_code == 200 and "“0123” is not a valid phone number." in response.text
    assert not KeyContact.objects.exists()


def test_contacts_api_reads_a_local_number(api, make_user, org_a):
    client = api(make_user(org_a))
    body = {"name": "Nepali Society", "category": "ngo", "channels": [{"type": "sms", "value": LOCAL}]}
    response = client.post("/api/contacts", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["channels"] == [{"type": "sms", "value": E164}]


def test_registration_page_reads_local_numbers_in_the_posts_country(login, make_user, post_amman, jordan):
    consul = make_user(post_amman)
    philippines = post_amman.parent.country
    data = form_data(jordan, philippines, phone=LOCAL, contact_phone="0795 555 555")
    response = login(consul).post(reverse("nationals:create"), data)
    assert response.status_code == 302, response.content
    registration = Registration.objects.get()
    assert registration.phone == E164
    assert registration.emergency_contact["phone"] == "+962795555555"


def test_registration_page_refuses_a_bad_local_number_and_saves_nothing(login, make_user, post_amman, jordan):
    data = form_data(jordan, post_amman.parent.country, phone="0123")
    response = login(make_user(post_amman)).post(reverse("nationals:create"), data)
    assert response.status_code == 200 and "“0123” is not a valid phone number." in response.text
    assert not Registration.objects.exists()


def test_staff_api_reads_a_local_number_in_the_posts_country(api, make_user, post_amman, jordan):
    client = api(make_user(post_amman))
    body = payload(country="JO", phone=LOCAL, organisation=post_amman.pk)
    response = client.post("/api/nationals", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Registration.objects.get().phone == E164


def test_staff_api_reads_a_local_number_in_the_users_country_when_the_post_is_assigned(
    api, make_user, post_amman, jordan
):
    body = payload(country="JO", phone=LOCAL, emergency_contact={"phone": "0795555555"})
    response = api(make_user(post_amman)).post("/api/nationals", body, content_type="application/json")
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert registration.phone == E164 and registration.emergency_contact["phone"] == "+962795555555"


def test_with_the_post_left_to_the_place_of_stay_a_local_number_is_read_in_that_country(
    login, api, make_user, ministry, post_amman, jordan
):
    # A ministry's coordinator (in the Philippines) registers someone in Jordan, post assigned by place.
    user = make_user(ministry, role=Role.COORDINATOR, scope=Scope.CHILDREN)
    data = form_data(jordan, ministry.country, phone=LOCAL, organisation="")
    assert login(user).post(reverse("nationals:create"), data).status_code == 302
    body = payload(country="JO", phone="0795555555", given_names="Ben")
    assert api(user).post("/api/nationals", body, content_type="application/json").status_code == 201
    assert sorted(Registration.objects.values_list("organisation", flat=True)) == [post_amman.pk] * 2
    assert sorted(r.phone for r in Registration.objects.all()) == [E164, "+962795555555"]
    assert defaults.phone_region(user) == "PH" and defaults.phone_region(user, country=jordan) == "JO"


def test_without_a_region_only_international_numbers_are_read():
    from django.core.exceptions import ValidationError

    from lifeline.nationals.forms import PhoneField

    assert PhoneField(region="JO").clean(LOCAL) == E164
    assert PhoneField().clean("+962 79 123 4567") == E164
    with pytest.raises(ValidationError):
        PhoneField().clean(LOCAL)


# Defaults ------------------------------------------------------------------------------


def test_new_registration_starts_with_the_ministrys_country_the_users_post_and_its_country(
    make_user, post_amman, jordan, philippines
):
    user = make_user(post_amman)
    organisations = Organisation.objects.filter(pk=post_amman.pk)
    form = RegistrationForm(organisations=organisations, user=user)
    assert form["nationality"].value() == philippines.pk
    assert form["organisation"].value() == post_amman.pk
    assert form["country"].value() == jordan.pk


def test_a_ministry_user_gets_no_post_and_no_country_when_posts_cover_several(
    make_user, ministry, post_amman, post_beirut, philippines
):
    user = make_user(ministry, role=Role.COORDINATOR, scope=Scope.CHILDREN)
    organisations = Organisation.objects.filter(pk__in=[post_amman.pk, post_beirut.pk])
    form = RegistrationForm(organisations=organisations, user=user)
    assert form["nationality"].value() == philippines.pk
    assert form["organisation"].value() is None and form["country"].value() is None


def test_an_edit_keeps_what_the_registration_says(make_user, post_amman, make_registration, lebanon):
    registration = make_registration(post_amman, country=lebanon, nationality=lebanon)
    form = RegistrationForm(
        instance=registration, organisations=Organisation.objects.all(), user=make_user(post_amman)
    )
    assert form["nationality"].value() == lebanon.pk and form["country"].value() == lebanon.pk


def test_the_new_registration_page_shows_the_defaults(login, make_user, post_amman, jordan):
    response = login(make_user(post_amman)).get(reverse("nationals:create"))
    page = response.text
    assert response.status_code == 200
    assert f'<option value="{post_amman.pk}" selected>' in page
    assert f'<option value="{jordan.pk}" selected>' in page
    assert f'<option value="{post_amman.parent.country.pk}" selected>' in page


def test_residence_country_only_when_the_post_covers_one(post_amman, jordan, lebanon):
    assert defaults.residence_country(post_amman) == jordan
    post_amman.jurisdiction_countries.add(lebanon)
    assert defaults.residence_country(post_amman) is None
    assert defaults.residence_country(None) is None


def test_nationality_is_none_outside_the_home_stream(make_user, org_a):
    assert defaults.nationality(make_user(org_a)) is None
    assert defaults.nationality(None) is None


def test_the_only_country_of_a_one_country_deployment_is_preselected(make_user, org_a, org_b, jordan):
    assert defaults.only_country() == jordan
    assert defaults.only_country(Organisation.objects.filter(pk=org_a.pk)) == jordan
    Organisation.objects.create(
        name="Ministry",
        kind=OrganisationKind.FOREIGN_AFFAIRS,
        country=Country.objects.create(code="PH", iso3="PHL"),
    )
    assert defaults.only_country() is None  # two countries: a real choice


def test_an_organisations_jurisdiction_decides_before_the_deployment(post_amman, post_beirut, jordan):
    assert defaults.only_country() is None
    assert defaults.only_country(Organisation.objects.filter(pk=post_amman.pk)) == jordan
    assert defaults.only_country(Organisation.objects.filter(pk__in=[post_amman.pk, post_beirut.pk])) is None


def test_advice_form_preselects_the_posts_only_country(post_amman, jordan):
    from lifeline.advice.forms import AdviceForm

    form = AdviceForm(organisations=Organisation.objects.filter(pk=post_amman.pk))
    assert form["country"].value() == jordan.pk
    assert form["organisation"].value() == post_amman.pk


def test_crisis_form_preselects_the_only_country_but_never_whole_countries(org_a, areas, jordan):
    from lifeline.crises.forms import CrisisForm

    form = CrisisForm(organisations=Organisation.objects.filter(pk=org_a.pk))
    assert form["country"].value() == jordan.pk
    assert not form["countries"].value()  # a whole country affected is never a default


def test_organisation_form_preselects_the_deployments_only_country(org_a, jordan):
    from lifeline.core.forms import OrganisationForm

    form = OrganisationForm(organisations=Organisation.objects.all())
    assert form["country"].value() == jordan.pk
