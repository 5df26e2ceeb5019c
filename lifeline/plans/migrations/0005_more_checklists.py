"""Assessments about another app's record (a child on an evacuation), who answered, an encrypted note
about the person assessed; and the shipped checklists added since 0002 (trainings and workshops,
evacuating migrant children, consular post preparedness)."""

import django.db.models.deletion
import lifeline.core.fields
from django.conf import settings
from django.db import migrations, models


def load(apps, schema_editor):
    from lifeline.plans.services import load_shipped

    load_shipped(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_plan_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="answerrecord",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="answerrecord",
            name="private_note",
            field=lifeline.core.fields.EncryptedTextField(blank=True, default="", verbose_name="note"),
        ),
        migrations.AddField(
            model_name="assessment",
            name="subject",
            field=models.CharField(
                blank=True, db_index=True, default="", max_length=40, verbose_name="subject"
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
