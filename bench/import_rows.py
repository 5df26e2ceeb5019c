"""Benchmark: import 100,000 key contacts from CSV through the real import path.

Prints JSON; the last line has bench, backend, rows, seconds. The reference in the
same run is a bare bulk_create of the same rows (no parsing, validation,
encryption, languages or audit): the floor the import cannot beat.
Run: python bench/import_rows.py [ROWS]   (DATABASE_URL picks the backend)
"""

import json
import random
import sys
import time

from _django import setup

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def make_csv(rows, rng):
    languages = ["ar", "en", "fil", "bn", "si", "ta", "am", "ne", "ur", "hi", "fr", "so"]
    categories = ["migrant_association", "community_leader", "faith", "ngo", "employer", "media"]
    lines = [
        "name,kind,category,affiliation,languages,channels,coverage_areas,available_24_7,trust_level,last_verified"
    ]
    for i in range(rows):
        langs = "; ".join(rng.sample(languages, 2))
        lines.append(
            f"Contact {i:06d},{'individual' if i % 3 else 'organisation'},{categories[i % len(categories)]},"
            f"Network {i % 500},{langs},phone:+96279{i % 10000000:07d}; email:c{i}@example.org,"
            f"JO1{1 + i % 4},{'yes' if i % 5 == 0 else 'no'},{['high', 'medium', 'low'][i % 3]},2026-0{1 + i % 9}-15"
        )
    return ("\n".join(lines) + "\n").encode()


def main():
    backend = setup("import")
    from lifeline.core.models import Organisation
    from lifeline.core.tabular import import_table
    from lifeline.directory.models import KeyContact
    from lifeline.directory.tabular import ContactSchema
    from lifeline.geo.models import AdminArea, Country
    from lifeline.geo.services import ensure_countries

    ensure_countries()
    jordan = Country.objects.get(code="JO")
    for n in range(1, 5):
        AdminArea.objects.get_or_create(pcode=f"JO1{n}", defaults={"country": jordan, "name": f"Area {n}"})
    org = Organisation.objects.create(name="Bench agency", kind="civil_protection", country=jordan)
    other = Organisation.objects.create(name="Reference agency", kind="civil_protection", country=jordan)
    data = make_csv(ROWS, random.Random(1))

    start = time.perf_counter()
    report = import_table(ContactSchema(), data, "bench.csv", org)
    seconds = time.perf_counter() - start
    assert report.ok and report.created == ROWS, report.as_dict()

    start = time.perf_counter()
    again = import_table(ContactSchema(), data, "bench.csv", org)
    reimport_seconds = time.perf_counter() - start
    assert again.unchanged == ROWS

    start = time.perf_counter()
    KeyContact.objects.bulk_create(
        (KeyContact(organisation=other, name=f"Contact {i:06d}", category="ngo") for i in range(ROWS)),
        batch_size=1000,
    )
    reference_seconds = time.perf_counter() - start

    result = {
        "bench": "import",
        "backend": backend,
        "rows": ROWS,
        "seconds": round(seconds, 2),
        "rows_per_s": round(ROWS / seconds),
        "reimport_unchanged_seconds": round(reimport_seconds, 2),
        "reference_bulk_create_seconds": round(reference_seconds, 2),
        "ratio_to_reference": round(seconds / reference_seconds, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
