from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    """The assessment of every 职工小家: criteria, indicators, periods, the survey,
    results, levels and naming. It reads the other apps only through unionhome.metrics."""

    name = "scoring"
    verbose_name = _("Assessment")
    demo_seeder = "scoring.demo.seed"
    hq_permissions = (
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

    def ready(self):
        from . import survey

        survey.register_all()

    def navigation(self, user):
        from accounts.scoping import VIEW, Reach

        from .models import GroupResult

        if GroupResult.objects.reach(user, VIEW) is Reach.NONE:
            return []
        return [(_("Assessment"), "scoring:period_list")]

    def group_links(self, user, group):
        from django.urls import reverse

        from accounts.scoping import VIEW, Reach, allows

        from .models import GroupResult

        if GroupResult.objects.reach(user, VIEW) is Reach.NONE or not allows(user, VIEW, group):
            return []
        return [(_("Scorecard"), reverse("scoring:latest_scorecard", args=[group.pk]))]

    def group_facts(self, user, group):
        """The group's namings (命名), shown on its page with the certificate."""
        from django.urls import reverse

        from .models import Naming

        return [
            (
                naming.period.name,
                f"{naming.title} · {naming.certificate_no}",
                reverse("scoring:certificate", args=[naming.pk]),
            )
            for naming in Naming.objects.filter(group=group).select_related("period")
        ]

    def todo_items(self, user):
        from .todo import items

        return items(user)
