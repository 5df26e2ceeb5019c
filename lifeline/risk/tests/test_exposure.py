"""Hazard layers in, and exposure on geometry whose answer is worked out by hand."""

import csv
import datetime
import io
import json
import math

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from lifeline.core.models import Role
from lifeline.risk import exposure
from lifeline.risk.exposure import HOME, HOST, compute, shares
from lifeline.risk.hazards import import_hazard_layer
from lifeline.risk.models import HazardLayer, HazardZone

from .conftest import layer, rectangle, square, zone


def test_a_hazard_layer_is_checked_then_replaced_whole(tmp_path, grid, org_a, capsys):
    path = tmp_path / "floods.geojson"
    path.write_bytes(layer(zone(rectangle(0, 0, 0.5, 1)), zone(rectangle(1, 0, 2, 1), "earthquake", "3")))
    call_command(
        "import_hazards",
        str(path),
        "--name",
        "Floods",
        "--source",
        "Water ministry",
        "--date",
        "2025-05-01",
        "--country",
        "JO",
    )
    assert "2 hazard zones read." in capsys.readouterr().out
    flood_layer = HazardLayer.objects.get()
    assert (flood_layer.source, flood_layer.date, flood_layer.organisation) == (
        "Water ministry",
        datetime.date(2025, 5, 1),
        org_a,
    )
    assert sorted(HazardZone.objects.values_list("hazard", "level")) == [
        ("earthquake", "high"),
        ("flood", "high"),
    ]
    path.write_bytes(layer(zone(rectangle(0, 0, 0.5, 1), level="low")))
    call_command("import_hazards", str(path), "--name", "Floods", "--source", "Water ministry")
    assert list(HazardZone.objects.values_list("level", flat=True)) == ["low"]


@pytest.mark.parametrize(
    "content, message",
    [
        (layer(zone(rectangle(0, 0, 1, 1), hazard="meteor")), "Feature 1: “meteor” is not one of"),
        (
            layer(zone(rectangle(0, 0, 1, 1), level="purple")),
            "Feature 1: “purple” is not a likelihood or severity class",
        ),
        (layer(zone({"type": "Point", "coordinates": [0, 0]})), "Feature 1: its geometry is not a polygon"),
        (
            layer(zone({"type": "Polygon", "coordinates": [[[0, 0], [1, "x"]]]})),
            "Feature 1: its geometry cannot be read",
        ),
        (b"<html><body>Service unavailable</body></html>", "web page"),
        (b'{"type": "Feature"}', "Expected a GeoJSON FeatureCollection"),
    ],
)
def test_bad_hazard_files_are_refused_and_nothing_written(grid, org_a, content, message):
    good = zone(rectangle(0, 0, 1, 1))
    if content.startswith(b'{"type": "FeatureCollection"'):
        data = json.loads(content)
        data["features"].insert(0, good)
        content, message = json.dumps(data).encode(), message.replace("Feature 1", "Feature 2")
    with pytest.raises(ValidationError) as caught:
        import_hazard_layer(content, org_a, "Bad", "Somewhere")
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert not HazardLayer.objects.exists() and not HazardZone.objects.exists()


def test_shares_are_computed_on_an_equal_area_projection():
    import numpy as np
    from shapely.geometry import shape

    # a zone over the half of a square cut along a meridian covers half of it, at any latitude
    areas = np.array([shape(square(10, 40))])
    _a, _z, share = shares(areas, np.array([shape(rectangle(10, 40, 10.5, 41))]))
    assert share[0] == pytest.approx(0.5, abs=1e-6)
    # cut along a parallel, the southern half of 0–60°N is larger: sin 30° / sin 60° on a sphere
    tall = np.array([shape(rectangle(0, 0, 1, 60))])
    _a, _z, share = shares(tall, np.array([shape(rectangle(0, 0, 1, 30))]))
    assert share[0] == pytest.approx(math.sin(math.radians(30)) / math.sin(math.radians(60)), abs=0.005)
    assert share[0] > 0.55  # in degrees it would have been 0.5


def table(rows):
    return {(r.pcode, r.origin, r.layer, r.basis): (r.low, r.high, r.share, r.sources) for r in rows}


def test_exposure_by_hand(scene, org_a, make_user):
    found = table(compute(make_user(org_a, role=Role.COORDINATOR)))
    # the flood covers half the west: 1,000–1,600 Filipinos → 500–800; 400 Sri Lankans over two areas → 100
    assert found[("JO11", "PH", "Floods", HOST)] == (
        500,
        800,
        0.5,
        ["Census (2015-01-01)", "Survey (2024-01-01)"],
    )
    assert found[("JO11", "LK", "Floods", HOST)] == (100, 100, 0.5, ["Embassy (2023-06-01)"])
    # the earthquake covers all the east and a tenth of the west
    assert found[("JO21", "EG", "Quakes", HOST)][:3] == (200, 200, 1.0)
    assert found[("JO21", "LK", "Quakes", HOST)][:2] == (200, 200)
    assert found[("JO11", "PH", "Quakes", HOST)][:2] == (100, 160)
    assert found[("JO11", "PH", "Quakes", HOST)][2] == pytest.approx(0.1, abs=1e-3)
    assert ("JO21", "PH", "Floods", HOST) not in found
    # none of the registrations is of the coordinator's organisation: no home rows
    assert not [key for key in found if key[3] == HOME]


