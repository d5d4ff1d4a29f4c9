from django.db import migrations

from hjelpelinje.hours.seed import seed_week


def seed(apps, schema_editor):
    seed_week(apps.get_model("hours", "WeeklyHours"))


class Migration(migrations.Migration):
    dependencies = [("hours", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
