"""The default dues rule: 0.5 % of the month's base pay, rounded to the fen, as the union's
constitution sets it. HQ adds a rule from a month to change the rate from then on."""

from datetime import date
from decimal import Decimal

from django.db import migrations


def create(apps, schema_editor):
    DuesRule = apps.get_model("dues", "DuesRule")
    if not DuesRule.objects.exists():
        DuesRule.objects.create(
            starts_on=date(2000, 1, 1),
            rate_percent=Decimal("0.5"),
            rounding="fen",
            note="会员每月按本人工资收入的0.5%交纳会费",
        )


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
