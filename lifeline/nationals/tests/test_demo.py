import random

from lifeline.core.models import Organisation, OrganisationKind
from lifeline.geo.models import AdminArea, Country
from lifeline.nationals import demo
from lifeline.nationals.models import HouseholdMember, PostDetails, Registration
from lifeline.nationals.services import find_duplicates


def test_demo_loads_once(ministry, philippines, jordan, lebanon):
    countries = {"PH": philippines, "JO": jordan, "LB": lebanon}
    for code, iso3 in (("AE", "ARE"), ("KW", "KWT")):
        countries[code] = Country.objects.create(code=code, iso3=iso3)
    areas = {
        pcode: AdminArea.objects.create(country=jordan, pcode=pcode, name=pcode)
        for pcode in {p[2] for p in demo.PLACES if p[2]}
    }
    orgs = {"mfa-ph": ministry}
    for key, country in (("emb-amman", "JO"), ("emb-beirut", "LB"), ("cg-dubai", "AE"), ("emb-kuwait", "KW")):
        orgs[key] = Organisation.objects.create(
            name=key, kind=OrganisationKind.CONSULAR_POST, country=countries[country], parent=ministry
        )
    lines = []
    demo.load(orgs=orgs, areas=areas, countries=countries, rng=random.Random(1), write=lines.append)
    demo.load(orgs=orgs, areas=areas, countries=countries, rng=random.Random(1), write=lines.append)
    assert Registration.objects.count() == demo.COUNT + 3
    assert PostDetails.objects.count() == 4
    assert len(find_duplicates(Registration.objects.all())) >= 3
    assert HouseholdMember.objects.filter(unaccompanied=True).exists()
    assert Registration.objects.filter(document_status="held").exists()
    first = Registration.objects.exclude(phone="").first()
    assert first.phone_index and first.expires_on  # bulk-created rows are prepared like saved ones
    assert "already loaded" in lines[-1]
