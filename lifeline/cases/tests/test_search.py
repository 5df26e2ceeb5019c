"""Cases are found by their person's name, never revealing a person the searcher may not see."""

import pytest

from lifeline.cases.models import Case
from lifeline.cases.services import filter_cases


def _found(user, q):
    return set(filter_cases(Case.objects.for_user(user), user, q=q).values_list("reference", flat=True))


@pytest.fixture
def jose(make_registration, post_amman):
    return make_registration(post_amman, given_names="José Maria", family_name="Dela Cruz")


def test_a_case_is_found_by_its_persons_name(officer, make_case, jose, person):
    mine = make_case(jose)
    other = make_case(person)
    assert _found(officer, "jose cruz") == {mine.reference}  # accents, case and word order do not count
    assert _found(officer, "Dela") == {mine.reference}
    assert _found(officer, mine.reference.lower()) == {mine.reference}
    assert other.reference not in _found(officer, "jose")


def test_a_walk_in_is_found_by_the_name_given(officer, make_case):
    walk_in = make_case(None, contact_name="Ana Reyes", organisation=officer.profile.organisation)
    assert _found(officer, "reyes") == {walk_in.reference}


def test_a_search_never_reveals_another_posts_person(
    officer, beirut_officer, make_case, make_registration, post_beirut
):
    beirut_person = make_registration(post_beirut, given_names="Rosa", family_name="Beirutonly")
    hidden = make_case(beirut_person)
    assert _found(officer, "Beirutonly") == set()
    assert _found(beirut_officer, "Beirutonly") == {hidden.reference}


def test_without_personal_data_a_name_finds_nothing(viewer, officer, make_case, jose):
    case = make_case(jose)
    assert _found(viewer, "jose") == set()
    assert _found(viewer, case.reference) == {case.reference}  # the reference still works


def test_the_list_page_searches_by_name(officer, make_case, jose, login):
    case = make_case(jose)
    client = login(officer)
    page = client.get("/cases/", {"q": "José Dela Cruz"})
    assert page.status_code == 200 and case.reference in page.content.decode()
    assert client.get("/cases/", {"q": "Nobody Here"}).context["total"] == 0


def test_the_api_searches_by_name(officer, make_case, jose, api):
    case = make_case(jose)
    found = api(officer).get("/api/cases", {"q": "cruz"}).json()
    assert [row["reference"] for row in found["items"]] == [case.reference]
