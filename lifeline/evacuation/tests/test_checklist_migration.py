"""Migration 0002 of evacuation: the children's old ticks become answers of the engine's assessment.

Run on a database of its own (a fresh SQLite file, in a child process): migrated to the latest state,
evacuation taken back to 0001, old checklists written with the models of that state, then migrated
forward again; the test database of the suite is never migrated back and forth.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = r"""
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

call_command("migrate", verbosity=0)
call_command("migrate", "evacuation", "0001", verbosity=0)
old = MigrationExecutor(connection).loader.project_state([("evacuation", "0001_initial")]).apps

from django.contrib.auth import get_user_model
from lifeline.core.models import Organisation
from lifeline.geo.models import Country
from lifeline.crises.models import Crisis
from lifeline.nationals.models import HouseholdMember, Registration

country = Country.objects.get_or_create(code="JO", defaults={"iso3": "JOR"})[0]
post = Organisation.objects.create(name="Embassy in Amman", kind="consular_post", country=country)
officer = get_user_model().objects.create_user(username="officer", password="x-Very-long-pass-2026")
crisis = Crisis.objects.create(organisation=post, name="Floods", country=country)
philippines = Country.objects.get_or_create(code="PH", defaults={"iso3": "PHL"})[0]
uncle = Registration.objects.create(
    organisation=post, given_names="Ramon", family_name="Cruz", nationality=philippines, country=country
)
liza = HouseholdMember.objects.create(
    registration=uncle, name="Liza Reyes", relation="relative", unaccompanied=True,
    date_of_birth=datetime.date.today() - datetime.timedelta(days=15 * 365),
)
Point = old.get_model("evacuation", "AssemblyPoint")
Evacuee = old.get_model("evacuation", "Evacuee")
Checklist = old.get_model("evacuation", "ChildChecklist")
OldItem = old.get_model("evacuation", "ChecklistItem")
point = Point.objects.create(crisis_id=crisis.pk, organisation_id=post.pk, name="Gate 3", capacity=50)
evacuee = Evacuee.objects.create(
    crisis_id=crisis.pk, organisation_id=post.pk, registration_id=uncle.pk, assembly_point=point
)
checklist = Checklist.objects.create(evacuee=evacuee, member_id=liza.pk)
when = timezone.now() - datetime.timedelta(days=2)
OldItem.objects.create(checklist=checklist, key="guardian", done=True, note="Uncle Ramon, ID copied", by_id=officer.pk, at=when)
OldItem.objects.create(checklist=checklist, key="photo", done=False, note="Refused", by_id=officer.pk, at=when)
OldItem.objects.create(checklist=checklist, key="count_arrival", done=True, note="", at=when)

call_command("migrate", verbosity=0)

from lifeline.evacuation.models import ChildChecklist
from lifeline.evacuation.services import children_summary
from lifeline.plans.models import AnswerRecord

migrated = ChildChecklist.objects.select_related("assessment__version__template").get(pk=checklist.pk)
a = migrated.assessment
answers = {r.item.key: r for r in AnswerRecord.objects.filter(assessment=a).select_related("item__section")}
with connection.cursor() as cursor:
    cursor.execute("SELECT private_note FROM plans_answerrecord WHERE item_id = %s", [answers["guardian"].item_id])
    raw = cursor.fetchone()[0]
row = children_summary(crisis)["rows"][0]
json.dump({
    "subject": a.subject,
    "organisation": a.organisation_id == post.pk,
    "template": a.version.template.key,
    "published": a.version.state,
    "answers": {k: [r.answer, r.private_note, r.item.section.key, r.answered_by_id == officer.pk,
                    abs((r.updated - when).total_seconds()) < 1] for k, r in answers.items()},
    "raw_note_encrypted": "Ramon" not in raw,
    "done": row["done"], "total": row["total"],
}, sys.stdout)
"""


def test_old_ticks_notes_who_and_when_become_answers_of_the_shipped_checklist(tmp_path):
    database = tmp_path / "migration.sqlite3"
    script = tmp_path / "migrate_children.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "lifeline.settings",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["subject"] == "evacuation.child" and result["organisation"]
    assert result["template"] == "evacuating-migrant-children" and result["published"] == "published"
    assert result["answers"] == {
        "guardian": ["yes", "Uncle Ramon, ID copied", "before", True, True],
        "photo": ["", "Refused", "before", True, True],
        "count_arrival": ["yes", "", "during", False, True],
    }
    assert result["raw_note_encrypted"]
    assert result["done"] == 2 and result["total"] == 16
