"""Benchmark: the exposure table, over 1,000,000 registrations and 200,000 presence rows,
50 hazard polygons and 2,000 admin areas.

Areas are a 50 × 40 grid of cells over Jordan (each edge with intermediate points, as real
boundaries have), hazards are 50 irregular polygons of various sizes, presence rows are
2,000 areas × 50 origins × 2 sexes, and registrations are spread over the country with 20
nationalities. Times ``lifeline.risk.exposure.compute`` (bulk reads, registrations counted per
coarse point in the database, STRtree queries, vectorised intersections on an equal-area
projection). The reference in the same run is the naive path: every pair of area and zone
intersected one by one, every presence row and every registration read as a model instance and
tested against every zone. Both must give the same totals.

Prints JSON; the last line has bench, backend, registrations, presence_rows, areas, hazards,
rows, seconds, naive_seconds. Run: python bench/exposure.py [--registrations N] [--areas N]
[--hazards N] [--origins N] (DATABASE_URL picks the backend; a scratch database is created.)
"""

import argparse
import json
import math
import time

import numpy as np
from _django import setup

BOX = (35.0, 29.3, 39.2, 33.3)  # min lon, min lat, max lon, max lat


def cell(x0, y0, x1, y1, steps=10):
    """A rectangle with ``steps`` points along each edge."""
    bottom = [(x0 + (x1 - x0) * i / steps, y0) for i in range(steps)]
    right = [(x1, y0 + (y1 - y0) * i / steps) for i in range(steps)]
    top = [(x1 - (x1 - x0) * i / steps, y1) for i in range(steps)]
    left = [(x0, y1 - (y1 - y0) * i / steps) for i in range(steps)]
    ring = bottom + right + top + left
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring + [ring[0]]]]}


