# 帮扶发放及时 measured how fast HQ pays a case, which a group does not control: it leaves
# the groups' rubric (retired, kept for the results that used it) and becomes a figure of
# HQ's and the workshop unions' dashboards. 走访慰问 carries the 关心职工 criterion alone.

from django.db import migrations


def retire(apps, schema_editor):
    apps.get_model("scoring", "Indicator").objects.filter(
        code="payment_days", metric="welfare.median_days_to_payment"
    ).update(is_active=False)


def restore(apps, schema_editor):
    apps.get_model("scoring", "Indicator").objects.filter(code="payment_days").update(
        is_active=True
    )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0007_rule_words")]

    operations = [migrations.RunPython(retire, restore)]
