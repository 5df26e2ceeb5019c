"""Demo data for the risk analysis: GDACS events as the poller would have read them (an Orange
earthquake near Amman from the RSS feed, then its Red episode with its shape from the GeoJSON API,
a flood in the Philippines, a cyclone that is over), so that the Amman post has a proposal.

And for the exposure analysis: migrant stock in Jordan (in the shape UN DESA publishes it),
governorate figures by nationality from a survey, and two hazard layers (floods in the wadis of
Amman and Zarqa, the earthquake zone of the Jordan Rift Valley); illustrative figures read through
the importers an operator uses."""

import csv
import datetime
import io
import json
from pathlib import Path

from lifeline.risk import services
from lifeline.risk.services import import_gdacs

DATA = Path(__file__).parent / "data"


def load(write=print, **kwargs):
    load_exposure(kwargs["orgs"], kwargs["countries"])
    totals = [import_gdacs((DATA / name).read_bytes()) for name in ("gdacs_rss.xml", "gdacs_events.geojson")]
    write(
        f"GDACS events: {sum(t['created'] for t in totals)}, proposals: {sum(t['proposals'] for t in totals)}.\n"
    )


# (origin name, M49, both sexes 2010, 2015, 2020, women 2020 share %)
STOCK = [
    ("Egypt", 818, 320000, 560000, 636000, 18),
    ("Philippines", 608, 24000, 31000, 35000, 82),
    ("Sri Lanka", 144, 16000, 21000, 23000, 88),
    ("Bangladesh", 50, 20000, 36000, 48000, 70),
    ("Syrian Arab Republic", 760, 110000, 1260000, 1300000, 50),
]
# Survey of migrant workers by governorate (P-code, nationality, women, men).
PRESENCE = [
    ("JO11", "PH", 16400, 3600),
    ("JO11", "LK", 9100, 1300),
    ("JO11", "EG", 14000, 61000),
    ("JO11", "BD", 6100, 2700),
    ("JO13", "BD", 14800, 6100),
    ("JO13", "EG", 4200, 23500),
    ("JO13", "LK", 1900, 400),
    ("JO12", "EG", 3000, 18000),
    ("JO21", "EG", 2500, 15500),
    ("JO21", "PH", 900, 200),
    ("JO34", "EG", 700, 5200),
    ("JO34", "PH", 1100, 300),
]
FLOODS = [
    (
        "flood",
        "high",
        "Wadi Abdoun and downtown Amman",
        [(35.90, 31.93), (35.96, 31.93), (35.97, 31.96), (35.93, 31.97), (35.89, 31.955)],
    ),
    ("flash_flood", "medium", "Wadi Zarqa", [(36.03, 32.03), (36.15, 32.05), (36.14, 32.10), (36.05, 32.09)]),
    (
        "flash_flood",
        "high",
        "Wadi Musa and Aqaba wadis",
        [(34.95, 29.50), (35.10, 29.50), (35.12, 29.62), (34.97, 29.62)],
    ),
]
RIFT = [
    (
        "earthquake",
        "very_high",
        "Dead Sea transform: Aqaba to the Dead Sea",
        [(34.90, 29.30), (35.30, 29.30), (35.65, 31.20), (35.70, 31.80), (35.45, 31.80), (35.30, 31.20)],
    ),
    ("earthquake", "high", "Jordan Valley", [(35.45, 31.80), (35.70, 31.80), (35.70, 32.70), (35.52, 32.70)]),
]


def stock_csv():
    """The migrant stock as UN DESA lays it out: title rows, the sexes over the years, codes and notes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["International Migrant Stock 2020 (demo extract)"])
    writer.writerow(["Table 1. International migrant stock at mid-year by sex and by destination and origin"])
    writer.writerow([])
    fixed = ["Index", "Region, development group, country or area of destination", "Notes of destination",
             "Location code of destination", "Type of data of destination",
             "Region, development group, country or area of origin", "Location code of origin"]  # fmt: skip
    years = [2010, 2015, 2020]
    writer.writerow([""] * len(fixed) + ["Both sexes", "", "", "Males", "", "", "Females", "", ""])
    writer.writerow(fixed + years * 3)
    writer.writerow([1, "WORLD", "", 900, "", "World", 900] + [""] * 9)
    writer.writerow([2, "Western Asia", "", 922, "", "World", 900] + [""] * 9)
    for index, (origin, code, *both, women) in enumerate(STOCK, start=3):
        female = [round(n * women / 100) for n in both]
        male = [n - f for n, f in zip(both, female, strict=True)]
        writer.writerow([index, "Jordan", "(b)", 400, "B R", origin, code, *both, *male, *female])
    writer.writerow([])
    writer.writerow(["Note: (b) including refugees. Figures for the demo only."])
    return out.getvalue().encode()


def presence_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Governorate", "Nationality", "Women", "Men"])
    writer.writerow(["#adm1+code", "#country+code+origin", "#population+f", "#population+m"])
    writer.writerows(PRESENCE)
    return out.getvalue().encode()


def layer(zones):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"hazard": hazard, "class": level, "label": label},
                    "geometry": {"type": "Polygon", "coordinates": [[*map(list, ring), list(ring[0])]]},
                }
                for hazard, level, label, ring in zones
            ],
        }
    ).encode()


def load_exposure(orgs, countries):
    owner = orgs["jcd"]
    jordan = countries["JO"]
    services.import_migrant_stock(None, stock_csv(), "international-migrant-stock-2020.csv", owner,
                                  source="UN DESA International Migrant Stock 2020 (demo extract)")  # fmt: skip
    services.import_presence(None, presence_csv(), "migrant-workers-survey.csv", owner, "JO",
                             "Migrant workers survey (demo)", datetime.date(2024, 9, 30))  # fmt: skip
    services.import_hazard_layer(None, layer(FLOODS), owner, "Flood zones", "Water Authority (demo)",
                                 datetime.date(2025, 3, 1), jordan)  # fmt: skip
    services.import_hazard_layer(None, layer(RIFT), owner, "Seismic zones", "Seismological observatory (demo)",
                                 datetime.date(2023, 1, 1), jordan)  # fmt: skip
