from django.db import migrations

from hjelpelinje.taxonomy.seed import SEED


def seed(apps, schema_editor):
    Code = apps.get_model("taxonomy", "Code")
    for list_name, entries in SEED.items():
        for position, (code, label, label_en) in enumerate(entries, start=1):
            Code.objects.get_or_create(
                list=list_name,
                code=code,
                defaults={"label": label, "label_en": label_en, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
