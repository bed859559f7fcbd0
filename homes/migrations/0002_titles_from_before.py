# Titles from before the creation process: each small home the former status called
# accepted holds 合格, and each 模范职工小家 the assessment named holds 模范, with its
# certificate number (the assessment's naming is then removed: scoring 0005).

from django.db import migrations


def titles_from_before(apps, schema_editor):
    UnionGroup = apps.get_model("groups", "UnionGroup")
    HomeTitle = apps.get_model("homes", "HomeTitle")
    Naming = apps.get_model("scoring", "Naming")
    for group in UnionGroup.objects.filter(home_level="qualified"):
        named_on = group.home_accepted_on or group.home_started_on
        HomeTitle.objects.create(
            group=group,
            level="qualified",
            year=named_on.year,
            certificate_no=f"QY-{group.pk}",
            named_on=named_on,
        )
    for naming in Naming.objects.select_related("period", "group").order_by("named_on", "pk"):
        group = naming.group
        HomeTitle.objects.filter(group=group, ended_on__isnull=True).update(
            ended_on=naming.named_on, end="superseded", end_reason="模范职工小家"
        )
        HomeTitle.objects.create(
            group=group,
            level="model",
            year=naming.period.end.year,
            certificate_no=naming.certificate_no,
            named_on=naming.named_on,
        )
        started = group.home_started_on or naming.named_on
        UnionGroup.objects.filter(pk=group.pk).update(
            home_stage="named",
            home_level="model",
            home_started_on=started,
            home_accepted_on=group.home_accepted_on or naming.named_on,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("homes", "0001_creation_process"),
        ("scoring", "0004_evaluators_by_role"),
    ]

    operations = [migrations.RunPython(titles_from_before, migrations.RunPython.noop)]
