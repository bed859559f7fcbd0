from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class ScoringConfig(extensions.FeatureConfig):
    """The assessment of every 职工小家: criteria, indicators, periods, the survey,
    results, levels and naming. It reads the other apps only through unionhome.metrics."""

    name = "scoring"
    verbose_name = _("Assessment")
    demo_seeder = "scoring.demo.seed"
    hq_permissions = (
        "scoring.view_measure",
        "scoring.add_measure",
        "scoring.change_measure",
        "scoring.view_rubricversion",
        "scoring.add_rubricversion",
        "scoring.change_rubricversion",
        "scoring.view_gate",
        "scoring.add_gate",
        "scoring.change_gate",
        "scoring.view_adjustmentitem",
        "scoring.add_adjustmentitem",
        "scoring.change_adjustmentitem",
        "scoring.view_vetoitem",
        "scoring.add_vetoitem",
        "scoring.change_vetoitem",
        "scoring.view_surveychoice",
        "scoring.add_surveychoice",
        "scoring.change_surveychoice",
        "scoring.view_surveyquestion",
        "scoring.add_surveyquestion",
        "scoring.change_surveyquestion",
        "scoring.view_criterion",
        "scoring.add_criterion",
        "scoring.change_criterion",
        "scoring.view_indicator",
        "scoring.add_indicator",
        "scoring.change_indicator",
        "scoring.view_assessmentperiod",
        "scoring.add_assessmentperiod",
        "scoring.change_assessmentperiod",
    )
