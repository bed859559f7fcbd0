"""The kinds of effect and the award levels a union office starts with (data HQ edits in
the admin site)."""

from decimal import Decimal

from django.db import migrations

EFFECTS = [
    ("cost", "降本增效", 10),
    ("safety", "安全生产", 20),
    ("efficiency", "提高效率", 30),
    ("quality", "提升质量", 40),
    ("energy", "节能环保", 50),
]
LEVELS = [
    ("first", "一等奖", Decimal("2000"), 10),
    ("second", "二等奖", Decimal("1000"), 20),
    ("third", "三等奖", Decimal("500"), 30),
    ("encouragement", "鼓励奖", Decimal("200"), 40),
]


def create(apps, schema_editor):
    effect = apps.get_model("improvements", "EffectKind")
    level = apps.get_model("improvements", "AwardLevel")
    for code, name, order in EFFECTS:
        effect.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for code, name, amount, order in LEVELS:
        level.objects.get_or_create(
            code=code, defaults={"name": name, "amount": amount, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("improvements", "0001_improvements")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
