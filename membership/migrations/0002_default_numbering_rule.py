"""The numbering rule HQ starts from (KGH-2026-00042, letters 会转2026-007), editable in the
admin site."""

from django.db import migrations


def create(apps, schema_editor):
    NumberingRule = apps.get_model("membership", "NumberingRule")
    if not NumberingRule.objects.exists():
        NumberingRule.objects.create(
            prefix="KGH", with_year=True, with_workshop_code=False, digits=5, separator="-"
        )


class Migration(migrations.Migration):
    dependencies = [("membership", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
