"""Making care tasks (every day, and at once when a leader reports an event) and closing
them with a visit record and a photo."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from groups.models import GroupPost, Member, MemberStatus, Post
from unionhome import uploads
from welfare.models import HardshipRecord
from welfare.services import visit_record

from .models import CareOccasion, CareTask, Festival, LifeEvent, TaskStatus, Trigger


def group_assignees(group_ids=None) -> dict[int, str]:
    """Who does a group's tasks: its 生活员 (livelihood officer) if it has one, else its
    leader; one query."""
    posts = GroupPost.objects.filter(post__in=[Post.LIVELIHOOD, Post.LEADER]).select_related(
        "member"
    )
    if group_ids is not None:
        posts = posts.filter(group_id__in=group_ids)
    found: dict[int, str] = {}
    for post in sorted(posts, key=lambda p: p.post != Post.LIVELIHOOD):
        found.setdefault(post.group_id, post.member.name)
    return found


def _task(occasion, *, member_id, group_id, for_date, due_on, assignees, hq=False, **extra):
    return CareTask(
        occasion=occasion,
        member_id=member_id,
        group_id=group_id,
        for_date=for_date,
        due_on=due_on,
        hq=hq,
        assignee="" if hq else assignees.get(group_id, ""),
        gift_standard=occasion.hq_gift_standard if hq else occasion.gift_standard,
        gift_description=occasion.hq_gift_description if hq else occasion.gift_description,
        **extra,
    )


# Reported events ---------------------------------------------------------------------------


@transaction.atomic
def event_report(*, by, member: Member, kind: str, happened_on: date, note: str = "") -> LifeEvent:
    """A leader (or the workshop union) reports a hospital stay, wedding, birth or
    bereavement of a member of the group: the care task is made at once, due the
    occasion's days after the event (or after today, when reported late), for the group's
    生活员 or leader, with the occasion's gift standard."""
    event = LifeEvent(
        member=member, group=member.group, kind=kind, happened_on=happened_on, note=note.strip()
    )
    require_allowed(by, CHANGE, event)
    event.reported_by = by
    event.full_clean()
    event.save()
    occasion = CareOccasion.objects.filter(code=kind, is_active=True).first()
    if occasion is not None:
        start = max(happened_on, timezone.localdate())
        _task(
            occasion,
            member_id=member.pk,
            group_id=member.group_id,
            for_date=happened_on,
            due_on=start + timedelta(days=occasion.due_days),
            assignees=group_assignees([member.group_id]),
            event=event,
        ).save()
    return event


# The daily run --------------------------------------------------------------------------------


def _birthday_window(today: date, days: int) -> dict[tuple[int, int], date]:
    """(month, day) of a date of birth -> the day its birthday is marked, for the birthdays
    from today to `days` days ahead. A 29 February birthday is marked on 28 February in
    other years."""
    window = {}
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        window[(day.month, day.day)] = day
        if day.month == 2 and day.day == 28:
            try:
                date(day.year, 2, 29)
            except ValueError:
                window[(2, 29)] = day
    return window


def _birthday_tasks(occasion, today, assignees) -> list[CareTask]:
    window = _birthday_window(today, occasion.lead_days)
    days = Q(pk__in=[])
    for month, day in window:
        days |= Q(birth_date__month=month, birth_date__day=day)
    rows = (
        Member.objects.filter(days, status=MemberStatus.ACTIVE)
        .values_list("pk", "group_id", "birth_date", "is_model_worker")
        .order_by("pk")
    )
    tasks = []
    for member_id, group_id, born, model_worker in rows:
        for_date = window[(born.month, born.day)]
        due_on = for_date + timedelta(days=occasion.due_days)
        common = {"member_id": member_id, "group_id": group_id, "for_date": for_date}
        tasks.append(_task(occasion, due_on=due_on, assignees=assignees, **common))
        if model_worker and occasion.hq_for_model_workers:
            tasks.append(_task(occasion, due_on=due_on, assignees=assignees, hq=True, **common))
    return tasks


def _not_visited_tasks(occasion, today, assignees) -> list[CareTask]:
    """Active members without a care visit for the occasion's days (counted from the day
    their record was entered when never visited), who have no open task of the occasion."""
    cutoff = today - timedelta(days=occasion.interval_days)
    open_task = CareTask.objects.filter(
        member=OuterRef("pk"), occasion=occasion, status=TaskStatus.OPEN
    )
    rows = (
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .annotate(last_visit=Max("care_visits__visited_on"))
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True, created_at__date__lt=cutoff))
        .filter(~Exists(open_task))
        .values_list("pk", "group_id")
        .order_by("pk")
    )
    due_on = today + timedelta(days=occasion.due_days)
    return [
        _task(
            occasion,
            member_id=member_id,
            group_id=group_id,
            for_date=today,
            due_on=due_on,
            assignees=assignees,
        )
        for member_id, group_id in rows
    ]


