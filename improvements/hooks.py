"""What the improvements app offers the other apps' pages (see unionhome.extensions)."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows
from funds.money import money
from groups.hooks import MemberStep
from unionhome.templatetags.unionhome import yuan

from . import selectors
from .models import FILE, PUBLIC, SCREEN, Improvement, Status

__all__ = [
    "group_links",
    "member_applications",
    "member_facts",
    "member_links",
    "member_timeline",
    "navigation",
    "todo_items",
]


def navigation(user):
    """The list for everybody who reads suggestions (a member's login: their own); the
    public list for the other logins of the organisation (evaluators, panel members)."""
    if Improvement.objects.may(user, VIEW):
        return [(_("Improvement suggestions"), "improvements:list")]
    if Improvement.objects.may(user, PUBLIC):
        return [(_("Improvement suggestions"), "improvements:public")]
    return []


def _for_member(user, member) -> Improvement:
    """An unsaved suggestion of the member, for the scope rule to judge."""
    return Improvement(
        member=member, group_id=member.group_id, workshop_id=member.group.workshop_id
    )


def member_links(user, member):
    """代提合理化建议: the leader (or workshop union, HQ) files one on the member's behalf;
    the member's own login files from their page."""
    if member.user_id == user.pk or not allows(user, FILE, _for_member(user, member)):
        return []
    return [(_("File a suggestion for them"), reverse("improvements:new") + f"?member={member.pk}")]


def group_links(user, group):
    if not allows(user, VIEW, Improvement(group=group, workshop_id=group.workshop_id)):
        return []
    return [(_("Improvement suggestions"), reverse("improvements:list"))]


def todo_items(user):
    """The workshop union (and HQ): suggestions waiting for screening, and adopted ones
    past their due date not yet carried out (one query for both)."""
    if not Improvement.objects.may(user, SCREEN):
        return []
    counts = selectors.screening_counts(user)
    found = []
    if counts["waiting"]:
        found.append(
            (
                _("Improvement suggestions to screen"),
                counts["waiting"],
                reverse("improvements:list") + "?waiting=screen",
            )
        )
    if counts["late"]:
        found.append(
            (
                _("Adopted suggestions overdue"),
                counts["late"],
                reverse("improvements:list") + "?waiting=overdue",
            )
        )
    return found


@dataclass
class OwnSuggestion:
    what: str
    reference: str
    state: str
    since: date
    done: bool


def member_applications(user, member):
    """The member's own suggestions on their home page, with their state (one query)."""
    found = []
    for item in selectors.of_member(user=user, member=member)[:20]:
        state = item.get_status_display()
        if item.status == Status.REJECTED and item.reject_reason:
            state = f"{state}: {item.reject_reason}"
        elif item.award_level_id:
            state = f"{state} · {item.award_level.name}"
        found.append(
            OwnSuggestion(
                what=gettext("Improvement suggestion: %(title)s") % {"title": item.title},
                reference=item.number,
                state=state,
                since=item.decided_on or item.filed_on,
                done=item.status != Status.SUBMITTED,
            )
        )
    return found


def _awards_text(awarded) -> str:
    return "、".join(
        f"{item.award_level.name} {yuan(money(item.award_amount))}" for item in awarded
    )


def member_facts(user, member):
    """On the member's record: how many suggestions they made and their awards, e.g.
    "3 条，获奖 1 次（二等奖 ¥1,000.00）" (one query, shared with the timeline)."""
    items = selectors.of_member(user=user, member=member)
    if not items:
        return []
    awarded = [i for i in items if i.award_level_id]
    count = len(items)
    text = ngettext("%(count)s suggestion", "%(count)s suggestions", count) % {"count": count}
    if awarded:
        times = len(awarded)
        text = gettext("%(suggestions)s, %(awards)s") % {
            "suggestions": text,
            "awards": ngettext(
                "awarded %(times)s time (%(awards)s)",
                "awarded %(times)s times (%(awards)s)",
                times,
            )
            % {"times": times, "awards": _awards_text(awarded)},
        }
    if len(items) == 1:
        url = reverse("improvements:detail", args=[items[0].pk])
    else:
        url = reverse("improvements:list") + "?" + urlencode({"q": member.name})
    return [(_("Improvement suggestions"), text, url)]


def member_timeline(user, member):
    """The awards, as steps of the member's life in the union."""
    return [
        MemberStep(
            item.awarded_on,
            gettext("Awarded %(level)s for improvement suggestion %(number)s")
            % {"level": item.award_level.name, "number": item.number},
            item.title,
            reverse("improvements:detail", args=[item.pk]),
        )
        for item in selectors.of_member(user=user, member=member)
        if item.award_level_id and item.awarded_on
    ]
