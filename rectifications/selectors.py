"""Reading rectification items: the list with its filters, one item, the items of a
source."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.scoping import VIEW, scoped_object_or_404

from .models import CLOSE, TO_REPORT, Rectification

LIST_RELATED = ("workshop", "group", "owner_user", "raised_by")


def rectifications_of(*, source_model, source_ids) -> dict[int, Rectification]:
    """The item raised from each source record (one query), keyed by source id; with
    several items of one source, the latest raised."""
    ids = list(source_ids)
    if not ids:
        return {}
    source_type = ContentType.objects.get_for_model(source_model)
    found = {}
    for item in Rectification.objects.filter(source_type=source_type, source_id__in=ids).order_by(
        "raised_at", "pk"
    ):
        found[item.source_id] = item
    return found


def items_of_source(*, user, source):
    """The items raised from one record that the user reads."""
    source_type = ContentType.objects.get_for_model(source)
    return (
        Rectification.objects.restrict(user, VIEW)
        .filter(source_type=source_type, source_id=source.pk)
        .select_related(*LIST_RELATED)
    )


def items_of_sources(*, user, source_model, source_ids):
    """The items raised from any of the records (one query) that the user reads."""
    source_type = ContentType.objects.get_for_model(source_model)
    return (
        Rectification.objects.restrict(user, VIEW)
        .filter(source_type=source_type, source_id__in=list(source_ids))
        .order_by("raised_at", "pk")
    )


def rectification_list(
    *, user, status="", overdue=False, kind="", workshop=None, group=None, mine=""
):
    """The items the user reads, filtered; `mine`: "report" the user's own items to report,
    "accept" the reported items the user closes."""
    items = Rectification.objects.restrict(user, VIEW).select_related(*LIST_RELATED)
    if mine == "report":
        items = items.filter(owner_user=user, status__in=TO_REPORT)
    elif mine == "accept":
        items = items.submitted() & Rectification.objects.restrict(user, CLOSE)
    if status:
        items = items.filter(status=status)
    if overdue:
        items = items.overdue(timezone.localdate())
    if kind:
        items = items.filter(kind=kind)
    if workshop is not None:
        items = items.filter(workshop=workshop)
    if group is not None:
        items = items.filter(group=group)
    return items.order_by("due_on", "pk")


def rectification_detail(*, user, pk) -> Rectification:
    return scoped_object_or_404(
        Rectification.objects.select_related(*LIST_RELATED, "closed_by", "source_type"),
        user,
        VIEW,
        pk=pk,
    )
