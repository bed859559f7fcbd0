"""Default star levels of democratic management; HQ edits them in the admin site."""

from decimal import Decimal

from django.db import migrations

# (stars, name, congresses held, resolutions on time %, disclosures per quarter, feedback %)
LEVELS = [
    (1, "一星级", 1, "60", 1, "60"),
    (2, "二星级", 2, "70", 1, "70"),
    (3, "三星级", 2, "80", 2, "80"),
    (4, "四星级", 2, "90", 2, "90"),
    (5, "五星级", 2, "100", 3, "100"),
]


def create(apps, schema_editor):
    StarLevel = apps.get_model("democracy", "StarLevel")
    for stars, name, sessions, resolutions, disclosures, feedback in LEVELS:
        StarLevel.objects.get_or_create(
            stars=stars,
            defaults={
                "name": name,
                "min_sessions_held": sessions,
                "min_resolutions_on_time": Decimal(resolutions),
                "min_disclosures_per_quarter": disclosures,
                "min_feedback_on_time": Decimal(feedback),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("democracy", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
