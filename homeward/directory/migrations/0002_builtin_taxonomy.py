"""The built-in taxonomy of needs (fixed ids, so every install agrees). Idempotent."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from homeward.directory import taxonomy as builtin

    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    tax, _ = Taxonomy.objects.update_or_create(
        id=builtin.TAXONOMY_ID,
        defaults={k: v for k, v in builtin.TAXONOMY.items() if k != "id"},
    )
    for position, (code, name, description) in enumerate(builtin.TERMS):
        TaxonomyTerm.objects.update_or_create(
            id=builtin.term_id(code),
            defaults={
                "taxonomy": tax,
                "code": code,
                "name": name,
                "description": description,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
