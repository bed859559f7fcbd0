# The 台账 checklist a panel ticks on site, as the experience reports describe a small
# home's acceptance and its yearly re-check. Data: HQ edits and adds items in the admin site.

from django.db import migrations

ITEMS = [
    # (use, name, guidance, must pass for a model title)
    ("acceptance", "组织健全，骨干配齐", "工会小组长及组织员、宣传员、生活员等骨干到位，分工明确", True),
    ("acceptance", "制度齐全并上墙", "小组工作制度、班务公开制度、学习制度齐全", False),
    ("acceptance", "台账齐全", "活动记录、会议记录、月报完整，照片和签到可查", True),
    ("acceptance", "阵地建设", "活动场所落实「三个一，两常备」：微笑、问候、热茶；药箱、工具箱", False),
    ("acceptance", "民主管理", "班务公开、小组民主会、合理化建议有记录", True),
    ("acceptance", "关心职工", "困难职工帮扶、生日祝贺、探望慰问有记录", False),
    ("acceptance", "安全生产", "本年度无重大安全责任事故、无一票否决事项", True),
    ("recheck", "组织与制度仍然健全", "骨干在岗，制度仍在执行", False),
    ("recheck", "台账持续记录", "全年活动、会议、月报连续可查", False),
    ("recheck", "无一票否决事项", "本年度无重大安全事故、无违纪违法", False),
]


def create(apps, schema_editor):
    ChecklistItem = apps.get_model("homes", "ChecklistItem")
    for order, (use, name, guidance, must_pass) in enumerate(ITEMS, start=1):
        ChecklistItem.objects.get_or_create(
            use=use,
            name=name,
            defaults={"guidance": guidance, "must_pass": must_pass, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("homes", "0002_titles_from_before")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
