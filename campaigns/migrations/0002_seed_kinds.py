"""The kinds of 送温暖 campaign a union runs every year (data HQ edits in the admin site)."""

from django.db import migrations

KINDS = [
    ("spring_festival", "元旦春节送温暖", False, 10),
    ("summer_cool", "夏季送清凉", False, 20),
    ("school_aid", "金秋助学", True, 30),
]


def create(apps, schema_editor):
    kind = apps.get_model("campaigns", "CampaignKind")
    for code, name, classes_only, order in KINDS:
        kind.objects.get_or_create(
            code=code, defaults={"name": name, "classes_only": classes_only, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_campaigns_and_donations")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
