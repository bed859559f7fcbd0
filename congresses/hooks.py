"""What the congresses app offers the other apps' pages (see unionhome.extensions)."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows

from . import selectors
from .models import (
    APPROVE,
    RECORD_GROUP,
    RECORD_WORKSHOP,
    CongressSettings,
    Level,
    Session,
    SessionStatus,
)

__all__ = ["group_links", "member_facts", "navigation", "todo_items"]


def navigation(user):
    if Session.objects.may(user, VIEW):
        return [(_("Congresses"), "congresses:session_list")]
    return []


def group_links(user, group):
    meeting = Session(level=Level.GROUP, workshop_id=group.workshop_id, group=group)
    if not allows(user, VIEW, meeting):
        return []
    return [
        (
            _("Democratic meetings"),
            reverse("congresses:session_list") + f"?level=group&group={group.pk}",
        )
    ]


def member_facts(user, member):
    """The member's representative terms (职工代表), those the user reads."""
    return [
        (
            _("Representative"),
            f"{r.term.place} {r.term.name}"
            + (f" · {r.delegation.name}" if r.delegation_id else "")
            + f" · {r.role_display}",
            reverse("congresses:term_detail", args=[r.term_id]),
        )
        for r in selectors.terms_of_member(user=user, member=member)
    ]


def meetings_due_by(today: date, per_year: int) -> int:
    """The group meetings due by `today` this year: the yearly target spread evenly, whole
    meetings only (a target of four: one due by the end of March …)."""
    elapsed_months = today.month - 1  # months of the year that have ended
    return per_year * elapsed_months // 12


def groups_behind(user, today: date | None = None):
    """The groups the user leads that held fewer democratic meetings this year than are due
    by now (one query)."""
    today = today or timezone.localdate()
    due = meetings_due_by(today, CongressSettings.current().group_meetings_per_year)
    if due <= 0:
        return []
    groups = Session.objects.groups_in_reach(user, RECORD_GROUP).annotate(
        held=Count(
            "congress_sessions",
            filter=Q(
                congress_sessions__level=Level.GROUP,
                congress_sessions__status=SessionStatus.HELD,
                congress_sessions__held_on__year=today.year,
            ),
        )
    )
    return list(groups.filter(held__lt=due))


def todo_items(user):
    """HQ: declared workshop congresses to approve; a workshop union: its approved
    congresses not yet recorded; a leader: their group's meetings behind the target."""
    found = []
    if Session.objects.may(user, APPROVE):
        waiting = selectors.approval_queue(user).count()
        if waiting:
            found.append(
                (_("Workshop congresses to approve"), waiting, reverse("congresses:approvals"))
            )
    if Session.objects.may(user, RECORD_WORKSHOP):
        approved = selectors.approved_not_recorded(user).count()
        if approved:
            found.append(
                (
                    _("Approved congresses to record"),
                    approved,
                    reverse("congresses:session_list") + "?level=workshop&status=approved",
                )
            )
    record_group = Session.objects.scope(user, RECORD_GROUP)
    # A leader's own group (or few): the form plans the meeting; an office's many groups
    # are followed on the star and assessment pages instead.
    if record_group.group_ids and not (record_group.everything or record_group.workshop_ids):
        behind = groups_behind(user)
        if behind:
            found.append(
                (
                    _("Democratic meetings behind the target"),
                    len(behind),
                    # Counted by group: the form plans the meeting that catches up.
                    reverse("congresses:session_create", args=[Level.GROUP]),
                )
            )
    return found
