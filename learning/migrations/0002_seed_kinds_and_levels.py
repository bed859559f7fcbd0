"""The kinds of competition, the award levels and the kinds of learning a union office
starts with (data HQ edits in the admin site)."""

from decimal import Decimal

from django.db import migrations

COMPETITION_KINDS = [
    ("skills", "技术比武", 10),
    ("labour", "劳动竞赛", 20),
    ("ankang", "安康杯", 30),
    ("safety100", "百日安全竞赛", 40),
    ("knowledge", "知识竞赛", 50),
]
AWARD_LEVELS = [
    ("first", "一等奖", Decimal("5"), 10),
    ("second", "二等奖", Decimal("3"), 20),
    ("third", "三等奖", Decimal("2"), 30),
    ("merit", "优秀奖", Decimal("1"), 40),
]
LEARNING_KINDS = [
    ("weekly_lesson", "每周一课", "lesson", 10),
    ("reading", "读书", "book", 20),
    ("training", "培训", "training", 30),
    ("certificate", "证书", "certificate", 40),
]


def create(apps, schema_editor):
    kind = apps.get_model("learning", "CompetitionKind")
    level = apps.get_model("learning", "AwardLevel")
    learning = apps.get_model("learning", "LearningKind")
    for code, name, order in COMPETITION_KINDS:
        kind.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for code, name, points, order in AWARD_LEVELS:
        level.objects.get_or_create(
            code=code, defaults={"name": name, "points": points, "sort_order": order}
        )
    for code, name, mechanism, order in LEARNING_KINDS:
        learning.objects.get_or_create(
            code=code, defaults={"name": name, "mechanism": mechanism, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
