import datetime as dt

from django.db import migrations

# Monday-Friday 09:00-16:00, Thursday until 18:00, for phone and chat alike.
CLOSES = {0: dt.time(16), 1: dt.time(16), 2: dt.time(16), 3: dt.time(18), 4: dt.time(16)}


def seed(apps, schema_editor):
    WeeklyHours = apps.get_model("hours", "WeeklyHours")
    if WeeklyHours.objects.exists():
        return
    for channel in ("phone", "chat"):
        for weekday, closes in CLOSES.items():
            WeeklyHours.objects.create(
                channel=channel, weekday=weekday, opens=dt.time(9), closes=closes
            )


class Migration(migrations.Migration):
    dependencies = [("hours", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
