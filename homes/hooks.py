"""What 小家 creation offers the other apps' pages and the scope rule (unionhome.extensions)."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import Role
from accounts.scoping import VIEW, Grant, allows

from .models import (
    ASSIGN,
    Declaration,
    DeclarationStatus,
    HomeEvent,
    HomeTitle,
    InspectionPanel,
    Notice,
)
from .todo import todo_items

__all__ = [
    "group_facts",
    "group_links",
    "group_timeline",
    "navigation",
    "role_grants",
    "todo_items",
]

# While a panel holds a declaration (and until its naming or decision), its members
# inspect the group: they read its records as an inspector.
PANEL_STATUSES = [
    DeclarationStatus.INSPECTING,
    DeclarationStatus.ACCEPTED,
    DeclarationStatus.SIGNED_OFF,
    DeclarationStatus.IN_NOTICE,
]


def role_grants(user):
    """An inspector's role for each group given to a panel the user sits on: one query."""
    rows = (
        Declaration.objects.filter(panel__members=user, status__in=PANEL_STATUSES)
        .values_list("group_id", "group__workshop_id")
        .distinct()
    )
    return [Grant(Role.INSPECTOR, group_id=g, group_workshop_id=w) for g, w in rows]


def navigation(user):
    items = []
    if Declaration.objects.may(user, VIEW):
        items.append((_("Small homes"), "homes:overview"))
    elif InspectionPanel.objects.filter(members=user).exists():
        items.append((_("Inspection panels"), "homes:panels"))
    if Notice.objects.may(user, VIEW) and (
        Declaration.objects.may(user, ASSIGN) or Notice.objects.exists()
    ):
        items.append((_("Public notices"), "homes:notices"))
    return items


def group_links(user, group):
    if not allows(user, VIEW, Declaration(group=group)):
        return []
    return [(_("Small home creation"), reverse("homes:group", args=[group.pk]))]


def group_facts(user, group):
    """The title the group holds now, with its certificate."""
    title = (
        HomeTitle.objects.restrict(user, VIEW)
        .current()
        .filter(group=group)
        .select_related("document")
        .first()
    )
    if title is None:
        return []
    document = f" · {title.document.document_no}" if title.document else ""
    return [
        (
            _("Certificate"),
            f"{title.get_level_display()}{pgettext('after a title', 'small home')}"
            f" · {title.certificate_no}{document}",
            reverse("homes:certificate", args=[title.pk]),
        )
    ]


@dataclass
class TimelineEntry:
    at: datetime
    what: str
    who: str
    note: str
    url: str


def group_timeline(user, group):
    """The steps of the group's 小家, for those who read its records."""
    if not allows(user, VIEW, Declaration(group=group)):
        return []
    events = HomeEvent.objects.filter(group=group).select_related("by").order_by("-at", "-pk")
    entries = []
    for event in events[:50]:
        url = ""
        if event.declaration_id:
            url = reverse("homes:declaration", args=[event.declaration_id])
        elif event.plan_id:
            url = reverse("homes:plan", args=[event.plan_id])
        entries.append(
            TimelineEntry(event.at, event.text, event.by.name if event.by else "", event.note, url)
        )
    return entries
