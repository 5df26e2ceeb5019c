import datetime
import io
import json

import openpyxl
import pytest

from lifeline.geo.models import AdminArea, Country


def square(x, y, size=1.0):
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


@pytest.fixture
def countries(db):
    from lifeline.geo.services import ensure_countries

    ensure_countries()
    return {c.code: c for c in Country.objects.all()}


@pytest.fixture
def grid(countries):
    """Two Jordanian governorates as 1° squares on the equator's latitudes (simple arithmetic),
    and a district inside the first."""
    jordan = countries["JO"]
    west = AdminArea(country=jordan, pcode="JO11", name="Amman", level=1)
    west.set_geometry(square(0, 0))
    west.save()
    east = AdminArea(country=jordan, pcode="JO21", name="Irbid", level=1)
    east.set_geometry(square(1, 0))
    east.save()
    return {"west": west, "east": east}


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


YEARS = [1990, 2000, 2010, 2020]


def desa_workbook(rows, years=YEARS, broken=None):
    """An XLSX in the shape UN DESA publishes International Migrant Stock by destination and origin:
    title rows, a header on rows 10–11 (the sex of each group of year columns above the years), the
    index, names, notes, M49 location codes and type-of-data columns, then regions and countries.
    ``rows``: (destination name, destination code, origin name, origin code, [both], [male], [female])."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    sheet["A1"] = "International Migrant Stock 2020"
    sheet["A3"] = (
        "Table 1. International migrant stock at mid-year by sex and by region, country or area of destination and origin, 1990-2020"
    )
    sheet["A5"] = "United Nations, Department of Economic and Social Affairs, Population Division (2020)."
    sheet["A6"] = "© December 2020 by United Nations"
    fixed = [
        "Index",
        "Region, development group, country or area of destination",
        "Notes of destination",
        "Location code of destination",
        "Type of data of destination",
        "Region, development group, country or area of origin",
        "Location code of origin",
    ]
    first = len(fixed) + 1
    for offset, label in enumerate(["Both sexes", "Males", "Females"]):
        sheet.cell(row=10, column=first + offset * len(years), value=label)
    for column, title in enumerate(fixed + years * 3, start=1):
        sheet.cell(row=11, column=column, value=title)
    for index, (dest, dcode, origin, ocode, both, male, female) in enumerate(rows, start=1):
        sheet.append(
            [index, dest, "", dcode, "B R" if dcode < 900 else None, origin, ocode, *both, *male, *female]
        )
    sheet.append([])
    sheet.append(["Note: (a) refugees included. Source: UN DESA."])
    if broken:
        sheet.cell(row=broken[0], column=broken[1], value=broken[2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def layer(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def zone(geometry, hazard="flood", level="high", label=""):
    return {
        "type": "Feature",
        "properties": {"hazard": hazard, "class": level, "label": label},
        "geometry": geometry,
    }


def rectangle(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


@pytest.fixture
def scene(grid, org_a, post_amman, make_registration, countries):
    """West (0–1°E): 1,000 Filipinos by the census, 1,600 by a survey, and a community profile of
    400 Sri Lankans over both governorates; east (1–2°E): 200 Egyptians. A flood covers the
    western half of the west; an earthquake zone the whole east. Three Filipinos registered at
    a post sit in the flood, one outside it."""
    from lifeline.communities.models import CommunityProfile
    from lifeline.risk.hazards import import_hazard_layer as hazard_import
    from lifeline.risk.presence import import_presence as presence_import

    profiles = CommunityProfile.objects
    presence_import(
        b"pcode,nationality,count\nJO11,PH,1000\nJO21,EG,200\n",
        "c.csv",
        org_a,
        "JO",
        "Census",
        datetime.date(2015, 1, 1),
    )
    presence_import(
        b"pcode,nationality,count\nJO11,PH,1600\n", "s.csv", org_a, "JO", "Survey", datetime.date(2024, 1, 1)
    )
    profile = profiles.create(
        organisation=org_a,
        name="Sri Lankan workers",
        estimated_size=400,
        size_source="Embassy",
        size_date=datetime.date(2023, 6, 1),
    )
    profile.areas.set([grid["west"], grid["east"]])
    profile.origin_countries.set([countries["LK"]])
    hazard_import(
        layer(zone(rectangle(-1, 0, 0.5, 1))), org_a, "Floods", "Water ministry", country=countries["JO"]
    )
    hazard_import(
        layer(zone(rectangle(0.9, -1, 3, 2), "earthquake", "medium")), org_a, "Quakes", "Seismology"
    )
    for lon in (0.2, 0.3, 0.3):
        make_registration(post_amman, location=f"0.5,{lon}")
    make_registration(post_amman, location="0.5,0.8")
    return {"west": grid["west"], "east": grid["east"]}
