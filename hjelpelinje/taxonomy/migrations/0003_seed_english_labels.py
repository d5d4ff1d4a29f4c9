"""Give every seeded code its English label where a database holds the row without one.

A row created before the English labels were seeded (or blanked by hand) would show its
Norwegian label in the English UI. A label a manager has typed is never overwritten.
"""

from django.db import migrations

from hjelpelinje.taxonomy.seed import SEED


def fill_english_labels(apps, schema_editor):
    Code = apps.get_model("taxonomy", "Code")
    for list_name, entries in SEED.items():
        for code, _label, label_en in entries:
            Code.objects.filter(list=list_name, code=code, label_en="").update(label_en=label_en)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_seed_codes")]
    operations = [migrations.RunPython(fill_english_labels, migrations.RunPython.noop)]
