"""The seven 考核条件 of a 职工小家 from the seed, with default weights and indicators.
HQ edits, reweights, adds and retires them in the admin site."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("leadership", "领导有方，骨干得力", "15",
     "工会小组长履职尽责，骨干队伍健全，工作有计划、有落实。"),
    ("quality", "素质优良，文明向上", "10",
     "职工参加文明建设各项活动，队伍综合素质不断提高。"),
    ("performance", "促进业务，成效显著", "15",
     "围绕中心工作开展劳动竞赛、岗位学习和业务培训，促进生产任务完成。"),
    ("democracy", "民主有序，参与积极", "15",
     "坚持小组会议和班务公开，职工积极参与民主管理。"),
    ("care", "关心职工，注意维权", "15",
     "关心职工疾苦和困难，认真开展送温暖和互帮互助活动，维护职工合法权益。"),
    ("activities", "活动扎实，形式多样", "15",
     "围绕六方面内容扎实开展活动，形式多样，职工参与面广。"),
    ("recognition", "职工认可", "15",
     "职工对建设小家活动认可率高，民主测评反映良好。"),
]

# (criterion, code, name, kind, metric, share, rule, target, limit, steps, when missing)
INDICATORS = [
    ("leadership", "leader_duties", "组长履职与骨干作用", "manual", "", "2", "linear", None,
     None, [], "zero"),
    ("leadership", "reports_on_time", "月报按时报送", "computed", "activities.reports_on_time",
     "1", "linear", "1", None, [], "zero"),
    ("quality", "civility", "学习培训与文明建设", "manual", "", "1", "linear", None, None, [],
     "zero"),
    ("performance", "work_results", "安全生产与业务成效", "manual", "", "1", "linear", None, None,
     [], "zero"),
    ("democracy", "participation", "职工参与率", "computed", "activities.participation_rate",
     "2", "linear", "1", None, [], "zero"),
    ("democracy", "democratic_records", "小组会议与民主管理", "computed",
     "activities.democratic_records", "1", "steps", None, None,
     [[1, "0.3"], [6, "0.6"], [12, "1"]], "zero"),
    ("care", "care_visits", "走访慰问", "computed", "welfare.care_visits_per_member", "2",
     "linear", "1", None, [], "zero"),
    ("care", "payment_days", "帮扶发放及时", "computed", "welfare.median_days_to_payment", "1",
     "linear_down", "15", "60", [], "full"),
    ("activities", "per_month", "月均活动次数", "computed", "activities.per_month", "1",
     "linear", "4", None, [], "zero"),
    ("activities", "areas", "活动内容覆盖", "computed", "activities.areas_covered", "1", "linear",
     "6", None, [], "zero"),
    ("recognition", "approval", "民主测评满意率", "computed", "survey.approval_rate", "3",
     "linear", "1", None, [], "zero"),
    ("recognition", "turnout", "民主测评参与率", "computed", "survey.turnout", "1", "steps",
     None, None, [["0.5", "0.4"], ["0.7", "0.7"], ["0.9", "1"]], "zero"),
]


def create(apps, schema_editor):
    Criterion = apps.get_model("scoring", "Criterion")
    Indicator = apps.get_model("scoring", "Indicator")
    criteria = {}
    for order, (code, name, weight, description) in enumerate(CRITERIA, start=1):
        criteria[code], _ = Criterion.objects.update_or_create(
            code=code, defaults={"name": name, "weight": Decimal(weight), "sort_order": order,
                                 "description": description})
    for order, (criterion, code, name, kind, metric, share, rule, target, limit, steps,
                missing) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(code=code, defaults={
            "criterion": criteria[criterion], "name": name, "kind": kind, "metric": metric,
            "share": Decimal(share), "rule": rule,
            "target": Decimal(target) if target else None,
            "limit": Decimal(limit) if limit else None,
            "steps": steps, "when_missing": missing, "sort_order": order,
        })


def remove(apps, schema_editor):
    apps.get_model("scoring", "Indicator").objects.filter(
        code__in=[row[1] for row in INDICATORS]).delete()
    apps.get_model("scoring", "Criterion").objects.filter(
        code__in=[row[0] for row in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
