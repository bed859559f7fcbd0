"""What the organisation app offers the other apps' pages (see unionhome.extensions)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW

from .models import LeaveKind, Member, MemberStatus, WorkshopUnion


def navigation(user):
    items = []
    if WorkshopUnion.objects.may(user, VIEW):
        items.append((_("Organisation"), "groups:org_tree"))
    if Member.objects.may(user, VIEW, others=True):
        items.append((_("Members"), "groups:member_list"))
    return items


@dataclass
class MemberStep:
    """One step of a member's life in the union, for the member page's timeline."""

    on: date
    what: str
    note: str = ""
    url: str = ""


def member_timeline(user, member):
    """Joining, the groups over time, leaving and rejoining: from the member's stretches
    of group history (prefetched by the member page) and the leaves their change history
    keeps (one query)."""
    leaves = []
    for left in (
        member.history.filter(status=MemberStatus.LEFT, left_on__isnull=False)
        .order_by("history_date")
        .values_list("left_on", "left_kind", "left_reason")
    ):
        if left not in leaves:
            leaves.append(left)
    current = (member.left_on, member.left_kind, member.left_reason)
    if member.status == MemberStatus.LEFT and current not in leaves:
        leaves.append(current)
    steps = []
    if member.joined_union_on:
        steps.append(MemberStep(member.joined_union_on, gettext("Joined the union")))
    left_days = {on for on, _kind, _reason in leaves}
    stretches = sorted(member.memberships.all(), key=lambda s: (s.started_on, s.pk))
    for index, stretch in enumerate(stretches):
        place = {"group": f"{stretch.group.workshop.name} · {stretch.group.name}"}
        if index == 0:
            what = gettext("Enrolled in %(group)s") % place
        elif stretches[index - 1].ended_on in left_days:
            what = gettext("Rejoined the union in %(group)s") % place
        else:
            what = gettext("Moved to %(group)s") % place
        steps.append(MemberStep(stretch.started_on, what, stretch.note if index else ""))
    for on, kind, reason in leaves:
        label = LeaveKind(kind).label if kind else gettext("Left the union")
        steps.append(
            MemberStep(on, gettext("Membership ended: %(kind)s") % {"kind": label}, reason)
        )
    # Newest first; of one day, the later step first.
    return [s for _i, s in sorted(enumerate(steps), key=lambda p: (p[1].on, p[0]), reverse=True)]
