"""What the learning app offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows

from .models import Competition, LearningRecord, Lesson
from .selectors import member_learning

__all__ = ["group_links", "member_facts", "member_links", "navigation"]


def navigation(user):
    """One entry, 学习竞赛, for every staff role that reads competitions or learning."""
    if Competition.objects.may(user, VIEW) or LearningRecord.objects.may(user, VIEW, others=True):
        return [(_("Learning and competitions"), "learning:home")]
    return []


def group_links(user, group):
    if not allows(user, VIEW, Lesson(group=group)):
        return []
    return [(_("Learning"), reverse("learning:group", args=[group.pk]))]


def _reads(user, member) -> bool:
    return allows(user, VIEW, LearningRecord(member=member, group=member.group))


def member_links(user, member):
    if not _reads(user, member):
        return []
    return [(_("Learning records"), reverse("learning:member", args=[member.pk]))]


def member_facts(user, member):
    """On the member's record: this year's learning in one line, e.g. "2026年：学时 12.0，
    读书 1 本，证书 1 个，获奖 1 次（一等奖）" (two queries, whatever the records)."""
    if not _reads(user, member):
        return []
    year = timezone.localdate().year
    figures = member_learning([member.pk], year, user=user)[member.pk]
    if not (figures.hours or figures.books or figures.certificates or figures.results):
        return []
    text = gettext(
        "%(year)s: %(hours)s hours, %(books)s books, %(certificates)s certificates, "
        "%(awards)s awards"
    ) % {
        "year": year,
        "hours": figures.hours,
        "books": figures.books,
        "certificates": figures.certificates,
        "awards": figures.award_count,
    }
    if figures.awards:
        text += f"（{'、'.join(figures.awards)}）"
    return [(_("Learning"), text, reverse("learning:member", args=[member.pk]))]
