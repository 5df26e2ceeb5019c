"""Boundaries from OCHA COD-AB files: both namings, levels 1–3 with parents, every language, refusals."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lifeline.geo.models import AdminArea, Country
from lifeline.geo.services import boundaries_geojson

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "geo"


def square(x, y, size=1.0):
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


@pytest.fixture
def ecuador(db):
    return Country.objects.get_or_create(code="EC", defaults={"iso3": "ECU"})[0]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return str(path)


def load(path, country="EC", *extra):
    call_command("import_areas", path, "--country", country, *extra)


def test_three_levels_in_the_newer_naming_with_parents_and_every_language(tmp_path, ecuador, capsys):
    adm1 = collection(
        feature(
            {"ADM1_PCODE": "EC01", "ADM1_ES": "Azuay", "ADM1_EN": "Azuay", "ADM1_FR": "Azuay (fr)"},
            square(0, 0, 2),
        ),
        feature({"ADM1_PCODE": "EC02", "ADM1_ES": "Bolívar", "ADM1_EN": "Bolivar"}, square(2, 0, 2)),
    )
    adm2 = collection(
        feature({"ADM2_PCODE": "EC0101", "ADM2_ES": "Cuenca", "ADM1_PCODE": "EC01"}, square(0, 0)),
        feature({"ADM2_PCODE": "EC0201", "ADM2_ES": "Guaranda", "ADM1_PCODE": "EC02"}, square(2, 0)),
    )
    adm3 = collection(
        feature(
            {"ADM3_PCODE": "EC010101", "ADM3_ES": "El Sagrario", "ADM2_PCODE": "EC0101"}, square(0, 0, 0.5)
        )
    )
    load(write(tmp_path, "adm1.geojson", adm1))
    assert "2 areas created, 0 updated." in capsys.readouterr().out
    load(write(tmp_path, "adm2.geojson", adm2))
    load(write(tmp_path, "adm3.geojson", adm3))
    parish = AdminArea.objects.get(pcode="EC010101")
    assert parish.level == 3 and parish.parent.pcode == "EC0101" and parish.parent.parent.pcode == "EC01"
    assert parish.name == "El Sagrario" and parish.names == {"es": "El Sagrario"}
    azuay = AdminArea.objects.get(pcode="EC01")
    assert azuay.names == {"es": "Azuay", "fr": "Azuay (fr)"} and azuay.parent is None
    load(write(tmp_path, "adm1.geojson", adm1))  # again: updated, not duplicated
    assert "0 areas created, 2 updated." in capsys.readouterr().out
    assert AdminArea.objects.filter(country=ecuador).count() == 5


def test_the_older_naming_with_english_and_arabic_in_either_column(tmp_path, jordan):
    adm1 = collection(
        feature(
            {"admin1Pcode": "JO11", "admin1Name_en": "Amman", "admin1Name_ar": "عمان"}, square(35.5, 31.5)
        ),
        feature({"admin1Pcod": "JO21", "admin1Name": "إربد", "admin1Na_1": "Irbid"}, square(35.5, 32.5)),
    )
    adm2 = collection(
        feature(
            {
                "admin2Pcod": "JO1101",
                "admin2Name": "Qasabet Amman",
                "admin2Na_1": "لواء قصبة عمان",
                "admin1Pcod": "JO11",
            },
            square(35.5, 31.5, 0.5),
        )
    )
    load(write(tmp_path, "a.geojson", adm1), "JO")
    load(write(tmp_path, "b.geojson", adm2), "JO")
    amman, irbid, qasaba = (AdminArea.objects.get(pcode=p) for p in ("JO11", "JO21", "JO1101"))
    assert (amman.name, amman.name_local) == ("Amman", "عمان")
    assert (irbid.name, irbid.name_local) == ("Irbid", "إربد")
    assert (qasaba.name, qasaba.name_local, qasaba.parent) == ("Qasabet Amman", "لواء قصبة عمان", amman)


@pytest.mark.skipif(not (DATA / "geo_ecu_admbnda_adm1.geojson").exists(), reason="reference data not present")
def test_real_files_of_jordan_and_a_second_country_load_side_by_side(ecuador, jordan):
    load(str(DATA / "geo_jor_admbnda_adm1_jdos.geojson"), "JO")
    load(str(DATA / "geo_jor_admbnda_adm2_jdos.geojson"), "JO")
    load(str(DATA / "geo_ecu_admbnda_adm1.geojson"), "EC")
    assert AdminArea.objects.filter(country=jordan, level=1).count() == 12
    assert AdminArea.objects.filter(country=jordan, level=2, parent__level=1).count() == 51
    assert AdminArea.objects.filter(country=ecuador).count() == 25
    azuay = AdminArea.objects.get(pcode="EC01")
    assert azuay.name == "Azuay" and azuay.names["es"] == "Azuay"
    # detailed outlines carry a lighter copy for maps; the exact one stays for analysis
    detailed = AdminArea.objects.exclude(display_geometry="")
    assert detailed.exists()
    for area in detailed[:3]:
        assert len(area.display_geometry) < len(area.geometry)
    assert len(boundaries_geojson()["features"]) == 12 + 25


BAD = {
    "wrong headers": (
        collection(feature({"NAME": "Somewhere", "CODE": "X1"}, square(0, 0))),
        "no P-code column",
    ),
    "no name": (collection(feature({"ADM1_PCODE": "EC09"}, square(0, 0))), "Feature 1 has no P-code or name"),
    "broken geometry": (
        collection(
            feature(
                {"ADM1_PCODE": "EC09", "ADM1_EN": "X"}, {"type": "Polygon", "coordinates": [[[0, 0], [1]]]}
            )
        ),
        "Feature 1 (EC09): its geometry cannot be read",
    ),
    "not lon/lat": (
        collection(feature({"ADM1_PCODE": "EC09", "ADM1_EN": "X"}, square(500000, 9000000, 1000))),
        "not longitude and latitude",
    ),
    "html": (b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "web page"),
    "not json": (b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
    "orphan level 2": (
        collection(feature({"ADM2_PCODE": "EC0901", "ADM2_EN": "X", "ADM1_PCODE": "EC09"}, square(0, 0))),
        "its parent EC09 is not loaded",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_files_are_refused_with_the_reason_and_nothing_written(tmp_path, ecuador, capsys, case):
    good = feature({"ADM1_PCODE": "EC01", "ADM1_EN": "Azuay"}, square(0, 0))
    content, reason = BAD[case]
    if isinstance(content, dict) and case not in (
        "orphan level 2",
        "wrong headers",
    ):  # a good feature first: the bad one must stop it too
        content = collection(good, *content["features"])
        reason = reason.replace("Feature 1", "Feature 2")
    with pytest.raises(CommandError, match="Nothing was imported"):
        load(write(tmp_path, "bad.geojson", content))
    assert reason in capsys.readouterr().err
    assert not AdminArea.objects.filter(country=ecuador).exists()


def test_a_byte_order_mark_is_read_past(tmp_path, ecuador):
    content = (
        b"\xef\xbb\xbf"
        + json.dumps(collection(feature({"ADM1_PCODE": "EC01", "ADM1_EN": "Azuay"}, square(0, 0)))).encode()
    )
    load(write(tmp_path, "bom.geojson", content))
    assert AdminArea.objects.get(pcode="EC01").name == "Azuay"


def test_a_dry_run_writes_nothing(tmp_path, ecuador, capsys):
    load(
        write(
            tmp_path, "a.geojson", collection(feature({"ADM1_PCODE": "EC01", "ADM1_EN": "A"}, square(0, 0)))
        ),
        "EC",
        "--dry-run",
    )
    assert "Dry run: 1 areas created" in capsys.readouterr().out
    assert not AdminArea.objects.exists()
