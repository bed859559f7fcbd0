"""The fund sources the union's welfare money comes from (their codes map the old welfare
fund-source choices), and the bank's batch-transfer workbook as most banks ask for it."""

from django.db import migrations

FUNDS = [
    ("higher_union", "上级补助"),
    ("union_funds", "本级经费"),
    ("donations", "爱心捐款"),
    ("mutual_aid", "互助金"),
    # Kept for past cases; HQ may set it out of use.
    ("assistance_fund", "帮扶资金"),
]

COLUMNS = [
    ("account_name", "户名"),
    ("account_no", "账号"),
    ("amount", "金额"),
    ("bank", "开户行"),
    ("remark", "备注"),
]


def create(apps, schema_editor):
    Fund = apps.get_model("funds", "Fund")
    for order, (code, name) in enumerate(FUNDS, start=1):
        Fund.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    BankLayout = apps.get_model("funds", "BankLayout")
    if not BankLayout.objects.exists():
        layout = BankLayout.objects.create(name="银行批量代发", sheet_title="批量代发")
        for order, (field, header) in enumerate(COLUMNS, start=1):
            layout.columns.create(field=field, header=header, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
