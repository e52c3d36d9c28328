# A category's conversations are listed pinned first, then by latest message:
# ORDER BY pinned_at DESC NULLS LAST, last_posted_at DESC, id DESC (services.category_page).
# SQLite puts NULLs last in a descending order anyway, so its (category, pinned_at,
# last_posted_at) index gives this order as it is read. PostgreSQL puts them first, so without
# an index in exactly this order it sorts the whole category on every page. Index expressions
# with NULLS LAST are PostgreSQL's only (SQLite's CREATE INDEX refuses them), hence SQL here.

from django.db import migrations

NAME = "community_topic_category_order"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON community_topic"
    " (category_id, pinned_at DESC NULLS LAST, last_posted_at DESC, id DESC)"
)
DROP = f"DROP INDEX IF EXISTS {NAME}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0007_link_previews"),
    ]

    operations = [migrations.RunPython(create, drop)]
