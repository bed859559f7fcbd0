"""The suggestions' number prefix a union office starts with: HL, as in HL2026-0001 (data
HQ edits in the admin site)."""

from django.db import migrations


def create(apps, schema_editor):
    settings = apps.get_model("improvements", "ImprovementSettings")
    settings.objects.get_or_create(pk=1, defaults={"number_prefix": "HL"})


class Migration(migrations.Migration):
    dependencies = [("improvements", "0003_improvement_settings")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