def blob(rng, cx, cy, radius, points=48):
    angles = np.linspace(0, 2 * math.pi, points, endpoint=False)
    radii = radius * rng.uniform(0.6, 1.0, points)
    ring = [
        [round(cx + r * math.cos(a), 5), round(cy + r * math.sin(a), 5)]
        for a, r in zip(angles, radii, strict=True)
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def naive(countries, jordan):
    """One record at a time: the reference."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import Point, shape

    from lifeline.geo.models import AdminArea
    from lifeline.nationals.models import Registration
    from lifeline.risk.models import HazardZone, PresenceFigure

    transformer = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)

    def transform(geom):
        return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))

    areas = {a.pk: shape(json.loads(a.geometry)) for a in AdminArea.objects.filter(country=jordan)}
    zones = [shape(json.loads(z.geometry)) for z in HazardZone.objects.all()]
    shares = {}
    for area_id, area in areas.items():
        projected = transform(area)
        for index, zone in enumerate(zones):
            if area.intersects(zone):
                shares.setdefault(area_id, []).append(
                    (index, transform(area.intersection(zone)).area / projected.area)
                )
    host = 0.0
    for figure in PresenceFigure.objects.filter(area__isnull=False).iterator(chunk_size=5000):
        for _index, share in shares.get(figure.area_id, []):
            host += figure.count * share
    home = 0
    for registration in Registration.objects.filter(country=jordan).iterator(chunk_size=5000):
        point = Point(registration.lon, registration.lat)
        for zone in zones:
            if zone.contains(point):
                home += any(area.contains(point) for area in areas.values())
    return host, home


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--areas", type=int, default=2000)
    parser.add_argument("--hazards", type=int, default=50)
    parser.add_argument("--origins", type=int, default=50)
    args = parser.parse_args()
    backend = setup("exposure")

    from django.db import connection, transaction
    from django.utils import timezone

    from lifeline.core.bulk import insert_rows
    from lifeline.core.models import Organisation, OrganisationKind
    from lifeline.geo.models import AdminArea, Country
    from lifeline.geo.services import ensure_countries
    from lifeline.nationals.models import Registration
    from lifeline.risk import exposure
    from lifeline.risk.hazards import import_hazard_layer
    from lifeline.risk.models import PresenceDataset, PresenceFigure, PresenceKind

    ensure_countries()
    countries = {c.code: c for c in Country.objects.all()}
    jordan = countries["JO"]
    rng = np.random.default_rng(2026)
    start = time.perf_counter()

    columns = max(1, round(math.sqrt(args.areas * 1.25)))
    rows_ = math.ceil(args.areas / columns)
    width, height = (BOX[2] - BOX[0]) / columns, (BOX[3] - BOX[1]) / rows_
    areas = []
    for n in range(args.areas):
        i, j = n % columns, n // columns
        area = AdminArea(country=jordan, pcode=f"JO{n:05d}", name=f"Area {n}", level=1)
        area.set_geometry(
            cell(BOX[0] + i * width, BOX[1] + j * height, BOX[0] + (i + 1) * width, BOX[1] + (j + 1) * height)
        )
        areas.append(area)
    AdminArea.objects.bulk_create(areas, batch_size=1000)
    area_ids = list(AdminArea.objects.filter(country=jordan).values_list("id", flat=True))

    host_org = Organisation.objects.create(
        name="Bench civil protection", kind=OrganisationKind.CIVIL_PROTECTION, country=jordan
    )
    features = []
    for k in range(args.hazards):
        radius = rng.uniform(0.05, 0.6)
        cx, cy = rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])
        features.append(
            {
                "type": "Feature",
                "properties": {"hazard": "flood", "class": int(k % 4) + 1},
                "geometry": blob(rng, cx, cy, radius),
            }
        )
    import_hazard_layer(
        json.dumps({"type": "FeatureCollection", "features": features}).encode(),
        host_org,
        "Bench hazards",
        "Bench",
    )

    origin_codes = [c for c in sorted(countries) if c != "JO"][: args.origins]
    dataset = PresenceDataset.objects.create(
        organisation=host_org, kind=PresenceKind.SUBNATIONAL, country=jordan, source="Bench census"
    )
    figures = []
    for area_id in area_ids:
        for code in origin_codes:
            for sex in ("m", "f"):
                figures.append(
                    {"dataset_id": dataset.pk, "destination_id": jordan.pk, "area_id": area_id, "origin_id": countries[code].pk,
                     "sex": sex, "year": 2024, "count": int(rng.integers(0, 500))}
                )  # fmt: skip
    with transaction.atomic():
        insert_rows(PresenceFigure, figures)

    ministry = Organisation.objects.create(
        name="Bench ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=countries["PH"]
    )
    post = Organisation.objects.create(
        name="Bench post", kind=OrganisationKind.CONSULAR_POST, country=jordan, parent=ministry
    )
    template = Registration(
        nationality=countries["PH"],
        country=jordan,
        organisation=post,
        languages=["en"],
        primary_language="en",
        given_names="Bench",
        family_name="Person",
    )
    base = {
        f.attname: getattr(template, f.attname)
        for f in Registration._meta.concrete_fields
        if not f.primary_key
    }
    now = timezone.now()
    base.update(created=now, updated=now)
    nationalities = [countries[c].pk for c in origin_codes[:20]]
    batch = 100_000
    for offset in range(0, args.registrations, batch):
        size = min(batch, args.registrations - offset)
        xs = np.round(rng.uniform(BOX[0] + 0.001, BOX[2] - 0.001, size), 2)
        ys = np.round(rng.uniform(BOX[1] + 0.001, BOX[3] - 0.001, size), 2)
        nats = rng.choice(nationalities, size)
        rows = []
        for i in range(size):
            row = dict(base)
            row.update(lat=float(ys[i]), lon=float(xs[i]), nationality_id=int(nats[i]))
            rows.append(row)
        with transaction.atomic():
            insert_rows(Registration, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_seconds = time.perf_counter() - start

    start = time.perf_counter()
    table = exposure.compute(None, jordan)
    seconds = time.perf_counter() - start

    start = time.perf_counter()
    naive_host, naive_home = naive(countries, jordan)
    naive_seconds = time.perf_counter() - start

    host = sum(r.high for r in table if r.basis == exposure.HOST)
    home = sum(r.high for r in table if r.basis == exposure.HOME)
    # the table rounds each row; the reference sums unrounded figures
    assert abs(host - naive_host) <= len(table), (host, naive_host)
    # points on a cell's edge lie in no cell's interior: the same rule on both paths
    assert home == naive_home, (home, naive_home)
    result = {
        "bench": "exposure",
        "backend": backend,
        "registrations": args.registrations,
        "presence_rows": len(figures),
        "areas": args.areas,
        "hazards": args.hazards,
        "rows": len(table),
        "exposed_registrations": home,
        "seconds": round(seconds, 2),
        "naive_seconds": round(naive_seconds, 2),
        "speedup": round(naive_seconds / seconds, 1) if seconds else None,
        "setup_seconds": round(setup_seconds, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
