"""The shipped checklists ("Does our contingency plan account for migrants?"): every deployment has them."""

from django.db import migrations


def load(apps, schema_editor):
    from lifeline.plans.services import load_shipped

    load_shipped(apps)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_checklists_and_register")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
