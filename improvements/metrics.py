"""Figures computed from 合理化建议, offered through unionhome.metrics to scoring and the
democratic-management star rating."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import GroupMembership
from unionhome import metrics

from .models import DECIDED, TAKEN_UP, Improvement, Status


def members_at(*, group_ids, day) -> dict[int, int]:
    """How many members each group had on `day`, from the history of groups (one query)."""
    return dict(
        GroupMembership.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
            group_id__in=group_ids,
            started_on__lte=day,
        )
        .values("group_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("group_id", "n")
    )


@metrics.register(
    name="improvements.per_member",
    label=_("Improvement suggestions per member"),
    definition=_(
        "Improvement suggestions the group's members made in the period, divided by the "
        "group's members at its end (or today, for a period not yet over)."
    ),
    unit="per_member",
)
def per_member(*, group_ids, start, end, **_ignored):
    group_ids = list(group_ids)
    day = min(end, timezone.localdate())
    members = members_at(group_ids=group_ids, day=day)
    filed = dict(
        Improvement.objects.filter(group_id__in=group_ids, filed_on__gte=start, filed_on__lte=end)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return {
        gid: round(filed.get(gid, 0) / members[gid], 4) for gid in group_ids if members.get(gid)
    }


@metrics.register(
    name="improvements.adoption_rate",
    label=_("Suggestion adoption rate"),
    definition=_(
        "Of the group's improvement suggestions decided in the period, the share adopted "
        "or turned into a motion for the workers' congress."
    ),
    unit="rate",
)
def adoption_rate(*, group_ids, start, end, **_ignored):
    rows = (
        Improvement.objects.filter(
            group_id__in=list(group_ids),
            status__in=DECIDED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .values("group_id")
        .annotate(decided=Count("pk"), taken=Count("pk", filter=Q(status__in=TAKEN_UP)))
    )
    return {r["group_id"]: round(r["taken"] / r["decided"], 4) for r in rows if r["decided"]}


# Kinds of record for the measures HQ composes --------------------------------------------


def _options():
    return [
        (f"status:{value}", _("status: %(name)s") % {"name": label})
        for value, label in Status.choices
    ] + [("awarded", _("awarded"))]


def _narrowed(option: str):
    if option.startswith("status:"):
        return Q(status=option.removeprefix("status:"))
    if option == "awarded":
        return Q(award_level__isnull=False)
    return Q()


def _count(*, group_ids, start, end, option="", **_ignored):
    group_ids = list(group_ids)
    counts = dict(
        Improvement.objects.filter(
            _narrowed(option), group_id__in=group_ids, filed_on__gte=start, filed_on__lte=end
        )
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return {gid: counts.get(gid, 0) for gid in group_ids}


def _participants(*, group_ids, start, end, option="", **_ignored):
    group_ids = list(group_ids)
    counts = dict(
        Improvement.objects.filter(
            _narrowed(option), group_id__in=group_ids, filed_on__gte=start, filed_on__lte=end
        )
        .values("group_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("group_id", "n")
    )
    return {gid: counts.get(gid, 0) for gid in group_ids}


SPANS = (("screening", _("days from proposal to screening")),)


def _days(*, group_ids, start, end, span="screening", **_ignored):
    group_ids = list(group_ids)
    found = {gid: [] for gid in group_ids}
    for group_id, filed_on, decided_on in Improvement.objects.filter(
        group_id__in=group_ids,
        filed_on__gte=start,
        filed_on__lte=end,
        decided_on__isnull=False,
    ).values_list("group_id", "filed_on", "decided_on"):
        found[group_id].append((decided_on - filed_on).days)
    return found


metrics.register_source(
    metrics.RecordSource(
        name="improvements.suggestion",
        label=_("Improvement suggestions"),
        count=_count,
        options=_options,
        participants=_participants,
        spans=SPANS,
        days=_days,
    )
)
