import csv
import io

import hxl
from django.urls import reverse

from lifeline.communities.models import CommunityProfile, ProfileVersion
from lifeline.communities.tabular import CommunitySchema
from lifeline.core.models import Role
from lifeline.core.tabular import import_table
from lifeline.directory.models import KeyContact

HEADER = "name,origin_countries,languages,estimated_size,size_date,female_pct,areas,sectors,vulnerabilities,focal_points,fear_of_enforcement\n"
GOOD = (
    "Filipino domestic workers,PH,fil; en,12000,2026-02-01,85,JO11,domestic_work,documents_held; isolation,"
    "filipino workers association,medium\n"
)
NEPALI = "Nepali construction workers,NP,ne,3000,,10,JO21,construction; agriculture,,,high\n"


def run(org, text, user=None, dry_run=False):
    return import_table(CommunitySchema(org), text.encode(), "profiles.csv", org, user=user, dry_run=dry_run)


def test_import_creates_profiles_with_links_and_versions(org_a, areas, origins, leader, make_user):
    user = make_user(org_a)
    report = run(org_a, HEADER + GOOD + NEPALI, user=user)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    profile = CommunityProfile.objects.get(name="Filipino domestic workers")
    assert list(profile.focal_points.all()) == [leader]
    assert sorted(profile.languages.values_list("code", flat=True)) == ["en", "fil"]
    assert list(profile.areas.all()) == [areas["amman"]]
    assert profile.vulnerabilities == ["documents_held", "isolation"]
    version = profile.versions.get()
    assert version.number == 1 and version.created_by == user
    assert (
        version.data["focal_points"] == ["Filipino Workers Association"]
        and version.data["estimated_size"] == 12000
    )
    assert profile.version == 1


def test_import_with_a_bad_row_writes_nothing_and_names_row_and_column(org_a, areas, origins, leader):
    bad = "Sri Lankan garment workers,LK,si,500,,150,JO11,garments,,Nobody Known,low\n"
    report = run(org_a, HEADER + GOOD + bad)
    assert not report.ok
    problems = {(e.row, e.column) for e in report.errors}
    assert {(3, "female_pct"), (3, "sectors"), (3, "focal_points")} <= problems
    messages = " ".join(str(e) for e in report.errors)
    assert (
        "Row 3, column “focal_points”: No key contact of this organisation is named “Nobody Known”."
        in messages
    )
    assert "nothing was imported" in report.summary()
    assert not CommunityProfile.objects.exists() and not ProfileVersion.objects.exists()


def test_cross_field_rules_apply_to_imports(org_a, areas, origins):
    text = "name,children_pct,elderly_pct,phone_use_pct,smartphone_pct\nA,70,40,50,60\n"
    report = run(org_a, text)
    assert {(e.row, e.column) for e in report.errors} == {(2, "elderly_pct"), (2, "smartphone_pct")}
    assert not CommunityProfile.objects.exists()


def test_contacts_of_another_organisation_are_not_matched(org_a, org_b, areas, origins):
    KeyContact.objects.create(organisation=org_b, name="Filipino Workers Association")
    report = run(org_a, HEADER + GOOD)
    assert [(e.row, e.column) for e in report.errors] == [(2, "focal_points")]
    assert not CommunityProfile.objects.exists()


def test_importing_twice_changes_nothing(org_a, areas, origins, leader):
    assert run(org_a, HEADER + GOOD + NEPALI).created == 2
    again = run(org_a, HEADER + GOOD + NEPALI)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert ProfileVersion.objects.count() == 2


def test_import_update_records_a_new_version(org_a, areas, origins, leader):
    run(org_a, HEADER + GOOD)
    report = run(org_a, HEADER + GOOD.replace("12000", "14000").replace("filipino workers association", ""))
    assert report.updated == 1
    profile = CommunityProfile.objects.get()
    assert profile.estimated_size == 14000 and not profile.focal_points.exists()
    assert list(profile.versions.values_list("number", flat=True)) == [2, 1]
    assert profile.versions.get(number=2).data["focal_points"] == []


def test_dry_run_writes_nothing(org_a, areas, origins, leader):
    report = run(org_a, HEADER + GOOD, dry_run=True)
    assert report.ok and report.created == 1
    assert not CommunityProfile.objects.exists()


def test_export_csv_with_hxl_reads_back_with_libhxl(login, make_user, org_a, profile_a, tmp_path):
    response = login(make_user(org_a, role=Role.COORDINATOR)).get(
        reverse("communities:export"), {"format": "csv", "hxl": "1"}
    )
    assert response.status_code == 200
    path = tmp_path / "communities.csv"
    path.write_bytes(response.content)
    dataset = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = [column.display_tag for column in dataset.columns]
    assert tags == [c.hxl for c in CommunitySchema.columns]
    rows = list(dataset)
    assert len(rows) == 1
    row = rows[0]
    assert row.get("#group+name") == "Filipino domestic workers in Amman"
    assert row.get("#population") == "12000"
    assert row.get("#population+f+pct") == "85"
    assert row.get("#country+code") == "PH"
    assert row.get("#adm1+code") == "JO11"
    assert row.get("#sector") == "domestic_work"
    assert row.get("#contact+focal") == "Filipino Workers Association"


def test_exported_file_imports_back_unchanged(login, make_user, org_a, profile_a):
    client = login(make_user(org_a, role=Role.COORDINATOR))
    data = client.get(reverse("communities:export"), {"format": "xlsx", "hxl": "1"}).content
    report = import_table(CommunitySchema(org_a), data, "communities.xlsx", org_a)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_no_column_is_personal():
    assert not any(column.personal for column in CommunitySchema.columns)
    assert len({c.hxl for c in CommunitySchema.columns}) == len(CommunitySchema.columns)


def test_viewer_cannot_export(login, make_user, org_a, profile_a):
    assert login(make_user(org_a, role=Role.VIEWER)).get(reverse("communities:export")).status_code == 403


def test_import_page_matches_contacts_of_the_chosen_organisation(
    login, make_user, org_a, areas, origins, leader
):
    client = login(make_user(org_a))
    upload = io.BytesIO((HEADER + GOOD).encode())
    upload.name = "profiles.csv"
    response = client.post(reverse("communities:import"), {"file": upload, "organisation": org_a.pk})
    assert response.status_code == 302
    profile = CommunityProfile.objects.get()
    assert list(profile.focal_points.all()) == [leader]
    assert profile.versions.get().note == "Imported from a file"


def test_import_page_reports_errors_and_writes_nothing(login, make_user, org_a, areas, origins):
    client = login(make_user(org_a))
    upload = io.BytesIO((HEADER + GOOD.replace(",85,", ",185,")).encode())
    upload.name = "profiles.csv"
    response = client.post(reverse("communities:import"), {"file": upload, "organisation": org_a.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Row 2, column “female_pct”: 185 is out of range (0–100)." in body
    assert not CommunityProfile.objects.exists()


def test_export_header_is_the_schema(login, make_user, org_a, profile_a):
    response = login(make_user(org_a, role=Role.COORDINATOR)).get(reverse("communities:export"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [c.name for c in CommunitySchema.columns]
