"""Festival gifts (节日慰问), home-visit gifts (家庭走访) and donations (爱心捐款) are no
longer single applications: they are 送温暖 campaigns, care tasks and donation drives.
The types stay for the cases filed under them, out of use for new ones."""

from django.db import migrations

RETIRED = ["festival", "family_visit", "donation"]


def retire(apps, schema_editor):
    apps.get_model("welfare", "CaseType").objects.filter(code__in=RETIRED).update(is_active=False)


def restore(apps, schema_editor):
    apps.get_model("welfare", "CaseType").objects.filter(code__in=RETIRED).update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [("welfare", "0007_case_fund_and_payment_line")]

    operations = [migrations.RunPython(retire, restore)]