def test_registrations_are_counted_exactly_for_the_post_and_nobody_else(
    scene, post_amman, make_user, org_b, immigration
):
    found = table(compute(make_user(post_amman, role=Role.COORDINATOR)))
    low, high, share, sources = found[("JO11", "PH", "Floods", HOME)]
    assert (low, high) == (3, 3) and sources[0].startswith("Registrations")
    assert ("JO11", "PH", "Quakes", HOME) not in found  # 0.8°E lies outside both zones
    assert not [k for k in table(compute(make_user(org_b))) if k[3] == HOME]
    assert compute(make_user(immigration)) == [] or not [
        k for k in table(compute(make_user(immigration))) if k[3] == HOME
    ]


def test_a_role_without_risk_analysis_sees_nothing(scene, org_a, make_user):
    assert compute(make_user(org_a, role=Role.PARTNER)) == []


def test_the_command_writes_csv_and_xlsx_with_hxl_tags(tmp_path, scene, capsys):
    out = tmp_path / "exposure.csv"
    call_command("exposure", "--country", "JO", "--format", "csv", "--hxl", "-o", str(out))
    assert "rows to" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["P-code", "Area", "Origin"] and rows[1][0] == "#loc+code"
    by_key = {(r[0], r[2], r[3], r[9]): r for r in rows[2:]}
    flood = by_key[("JO11", "PH", "Floods", "presence estimates")]
    assert flood[6:9] == ["50.0", "500", "800"] and "Census (2015-01-01)" in flood[10]
    assert by_key[("JO11", "PH", "Floods", "registrations")][7:9] == ["3", "3"]
    xlsx = tmp_path / "exposure.xlsx"
    call_command("exposure", "--format", "xlsx", "-o", str(xlsx))
    sheet = openpyxl.load_workbook(xlsx).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "P-code" and len(values) == len(rows) - 1
    assert ("JO11", "Amman", "PH", "Floods") in {v[:4] for v in values[1:]}
    with pytest.raises(CommandError):
        call_command("exposure", "--country", "XX", "-o", str(out))


def test_by_area_sums_for_the_map(scene, org_a, make_user):
    summary = exposure.by_area(compute(make_user(org_a, role=Role.COORDINATOR)))
    # west: worst single zone per origin (PH flood 500, LK flood 100) → 600; every zone's high: 800+160+100+20
    assert summary[scene["west"].pk] == (600, 1080)


def test_the_map_does_not_add_registrations_to_the_estimates_of_the_same_people(scene, post_amman, make_user):
    rows = compute(make_user(post_amman, role=Role.COORDINATOR))
    summary = exposure.by_area(rows)
    # Filipinos in the west: estimates 500–800 (flood) and 100–160 (quake), 3 registered in the flood:
    # the larger figure of the two stands for them; Sri Lankans add 100 (+20 in the quake zone)
    assert summary[scene["west"].pk] == (500 + 100, 800 + 160 + 100 + 20)


def test_the_table_names_the_languages_of_each_origin_group(tmp_path, scene):
    """Each row carries its origin group's languages from the table of languages of origin
    groups (the same reading spoken_in makes): exposed people per area × language can be read,
    and an edit of the table shows in the next export."""
    from lifeline.risk.languages import origin_languages
    from lifeline.risk.models import OriginLanguage

    out = tmp_path / "exposure.csv"
    call_command("exposure", "--country", "JO", "--format", "csv", "--hxl", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][-1] == "Languages of the origin group" and rows[1][-1] == "#meta+languages"
    by_key = {(r[0], r[2], r[3], r[9]): r for r in rows[2:]}
    filipinos = by_key[("JO11", "PH", "Floods", "presence estimates")][-1].split()
    assert filipinos == [r.language for r in origin_languages("PH")] and {"fil", "en"} <= set(filipinos)
    sri_lankans = by_key[("JO11", "LK", "Floods", "presence estimates")][-1].split()
    assert sri_lankans[0] == "si" and "ta" in sri_lankans
    # Sinhala speakers' group exposed to the flood in Amman: the Sri Lankans' row, 100 people.
    sinhala = [r for r in rows[2:] if r[0] == "JO11" and r[3] == "Floods" and "si" in r[-1].split()]
    assert [(r[2], r[7], r[8]) for r in sinhala] == [("LK", "100", "100")]
    OriginLanguage.objects.create(country="LK", language="ms", share=50, source="Survey")
    call_command("exposure", "--country", "JO", "--format", "csv", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert "ms" in next(r for r in rows[1:] if r[2] == "LK")[-1].split()
