"""What the disclosures offer the other apps' pages (see unionhome.extensions)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import VIEW, allows

from .models import (
    ANSWER,
    AUTHORED,
    BOARD,
    REVIEW_DUTY,
    Disclosure,
    DisclosureSettings,
    Feedback,
    Level,
    Status,
)

__all__ = ["group_links", "member_applications", "navigation", "todo_items"]


@dataclass
class Application:
    what: str
    reference: str
    state: str
    since: date
    done: bool


def navigation(user):
    if Disclosure.objects.may_register(user):
        return [(_("Affairs disclosure"), "disclosures:list")]
    if Disclosure.objects.may(user, BOARD):
        return [(pgettext_lazy("disclosure", "Notice board"), "disclosures:board")]
    return []


def group_links(user, group):
    """The group's 班务公开 in the register, for those who read its records."""
    if not allows(user, VIEW, Disclosure(level=Level.GROUP, group=group, workshop=group.workshop)):
        return []
    return [(_("Group disclosures"), reverse("disclosures:list") + "?level=group")]


def todo_items(user):
    """A reviewer's disclosures waiting for review; a disclosing office's feedback waiting
    for an answer (how many of them overdue). One query each for the roles that hold them."""
    found = []
    if Disclosure.objects.may(user, REVIEW_DUTY):
        waiting = (
            Disclosure.objects.restrict(user, REVIEW_DUTY)
            .filter(status=Status.PROPOSED)
            # The enterprise's own are reviewed by another person than the proposer.
            .exclude(level=Level.ENTERPRISE, proposed_by=user)
            .count()
        )
        if waiting:
            found.append(
                (
                    _("Disclosures to review"),
                    waiting,
                    reverse("disclosures:list") + "?todo=review",
                )
            )
    if Feedback.objects.may(user, ANSWER):
        days = DisclosureSettings.current().answer_within_days
        open_rows = Feedback.objects.restrict(user, ANSWER).unanswered()
        # Counted by disclosure, as the list its link opens shows them.
        counts = open_rows.aggregate(
            n=Count("disclosure", distinct=True),
            late=Count("disclosure", distinct=True, filter=Feedback.objects.overdue_q(days)),
        )
        if counts["n"]:
            found.append(
                (
                    _("Disclosure feedback to answer"),
                    counts["n"],
                    reverse("disclosures:list") + "?todo=answer",
                )
            )
        if counts["late"]:
            found.append(
                (
                    _("Disclosure feedback overdue"),
                    counts["late"],
                    reverse("disclosures:list") + "?todo=overdue",
                )
            )
    return found


def member_applications(user, member):
    """The member's own feedback forms and whether they are answered, for the member's
    own login only: nobody else learns who wrote which form this way (one query)."""
    if not Feedback.objects.may(user, AUTHORED):
        return []
    rows = (
        Feedback.objects.restrict(user, AUTHORED)
        .filter(member=member)
        .select_related("disclosure")
        .order_by("-filed_at", "-pk")[:20]
    )
    return [
        Application(
            what=str(_("Feedback on: %(title)s") % {"title": f.disclosure.title}),
            reference=f.number,
            state=str(_("Answered") if f.answered_at else _("Waiting for the answer")),
            since=timezone.localdate(f.filed_at),
            done=f.answered_at is not None,
        )
        for f in rows
    ]
