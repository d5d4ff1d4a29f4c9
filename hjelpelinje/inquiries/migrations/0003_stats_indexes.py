"""An index for the year's statistics (reporting.blocks.inquiries) on PostgreSQL.

One partial covering index over the live inquiries, ordered by time, holding every column
the statistics read: the year's figures then come from an index-only scan of that year's
range instead of reading whole rows (with their encrypted summaries) of every year. It is
created with SQL because Django cannot declare it on the model without also creating it,
without INCLUDE, on SQLite, where the statistics need no help.
"""

from django.db import migrations

INDEX = "inquiry_stats_idx"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON inquiries_inquiry (occurred_at)
INCLUDE (id, relevant, channel_id, age_group_id, gender_id, region_id, caller_id,
         follow_up, duty_to_avert, country_background)
WHERE deleted_at IS NULL
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0002_versions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
