"""What the welfare app offers the other apps' pages (see unionhome.extensions)."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, VIEW, allows

from .models import APPLY, STATUS, CareVisit, CaseStatus, HardshipRecord, WelfareCase
from .todo import todo_items

__all__ = ["group_links", "member_applications", "member_links", "navigation", "todo_items"]


@dataclass
class Application:
    what: str
    reference: str
    state: str
    since: date
    done: bool


def member_applications(user, member):
    """The member's own assistance cases, by their state only (no reasons, amounts or
    notes): one query."""
    cases = (
        WelfareCase.objects.restrict(user, STATUS)
        .filter(member=member)
        .select_related("case_type")
        .order_by("-applied_on", "-pk")
    )
    return [
        Application(
            what=case.case_type.name,
            reference=case.number,
            state=case.get_status_display(),
            since=case.applied_on,
            done=case.status in (CaseStatus.ARCHIVED, CaseStatus.REJECTED, CaseStatus.PAID),
        )
        for case in cases[:20]
    ]


def navigation(user):
    items = []
    if WelfareCase.objects.may(user, VIEW):
        items.append((_("Welfare"), "welfare:case_list"))
    if HardshipRecord.objects.may(user, VIEW):
        items.append((_("Hardship archive"), "welfare:archive_list"))
    return items


def group_links(user, group):
    # The care page lists the group's members and their visits.
    if not allows(user, VIEW, CareVisit(group=group)):
        return []
    return [(_("Care"), reverse("welfare:care", args=[group.pk]))]


def member_links(user, member):
    # Unsaved records of this member let the scope rule judge what does not exist yet.
    links = []
    if allows(user, CHANGE, CareVisit(member=member, group=member.group)):
        links.append(
            (_("Record a care visit"), reverse("welfare:visit_create") + f"?member={member.pk}")
        )
    if allows(user, APPLY, WelfareCase(member=member)):
        links.append(
            (_("Apply for assistance"), reverse("welfare:case_create") + f"?member={member.pk}")
        )
    if allows(user, VIEW, HardshipRecord(member=member)):
        links.append(
            (_("Hardship archive"), reverse("welfare:archive_list") + f"?member={member.pk}")
        )
    return links
