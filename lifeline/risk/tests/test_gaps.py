"""Gaps per area: on known data, the page (phone-friendly tables), and the CSV/XLSX export."""

import csv
import io

import openpyxl
from django.urls import reverse

from lifeline.core.models import Language, Role
from lifeline.risk.gaps import gaps


def _world(org_a, areas):
    from lifeline.communities.models import CommunityProfile
    from lifeline.directory.models import KeyContact
    from lifeline.interpreters.models import Interpreter, LanguagePair
    from lifeline.plans.models import Plan

    tamils = CommunityProfile.objects.create(organisation=org_a, name="Tamil workers", estimated_size=900)
    tamils.languages.set([Language.lookup("ta"), Language.lookup("ar")])
    tamils.areas.set([areas["amman"]])
    nepali = CommunityProfile.objects.create(organisation=org_a, name="Nepali carers", estimated_size=300)
    nepali.languages.set([Language.lookup("ne")])
    nepali.areas.set([areas["amman"]])
    leader = KeyContact.objects.create(organisation=org_a, name="Selvi")
    nepali.focal_points.set([leader])
    interpreter = Interpreter.objects.create(
        organisation=org_a, full_name="Kumar", home_area=areas["amman"], consent_stored=True
    )
    LanguagePair.objects.create(
        interpreter=interpreter, source=Language.lookup("ta"), target=Language.lookup("ar")
    )
    plan = Plan.objects.create(organisation=org_a, title="Amman flood plan")
    plan.areas.set([areas["amman"]])


def test_gaps_per_area_on_known_data(make_user, org_a, areas):
    _world(org_a, areas)
    rows = {row.area.pcode: row for row in gaps(make_user(org_a))}
    amman, irbid = rows["JO11"], rows["JO21"]
    languages = {lang.spoken.code: lang for lang in amman.languages}
    assert [lang.spoken.code for lang in amman.languages] == ["ar", "ta", "ne"]  # most people first
    assert languages["ta"].interpreters == 1 and languages["ne"].interpreters == 0
    # Arabic is in every alert template; Tamil and Nepali are not.
    assert languages["ar"].templates_missing == [] and languages["ta"].templates_missing
    assert "interpreter" in languages["ne"].gaps and "advice" in languages["ne"].gaps
    assert amman.communities_without_focal_point == ["Tamil workers"]
    assert amman.plans == ["Amman flood plan"]
    assert irbid.languages == [] and irbid.plans == []


def test_the_gaps_page_and_its_exports(login, make_user, org_a, areas):
    _world(org_a, areas)
    client = login(make_user(org_a, role=Role.COORDINATOR))
    page = client.get(reverse("risk:gaps")).content.decode()
    assert "Tamil workers" in page and "No plan in the register covers this area." in page
    data = client.get(reverse("risk:gaps") + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][:4] == ["Area", "P-code", "Language", "People"]
    assert rows[2][:4] == ["Amman", "JO11", "Tamil", "900"]
    response = client.get(reverse("risk:gaps") + "?format=xlsx&country=Jordan")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Area" and any(r[:3] == ["Irbid", "JO21", None] for r in values)


def test_the_gaps_page_in_french_and_no_export_for_an_officer(login, make_user, org_a, areas):
    _world(org_a, areas)
    client = login(make_user(org_a))
    page = client.get(reverse("risk:gaps"), headers={"accept-language": "fr"})
    assert "Lacunes par zone" in page.content.decode()
    assert client.get(reverse("risk:gaps") + "?format=csv").status_code == 403


def test_the_gaps_read_the_database_as_often_for_six_areas_as_for_two(make_user, org_a, areas, jordan):
    """Languages, communities and plans of every area in one batched pass: the same number of
    queries whatever the number of areas, and the same answer per area as before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lifeline.communities.models import CommunityProfile
    from lifeline.geo.models import AdminArea
    from lifeline.plans.models import Plan

    _world(org_a, areas)
    more = []
    for n in range(4):
        top = AdminArea.objects.create(country=jordan, pcode=f"JO9{n}", name=f"Area {n}")
        inner = AdminArea.objects.create(country=jordan, pcode=f"JO9{n}1", name=f"District {n}", parent=top)
        profile = CommunityProfile.objects.create(organisation=org_a, name=f"Group {n}", estimated_size=40)
        profile.languages.set([Language.lookup("ne")])
        profile.areas.set([inner])
        plan = Plan.objects.create(organisation=org_a, title=f"Plan {n}")
        plan.areas.set([top if n % 2 else inner])
        more.append(top)
    user = make_user(org_a)
    every = [areas["amman"], areas["irbid"], *more]
    counts = []
    for some in (every[:2], every):
        with CaptureQueriesContext(connection) as queries:
            rows = gaps(user, areas=some)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    by_pcode = {row.area.pcode: row for row in rows}
    assert by_pcode["JO90"].communities_without_focal_point == ["Group 0"]
    assert by_pcode["JO90"].plans == ["Plan 0"] and by_pcode["JO91"].plans == ["Plan 1"]
    assert [lang.spoken.code for lang in by_pcode["JO92"].languages] == ["ne"]
    assert by_pcode["JO11"].plans == ["Amman flood plan"] and by_pcode["JO21"].plans == []
