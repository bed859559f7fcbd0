"""What the rectification tracker offers the other apps' pages (see unionhome.extensions)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows
from homes.models import Inspection

from .models import CLOSE, TO_REPORT, Rectification, Status
from .selectors import items_of_sources

__all__ = ["group_links", "navigation", "record_actions", "todo_items"]


def navigation(user):
    # An owner's login without a role of its own reaches its items from the to-do list.
    if Rectification.objects.scope(user, VIEW):
        return [(_("Rectification"), "rectifications:list")]
    return []


def group_links(user, group):
    if not allows(user, VIEW, Rectification(workshop_id=group.workshop_id, group=group)):
        return []
    return [(_("Rectification items"), reverse("rectifications:list") + f"?group={group.pk}")]


def todo_items(user):
    """The owner's items to report (open or returned), the raiser's (or HQ's) items waiting
    for acceptance, and the overdue items the user reads. One query for all three."""
    if not (user and user.is_authenticated):
        return []
    today = timezone.localdate()
    objects = Rectification.objects
    close_q = objects.scope_q(user, CLOSE)
    # Only the owner's own items count as "to report": the office reaches every item of its
    # workshop union and watches them through the overdue line instead.
    to_report = Q(owner_user=user, status__in=TO_REPORT)
    to_close = Q(status=Status.SUBMITTED) & (Q() if close_q is None else close_q)
    overdue = Q(due_on__lt=today) & ~Q(status=Status.CLOSED)
    rows = objects.restrict(user, VIEW).aggregate(
        to_report=Count("pk", filter=to_report),
        to_close=Count("pk", filter=to_close),
        overdue=Count("pk", filter=overdue),
    )
    url = reverse("rectifications:list")
    found = []
    if rows["to_report"]:
        found.append((_("Rectification items to report"), rows["to_report"], url + "?mine=report"))
    if rows["to_close"]:
        found.append(
            (_("Rectification items awaiting acceptance"), rows["to_close"], url + "?mine=accept")
        )
    if rows["overdue"]:
        found.append((_("Overdue rectification items"), rows["overdue"], url + "?overdue=1"))
    return found


def record_actions(user, obj):
    """On an inspection (its declaration's page): raise an item from its remarks, and the
    items already raised from it."""
    if not isinstance(obj, Inspection):
        return []
    items, keepers = _inspection_facts(user, obj)
    found = [
        (
            _("Rectification: %(title)s (%(status)s)")
            % {"title": item.title, "status": item.get_status_display()},
            item.get_absolute_url(),
        )
        for item in items.get(obj.pk, [])
    ]
    if obj.pk in keepers:
        found.append(
            (
                _("Raise a rectification item"),
                reverse("rectifications:raise_inspection", args=[obj.pk]),
            )
        )
    return found


def _inspection_facts(user, inspection):
    """For every inspection of the declaration at once (two queries, however many
    inspections the page shows): the items raised from each that the user reads, and the
    inspections the user keeps (may raise items from). Kept on the declaration the page
    loaded, which its inspections share."""
    declaration = inspection.declaration
    cache = getattr(declaration, "_rectification_facts", None)
    if cache is None or cache[0] != user.pk:
        ids = [i.pk for i in declaration.inspections.all()]
        if inspection.pk not in ids:
            ids.append(inspection.pk)
        items = {}
        for item in items_of_sources(user=user, source_model=Inspection, source_ids=ids):
            items.setdefault(item.source_id, []).append(item)
        keepers = set(
            Inspection.objects.restrict(user, VIEW).filter(pk__in=ids).values_list("pk", flat=True)
        )
        cache = (user.pk, items, keepers)
        declaration._rectification_facts = cache
    return cache[1], cache[2]
