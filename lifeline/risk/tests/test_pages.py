"""The risk map page and its downloads: the same numbers as the analysis, for whom may see them."""

import csv
import io
import json

import openpyxl
from django.urls import reverse

from lifeline.core.models import Role


def config_of(page):
    text = page.content.decode()
    start = text.index('id="risk-map-config"')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


def test_the_planner_sees_the_map_and_the_table_with_the_same_numbers(scene, login, make_user, org_a):
    page = login(make_user(org_a, role=Role.COORDINATOR)).get(reverse("risk:map"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<td>Amman</td><td>JO11</td><td class="num">600</td><td class="num">1,080</td>' in html
    assert "Census (2015-01-01); Survey (2024-01-01)" in html
    assert '<th scope="col">Languages of the origin group</th>' in html
    config = config_of(page)
    west = next(f for f in config["areas"]["features"] if f["properties"]["pcode"] == "JO11")
    assert (west["properties"]["low"], west["properties"]["high"]) == (600, 1080)
    assert {f["properties"]["layer"] for f in config["zones"]["features"]} == {"Floods", "Quakes"}
    assert config["tiles"] == ""  # no tile server in tests: the boundaries alone are drawn
    assert reverse("risk:export_csv") in html


def test_downloads_read_back(scene, login, make_user, org_a):
    client = login(make_user(org_a, role=Role.COORDINATOR))
    answer = client.get(reverse("risk:export_csv"), {"country": "JO", "hxl": "1"})
    assert answer["Content-Disposition"].startswith('attachment; filename="exposure-JO-')
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["#loc+code", "#loc+name", "#country+code+origin"]
    assert rows[1][-1] == "#meta+languages" and "fil" in next(r for r in rows[2:] if r[2] == "PH")[-1].split()
    assert ["JO11", "Amman", "PH", "Floods", "Flood", "High", "50.0", "500", "800"] in [r[:9] for r in rows]
    answer = client.get(reverse("risk:export_xlsx"), {"country": "JO"})
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    values = [row[:9] for row in sheet.iter_rows(values_only=True)]
    assert (
        values[0][0] == "P-code"
        and ("JO11", "Amman", "PH", "Floods", "Flood", "High", 50, 500, 800) in values
    )


def test_an_officer_sees_but_does_not_download_and_a_partner_sees_nothing(
    scene, login, make_user, org_a, client
):
    officer = make_user(org_a, role=Role.OFFICER)
    page = login(officer).get(reverse("risk:map"))
    assert page.status_code == 200 and reverse("risk:export_csv") not in page.content.decode()
    assert client.get(reverse("risk:export_csv")).status_code == 403
    client.logout()
    assert login(make_user(org_a, role=Role.PARTNER)).get(reverse("risk:map")).status_code == 403


def test_registered_nationals_show_only_to_their_post(scene, login, make_user, post_amman, org_a):
    post_rows = login(make_user(post_amman, role=Role.COORDINATOR)).get(reverse("risk:export_csv")).content
    assert "registrations" in post_rows.decode("utf-8-sig")
    host_rows = login(make_user(org_a, role=Role.COORDINATOR)).get(reverse("risk:export_csv")).content
    assert "registrations" not in host_rows.decode("utf-8-sig")


def test_the_page_reads_right_to_left_in_arabic(scene, login, make_user, org_a):
    page = login(make_user(org_a, role=Role.COORDINATOR)).get(reverse("risk:map"), HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in page.content.decode()
