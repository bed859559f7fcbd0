"""The criteria so far become the first rubric version; every period, result, creation
year and declaration names it. Its thresholds are those a panel used (the latest creation
year), else those of the latest period, else common practice (75 / 85 / 90). In use
already, it asks no minimum survey turnout, as before. The survey gets plain questions."""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

QUESTIONS = [
    ("overall", "您对本班组工会小组的工作总体是否满意？"),
    ("care", "您对班组关心职工、帮扶困难职工的情况是否满意？"),
    ("openness", "您对班务公开和民主管理的情况是否满意？"),
]


def forwards(apps, schema_editor):
    RubricVersion = apps.get_model("scoring", "RubricVersion")
    AssessmentPeriod = apps.get_model("scoring", "AssessmentPeriod")
    CreationYear = apps.get_model("homes", "CreationYear")
    Declaration = apps.get_model("homes", "Declaration")
    years = [p.end.year for p in AssessmentPeriod.objects.all()]
    years += list(CreationYear.objects.values_list("year", flat=True))
    thresholds = {"qualified_at": Decimal(75), "advanced_at": Decimal(85), "model_at": Decimal(90)}
    latest = (
        CreationYear.objects.order_by("-year").first()
        or AssessmentPeriod.objects.order_by("-end").first()
    )
    if latest is not None:
        thresholds = {name: getattr(latest, name) for name in thresholds}
    in_use = (
        apps.get_model("scoring", "ScoreRun").objects.exists() or Declaration.objects.exists()
    )
    extra = {"survey_min_turnout": Decimal(0)} if in_use else {}
    rubric = RubricVersion.objects.create(
        year=min(years) if years else 2026,
        status="frozen" if in_use else "draft",
        frozen_at=timezone.now() if in_use else None,
        **thresholds,
        **extra,
    )
    apps.get_model("scoring", "Criterion").objects.update(version=rubric)
    AssessmentPeriod.objects.update(rubric=rubric)
    apps.get_model("scoring", "ScoreRun").objects.update(rubric=rubric)
    CreationYear.objects.update(rubric=rubric)
    Declaration.objects.update(rubric=rubric)
    SurveyQuestion = apps.get_model("scoring", "SurveyQuestion")
    for order, (code, text) in enumerate(QUESTIONS, start=1):
        SurveyQuestion.objects.create(version=rubric, code=code, text=text, sort_order=order)


def backwards(apps, schema_editor):
    apps.get_model("scoring", "SurveyQuestion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0009_rubric_versions"),
        ("homes", "0004_rubric_versions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
