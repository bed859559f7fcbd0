"""The union's care occasions with their days and gift standards, and the festivals of 2026
and 2027 (the lunar ones by the almanac): HQ adjusts them in the admin site."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# code, name, visit kind, lead days, due days, standard, gift, HQ for model workers,
# HQ standard, HQ gift, not-visited days
OCCASIONS = [
    ("birthday", "生日祝福", "birthday", 7, 0, "100", "生日蛋糕券一张", True, "200",
     "鲜花一束、劳模生日贺卡一张", None),
    ("hospital", "住院探望", "sick_visit", 0, 3, "300", "慰问金或营养品", False, None, "", None),
    ("wedding", "新婚祝贺", "family_event", 0, 7, "200", "新婚贺礼", False, None, "", None),
    ("birth", "生育祝贺", "family_event", 0, 15, "200", "母婴用品一份", False, None, "", None),
    ("bereavement", "丧事慰问", "family_event", 0, 2, "500", "慰问金、花圈", False, None, "", None),
    ("not_visited", "长期未走访", "talk", 0, 30, None, "", False, None, "", 180),
    ("festival", "节日走访困难职工", "festival", 14, 0, "300", "米、油等慰问品", False, None, "",
     None),
]

FESTIVALS = [
    ("元旦", date(2026, 1, 1), 3),
    ("春节", date(2026, 2, 17), 7),
    ("端午节", date(2026, 6, 19), 3),
    ("中秋节", date(2026, 9, 25), 5),
    ("国庆节", date(2026, 10, 1), 3),
    ("元旦", date(2027, 1, 1), 3),
    ("春节", date(2027, 2, 6), 7),
    ("端午节", date(2027, 6, 9), 3),
    ("中秋节", date(2027, 9, 15), 5),
    ("国庆节", date(2027, 10, 1), 3),
]


def create(apps, schema_editor):
    CareOccasion = apps.get_model("caretasks", "CareOccasion")
    Festival = apps.get_model("caretasks", "Festival")
    for order, row in enumerate(OCCASIONS, start=1):
        code, name, kind, lead, due, standard, gift, hq, hq_standard, hq_gift, interval = row
        CareOccasion.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "visit_kind": kind,
                "lead_days": lead,
                "due_days": due,
                "gift_standard": Decimal(standard) if standard else None,
                "gift_description": gift,
                "hq_for_model_workers": hq,
                "hq_gift_standard": Decimal(hq_standard) if hq_standard else None,
                "hq_gift_description": hq_gift,
                "interval_days": interval,
                "sort_order": order,
            },
        )
    for name, day, before in FESTIVALS:
        Festival.objects.get_or_create(name=name, date=day, defaults={"visit_days_before": before})


def remove(apps, schema_editor):
    apps.get_model("caretasks", "Festival").objects.all().delete()
    apps.get_model("caretasks", "CareOccasion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("caretasks", "0001_care_tasks")]

    operations = [migrations.RunPython(create, remove)]
