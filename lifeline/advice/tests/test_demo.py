import random

from django.contrib.auth import get_user_model

from lifeline.advice import demo
from lifeline.advice.models import AdviceVersion, Briefing, State, TravelAdvice
from lifeline.core.models import Role, Scope, StaffProfile
from lifeline.geo.models import Country


def test_the_demo_publishes_advice_through_approval_and_loads_twice(
    ministry, post_amman, post_beirut, jordan, lebanon, kuwait, client
):
    uae = Country.objects.get_or_create(code="AE", defaults={"iso3": "ARE"})[0]
    User = get_user_model()
    for name, org, role, scope in (
        ("consul", post_amman, Role.OFFICER, Scope.OWN),
        ("ministry", ministry, Role.COORDINATOR, Scope.CHILDREN),
    ):
        StaffProfile.objects.create(
            user=User.objects.create_user(name), organisation=org, role=role, scope=scope
        )
    orgs = {"mfa-ph": ministry, "emb-amman": post_amman, "emb-beirut": post_beirut}
    countries = {"JO": jordan, "LB": lebanon, "KW": kuwait, "AE": uae}
    lines = []
    for _ in range(2):
        demo.load(orgs=orgs, areas={}, countries=countries, rng=random.Random(1), write=lines.append)
    assert TravelAdvice.objects.count() == 5 and Briefing.objects.count() == 1
    published = {
        (v.advice.country.code, v.advice.region): v.level
        for v in AdviceVersion.objects.filter(state=State.PUBLISHED)
    }
    assert published == {
        ("JO", ""): 2,
        ("LB", ""): 3,
        ("LB", "Areas near the southern border"): 4,
        ("KW", ""): 1,
        ("AE", ""): 1,
    }
    jordan_versions = AdviceVersion.objects.filter(advice__country=jordan).order_by("number")
    assert [v.state for v in jordan_versions] == [State.SUPERSEDED, State.PUBLISHED]
    assert all(v.author.username == "consul" and v.approver.username == "ministry" for v in jordan_versions)
    assert set(Briefing.objects.get().texts.values_list("language", flat=True)) == {"en", "fil", "ar"}
    post_amman.refresh_from_db()
    assert post_amman.phone  # the posts' contact details, shown under "where to get help"
    assert "Level 2" in client.get("/advice/jo/", {"lang": "fil"}).content.decode()
