# The 小家 becomes a process with stages (see the homes app); an "accepted" small home of
# the former status is named 合格 (its title, with the certificate, is made by homes 0002).

from django.db import migrations, models
from django.db.models import F, Q

STAGES = [
    ("not_started", "Not started"),
    ("building", "Being built"),
    ("declared", "Declared"),
    ("recommended", "Recommended by the workshop union"),
    ("inspecting", "Acceptance inspection"),
    ("accepted", "Accepted, awaiting the public notice"),
    ("in_notice", "In public notice"),
    ("named", "Named"),
]
LEVELS = [("qualified", "Qualified"), ("advanced", "Advanced"), ("model", "Model")]


def name_the_accepted(apps, schema_editor):
    UnionGroup = apps.get_model("groups", "UnionGroup")
    UnionGroup.objects.filter(home_stage="accepted").update(
        home_stage="named", home_level="qualified"
    )


def unname(apps, schema_editor):
    UnionGroup = apps.get_model("groups", "UnionGroup")
    UnionGroup.objects.exclude(home_level="").update(home_stage="accepted", home_level="")


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_field_validators"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="uniongroup", name="group_home_dates_follow_status"),
        migrations.RenameField("uniongroup", "home_status", "home_stage"),
        migrations.RenameField("historicaluniongroup", "home_status", "home_stage"),
        migrations.AlterField(
            model_name="uniongroup",
            name="home_stage",
            field=models.CharField(
                choices=STAGES, default="not_started", max_length=20, verbose_name="small home stage"
            ),
        ),
        migrations.AlterField(
            model_name="historicaluniongroup",
            name="home_stage",
            field=models.CharField(
                choices=STAGES, default="not_started", max_length=20, verbose_name="small home stage"
            ),
        ),
        migrations.AddField(
            model_name="uniongroup",
            name="home_level",
            field=models.CharField(
                blank=True,
                choices=LEVELS,
                help_text="The title the small home holds now: the last confirmed naming or re-check.",
                max_length=10,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="historicaluniongroup",
            name="home_level",
            field=models.CharField(
                blank=True,
                choices=LEVELS,
                help_text="The title the small home holds now: the last confirmed naming or re-check.",
                max_length=10,
                verbose_name="title",
            ),
        ),
        migrations.RunPython(name_the_accepted, unname),
        migrations.AddConstraint(
            model_name="uniongroup",
            constraint=models.CheckConstraint(
                condition=Q(home_stage="not_started") | Q(home_started_on__isnull=False),
                name="group_home_started_when_under_way",
                violation_error_message="A small home under way needs the day it started.",
            ),
        ),
        migrations.AddConstraint(
            model_name="uniongroup",
            constraint=models.CheckConstraint(
                condition=Q(home_level="")
                | (Q(home_accepted_on__isnull=False) & ~Q(home_stage="not_started")),
                name="group_home_title_after_acceptance",
                violation_error_message="Only an accepted small home holds a title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="uniongroup",
            constraint=models.CheckConstraint(
                condition=~Q(home_stage="named") | ~Q(home_level=""),
                name="group_home_named_has_title",
                violation_error_message="A named small home holds a title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="uniongroup",
            constraint=models.CheckConstraint(
                condition=Q(home_accepted_on__isnull=True)
                | Q(home_accepted_on__gte=F("home_started_on")),
                name="group_home_accepted_after_start",
                violation_error_message="Acceptance cannot come before the start.",
            ),
        ),
    ]
