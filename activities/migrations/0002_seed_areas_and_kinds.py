"""The six content areas and the record kinds named in the seed, as data HQ can edit."""

from django.db import migrations

AREAS = [
    ("political_study", "政治学习",
     "围绕工作开展政治理论和时政学习，不搞形式主义和突击主义，融时政学习于日常工作交流之中。"),
    ("skills", "岗位成才",
     "抓人才建设，促岗位自学成才：知识讲座、实际操作指导、岗位练兵和自学，提高工作技能。"),
    ("warm_service", "温馨服务「三个一，两常备」",
     "一个微笑、一声问候、一杯热茶，常备一个小药箱、常备一个小工具箱，使小组充满“家”的温馨。"),
    ("mutual_help", "互帮互助「六互」",
     "学习上互帮互进，工作上互商互学，生活上互知互谅；如实向工会反映困难职工情况，捐款、探望生病职工。"),
    ("care_talks", "谈心慰问",
     "经常与小家成员谈心；员工生日或喜庆时送上祝贺，职工生病或遇到困难时及时慰问。"),
    ("recreation", "文体活动",
     "组织户外文化娱乐活动，舒缓工作压力；鼓励参加体育锻炼，提高身体素质。"),
]
KINDS = [
    ("group_meeting", "小组会议", True),
    ("democratic_management", "职代会/民主管理", True),
    ("affairs_disclosure", "班务公开", True),
    ("rationalisation", "合理化建议", False),
    ("qc", "QC活动", False),
    ("skills_contest", "技术比武", False),
    ("labour_competition", "劳动竞赛", False),
    ("safety_education", "安全教育", False),
]


def create(apps, schema_editor):
    ContentArea = apps.get_model("activities", "ContentArea")
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for order, (code, name, description) in enumerate(AREAS, start=1):
        ContentArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    for order, (code, name, democratic) in enumerate(KINDS, start=1):
        ActivityKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "sort_order": order, "counts_as_democratic": democratic},
        )


def remove(apps, schema_editor):
    apps.get_model("activities", "ContentArea").objects.filter(
        code__in=[code for code, _, _ in AREAS], activities__isnull=True
    ).delete()
    apps.get_model("activities", "ActivityKind").objects.filter(
        code__in=[code for code, _, _ in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
