from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0004_queue_cap"),
    ]

    operations = [
        migrations.AddField(
            model_name="chatsession",
            name="visitor_seen_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