def _festival_tasks(occasion, today, assignees) -> list[CareTask]:
    """Each member in the hardship archive (active entry) gets a visit before each festival:
    from the occasion's days before the visits are due until the festival itself."""
    festivals = [
        festival
        for festival in Festival.objects.filter(
            date__gte=today, date__lte=today + timedelta(days=400)
        )
        if festival.visits_due_on - timedelta(days=occasion.lead_days) <= today
    ]
    if not festivals:
        return []
    archive = sorted(
        set(
            HardshipRecord.objects.active()
            .filter(member__status=MemberStatus.ACTIVE)
            .values_list("member_id", "member__group_id")
        )
    )
    return [
        _task(
            occasion,
            member_id=member_id,
            group_id=group_id,
            for_date=festival.date,
            due_on=festival.visits_due_on,
            assignees=assignees,
            festival=festival,
        )
        for festival in festivals
        for member_id, group_id in archive
    ]


MAKERS = {
    Trigger.BIRTHDAY: _birthday_tasks,
    Trigger.NOT_VISITED: _not_visited_tasks,
    Trigger.FESTIVAL: _festival_tasks,
}


@transaction.atomic
def make_due_tasks(today: date | None = None) -> dict[str, int]:
    """Make the tasks due from the daily rules (birthdays within the occasion's days ahead,
    with an HQ task for model workers; members not visited for long; the archive members
    before each festival), and cancel the open tasks of members who left the union.
    Idempotent: a task of an occasion for a member and date is made once, however often this
    runs. A fixed number of queries whatever the number of members. Returns
    {occasion code: tasks made, "cancelled": tasks cancelled}."""
    today = today or timezone.localdate()
    occasions = list(CareOccasion.objects.filter(is_active=True, code__in=list(MAKERS)))
    assignees = group_assignees()
    candidates = []
    for occasion in occasions:
        candidates.extend(MAKERS[occasion.code](occasion, today, assignees))
    new = _not_there_yet(candidates)
    CareTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    counts = Counter({occasion.code: 0 for occasion in occasions})
    counts.update(task.occasion.code for task in new)
    counts["cancelled"] = (
        CareTask.objects.open()
        .filter(member__status=MemberStatus.LEFT)
        .update(status=TaskStatus.CANCELLED, closed_at=timezone.now())
    )
    return dict(counts)


def _not_there_yet(candidates: list[CareTask]) -> list[CareTask]:
    """The candidates not made before (one query): the counts tell what this run made."""
    if not candidates:
        return []
    dates = [task.for_date for task in candidates]
    existing = set(
        CareTask.objects.filter(
            occasion__in={task.occasion_id for task in candidates},
            for_date__gte=min(dates),
            for_date__lte=max(dates),
        ).values_list("occasion_id", "member_id", "for_date", "hq")
    )
    return [
        task
        for task in candidates
        if (task.occasion_id, task.member_id, task.for_date, task.hq) not in existing
    ]


# Closing ---------------------------------------------------------------------------------------


@transaction.atomic
def task_close(
    *,
    by,
    task: CareTask,
    visited_on: date,
    visitors: str,
    photo,
    gift_value=None,
    note: str = "",
) -> CareTask:
    """Close an open task with the visit: a care visit is recorded (of the kind the
    occasion names) and the photo of the visit is kept with the task."""
    task = (
        CareTask.objects.select_for_update(of=("self",))
        .select_related("occasion", "member")
        .get(pk=task.pk)
    )
    require_allowed(by, CHANGE, task)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is already closed."))
    if not photo:
        raise ValidationError({"photo": _("Take or choose a photo of the visit.")})
    try:
        file_type = uploads.validate_upload(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    if file_type.kind != uploads.IMAGE:
        raise ValidationError({"photo": _("The photo must be a picture (JPG, PNG, GIF or WebP).")})
    visit = visit_record(
        by=by,
        member=task.member,
        kind=task.occasion.visit_kind,
        visited_on=visited_on,
        visitors=visitors,
        gift_value=gift_value,
        note=note or task.occasion.name,
    )
    task.photo.save(f"photo.{file_type.extension}", photo, save=False)
    task.photo_thumb.save("thumb.jpg", uploads.thumbnail(photo), save=False)
    task.photo_mime = file_type.mime
    task.visit = visit
    task.status = TaskStatus.DONE
    task.closed_by = by
    task.closed_at = timezone.now()
    task.save()
    return task
