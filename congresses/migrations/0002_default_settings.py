"""The union's rules for congresses as the seed's mine runs them: a quorum of two thirds,
two congresses a year at the enterprise and in each workshop union, a democratic meeting
of each union group every quarter (data HQ edits in the admin site)."""

from decimal import Decimal

from django.db import migrations


def create(apps, schema_editor):
    settings = apps.get_model("congresses", "CongressSettings")
    settings.objects.get_or_create(
        pk=1,
        defaults={
            "quorum_percent": Decimal("66.67"),
            "enterprise_sessions_per_year": 2,
            "workshop_sessions_per_year": 2,
            "group_meetings_per_year": 4,
            "declare_days_ahead": 0,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("congresses", "0001_congresses")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
