"""The categories of disclosure the union starts with, and the rule's default numbers (HQ
edits both in the admin site)."""

from django.db import migrations

CATEGORIES = [
    ("bonus", "奖金分配"),
    ("wages", "工资调整"),
    ("attendance", "考勤"),
    ("awards", "评先评优"),
    ("expenses", "费用开支"),
    ("protection", "劳动保护"),
    ("hardship", "困难帮扶"),
    ("rest_home", "职工疗养"),
    ("contracts", "劳动合同"),
    ("other", "其他事项"),
]


def create(apps, schema_editor):
    Category = apps.get_model("disclosures", "DisclosureCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    Settings = apps.get_model("disclosures", "DisclosureSettings")
    Settings.objects.get_or_create(
        pk=1, defaults={"answer_within_days": 7, "default_posting_days": 7, "min_posting_days": 5}
    )


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_disclosures_and_feedback")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
