from django.db import migrations

from hjelpelinje.taxonomy.seed import seed_codes


def seed(apps, schema_editor):
    seed_codes(apps.get_model("taxonomy", "Code"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
