"""Benchmark: who is inside a crisis polygon, over 1,000,000 registrations.

Creates N registrations spread across countries (40% in Jordan, about 100,000
of them inside a polygon around greater Amman), then times
``lifeline.crises.services.registrations_in`` (SQL prefilter on the indexed
coarse lat/lon + vectorised shapely) and ``materialise`` (the same plus the bulk
insert of the member set). The reference in the same run is the naive path: the
ORM iterating model instances of every registration in the country and testing
each with ``Point.within``. Rows are built directly and inserted in bulk (COPY on
PostgreSQL), with empty encrypted fields, so that setting up takes a minute, not
an hour.

Prints JSON; the last line has bench, backend, registrations, matched, seconds,
naive_seconds. Run: python bench/targeting.py [--registrations N]
(DATABASE_URL picks the backend; a scratch database is created.)
"""

import argparse
import json
import time

import numpy as np
from _django import setup

# Greater Amman, longitude first.
POLYGON = [
    (35.80, 31.86),
    (35.98, 31.82),
    (36.12, 31.92),
    (36.10, 32.08),
    (35.93, 32.12),
    (35.78, 32.02),
    (35.80, 31.86),
]
JORDAN_BOX = (34.95, 29.20, 39.30, 33.37)  # min lon, min lat, max lon, max lat
ELSEWHERE = [
    "LB",
    "AE",
    "KW",
    "SA",
    "QA",
    "OM",
    "BH",
    "IL",
    "EG",
    "IQ",
    "SY",
    "TR",
    "GB",
    "US",
    "IT",
    "HK",
    "SG",
    "MY",
    "JP",
    "CA",
]


def points(rng, n, box, polygon, inside):
    """n points in ``box`` (rounded to the stored two decimals) that are inside (or outside) ``polygon``."""
    import shapely

    shapely.prepare(polygon)
    out_x, out_y, have = [], [], 0
    while have < n:
        xs = np.round(rng.uniform(box[0], box[2], n), 2)
        ys = np.round(rng.uniform(box[1], box[3], n), 2)
        keep = shapely.contains_xy(polygon, xs, ys) == inside
        out_x.append(xs[keep])
        out_y.append(ys[keep])
        have += int(keep.sum())
    return np.concatenate(out_x)[:n], np.concatenate(out_y)[:n]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=1_000_000)
    args = parser.parse_args()
    total = args.registrations
    backend = setup("targeting")

    import shapely
    from django.db import connection, transaction
    from django.utils import timezone
    from shapely.geometry import Point, Polygon

    from lifeline.core.bulk import insert_rows
    from lifeline.core.models import Organisation, OrganisationKind
    from lifeline.crises import services
    from lifeline.crises.models import Crisis
    from lifeline.geo.models import Country
    from lifeline.geo.services import ensure_countries
    from lifeline.nationals.models import Registration

    ensure_countries()
    countries = {c.code: c for c in Country.objects.all()}
    ministry = Organisation.objects.create(
        name="Bench ministry", kind=OrganisationKind.FOREIGN_AFFAIRS, country=countries["PH"]
    )
    posts = {
        code: Organisation.objects.create(
            name=f"Post {code}", kind=OrganisationKind.CONSULAR_POST, country=countries[code], parent=ministry
        )
        for code in ["JO", *ELSEWHERE]
    }
    polygon = Polygon(POLYGON)
    rng = np.random.default_rng(2026)

    inside = min(100_000, total // 10)
    in_jordan = max(int(total * 0.4), inside)
    in_x, in_y = points(rng, inside, polygon.bounds, polygon, True)
    out_x, out_y = points(rng, in_jordan - inside, JORDAN_BOX, polygon, False)
    jordan_x, jordan_y = np.concatenate([in_x, out_x]), np.concatenate([in_y, out_y])
    expected = int(shapely.contains_xy(polygon, jordan_x, jordan_y).sum())

    now = timezone.now()
    template = Registration(
        nationality=countries["PH"],
        country=countries["JO"],
        organisation=posts["JO"],
        languages=["fil", "en"],
        primary_language="fil",
        given_names="Bench",
        family_name="Person",
    )
    base = {
        f.attname: getattr(template, f.attname)
        for f in Registration._meta.concrete_fields
        if not f.primary_key
    }
    base.update(created=now, updated=now)

    start = time.perf_counter()
    batch = 100_000
    for offset in range(0, in_jordan, batch):
        rows = []
        for i in range(offset, min(offset + batch, in_jordan)):
            row = dict(base)
            row.update(given_names=f"Bench {i}", lat=float(jordan_y[i]), lon=float(jordan_x[i]))
            rows.append(row)
        with transaction.atomic():
            insert_rows(Registration, rows)
    others = total - in_jordan
    for offset in range(0, others, batch):
        rows = []
        for i in range(offset, min(offset + batch, others)):
            code = ELSEWHERE[i % len(ELSEWHERE)]
            row = dict(base)
            # Elsewhere, with coordinates that would fall inside the polygon if the country were ignored.
            row.update(
                given_names=f"Bench {in_jordan + i}",
                country_id=countries[code].pk,
                organisation_id=posts[code].pk,
                lat=round(31.9 + (i % 20) / 100, 2),
                lon=round(35.9 + (i % 17) / 100, 2),
            )
            rows.append(row)
        with transaction.atomic():
            insert_rows(Registration, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_seconds = time.perf_counter() - start

    crisis = Crisis.objects.create(
        organisation=posts["JO"],
        name="Bench crisis",
        country=countries["JO"],
        geometry=services.geometry_text(polygon),
    )

    start = time.perf_counter()
    ids = services.registrations_in(crisis)
    seconds = time.perf_counter() - start
    matched = len(ids)

    start = time.perf_counter()
    materialised = services.materialise(crisis)
    materialise_seconds = time.perf_counter() - start

    start = time.perf_counter()
    naive = 0
    for registration in Registration.objects.filter(
        country=countries["JO"], merged_into__isnull=True
    ).iterator(chunk_size=2000):
        if registration.lat is not None and Point(registration.lon, registration.lat).within(polygon):
            naive += 1
    naive_seconds = time.perf_counter() - start

    assert matched == expected == naive == materialised, (matched, expected, naive, materialised)
    result = {
        "bench": "targeting",
        "backend": backend,
        "registrations": total,
        "candidates_in_country": in_jordan,
        "matched": matched,
        "expected_inside": expected,
        "seconds": round(seconds, 2),
        "materialise_seconds": round(materialise_seconds, 2),
        "naive_seconds": round(naive_seconds, 2),
        "speedup": round(naive_seconds / seconds, 1),
        "setup_seconds": round(setup_seconds, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
