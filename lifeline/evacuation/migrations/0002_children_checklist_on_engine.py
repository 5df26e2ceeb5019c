"""The children's checklist becomes an assessment of the plans engine: each child's checklist gets an
assessment of the shipped "Evacuating migrant children" checklist, every recorded item becomes the
answer to the item of the same key (ticked: yes; unticked: no answer yet), with its encrypted note,
who and when; then the evacuation's own item table goes."""

import django.db.models.deletion
from django.db import migrations, models

SUBJECT = "evacuation.child"
TEMPLATE = "evacuating-migrant-children"


def forward(apps, schema_editor):
    ChildChecklist = apps.get_model("evacuation", "ChildChecklist")
    ChecklistItem = apps.get_model("evacuation", "ChecklistItem")
    Assessment = apps.get_model("plans", "Assessment")
    AnswerRecord = apps.get_model("plans", "AnswerRecord")
    TemplateVersion = apps.get_model("plans", "TemplateVersion")
    Item = apps.get_model("plans", "Item")
    if not ChildChecklist.objects.exists():
        return
    version = (
        TemplateVersion.objects.filter(template__key=TEMPLATE, state="published").order_by("-number").first()
    )
    items = {item.key: item for item in Item.objects.filter(section__version=version)}
    for checklist in ChildChecklist.objects.select_related("evacuee").order_by("pk"):
        assessment = Assessment.objects.create(
            organisation_id=checklist.evacuee.organisation_id,
            version=version,
            subject=SUBJECT,
            assessed_on=checklist.created.date(),
        )
        checklist.assessment = assessment
        checklist.save(update_fields=["assessment"])
        for old in ChecklistItem.objects.filter(checklist=checklist).order_by("pk"):
            item = items[old.key]  # every old key is an item of the shipped checklist
            record = AnswerRecord.objects.create(
                assessment=assessment,
                item=item,
                answer="yes" if old.done else "",
                private_note=old.note or "",
                answered_by_id=old.by_id,
            )
            if old.at:
                AnswerRecord.objects.filter(pk=record.pk).update(updated=old.at)


class Migration(migrations.Migration):
    dependencies = [
        ("evacuation", "0001_initial"),
        ("plans", "0005_more_checklists"),
    ]

    operations = [
        migrations.AddField(
            model_name="childchecklist",
            name="assessment",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="child",
                to="plans.assessment",
                verbose_name="checklist",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChecklistItem"),
        migrations.AlterField(
            model_name="childchecklist",
            name="assessment",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="child",
                to="plans.assessment",
                verbose_name="checklist",
            ),
        ),
    ]
