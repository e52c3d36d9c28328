# Titles of linked pages (community/previews.py, community/tasks.py).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_post_pictures"),
    ]

    operations = [
        migrations.CreateModel(
            name="LinkPreview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url_hash", models.CharField(max_length=64, unique=True)),
                ("url", models.TextField()),
                ("title", models.CharField(blank=True, max_length=200)),
                ("queued_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("fetched_at", models.DateTimeField(blank=True, null=True)),
                ("failed", models.BooleanField(default=False)),
            ],
            options={
                "ordering": ["-queued_at"],
            },
        ),
    ]
