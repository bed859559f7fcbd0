"""What the assessment offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows

from .models import AssessmentPeriod, GroupResult
from .todo import todo_items

__all__ = ["group_links", "navigation", "todo_items"]


def navigation(user):
    if not AssessmentPeriod.objects.may(user, VIEW):
        return []
    return [(_("Assessment"), "scoring:period_list")]


def group_links(user, group):
    if not allows(user, VIEW, GroupResult(group=group)):
        return []
    return [(_("Scorecard"), reverse("scoring:latest_scorecard", args=[group.pk]))]
