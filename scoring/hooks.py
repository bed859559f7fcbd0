"""What the assessment offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows

from .models import AssessmentPeriod, GroupResult, Naming
from .todo import todo_items

__all__ = ["group_facts", "group_links", "navigation", "todo_items"]


def navigation(user):
    if not AssessmentPeriod.objects.may(user, VIEW):
        return []
    return [(_("Assessment"), "scoring:period_list")]


def group_links(user, group):
    if not allows(user, VIEW, GroupResult(group=group)):
        return []
    return [(_("Scorecard"), reverse("scoring:latest_scorecard", args=[group.pk]))]


def group_facts(user, group):
    """The group's namings (命名), shown on its page with the certificate."""
    return [
        (
            naming.period.name,
            f"{naming.title} · {naming.certificate_no}",
            reverse("scoring:certificate", args=[naming.pk]),
        )
        for naming in Naming.objects.restrict(user, VIEW)
        .filter(group=group)
        .select_related("period")
    ]
